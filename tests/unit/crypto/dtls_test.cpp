#include "crypto/dtls.h"

#include <gtest/gtest.h>
#include <openssl/ssl.h>

#include <atomic>
#include <deque>
#include <string>
#include <thread>

#include "tests/unit/crypto/dtls_pair.h"

namespace rc::crypto {
namespace {

using testing::DtlsPair;
using testing::PairConfig;
using Result = DtlsSession::Result;

constexpr auto kGcm = SrtpProfile::AeadAes128Gcm;
constexpr auto kCm = SrtpProfile::Aes128CmSha1_80;

void expectMirroredKeys(const DtlsPair& p, SrtpProfile profile) {
  auto c = p.client.srtpKeys();
  auto s = p.server.srtpKeys();
  ASSERT_TRUE(c && s);
  EXPECT_EQ(c->profile, profile);
  EXPECT_EQ(s->profile, profile);
  size_t len = srtpMasterKeyLength(profile) + srtpMasterSaltLength(profile);
  EXPECT_EQ(c->localMasterKeySalt.size(), len);
  EXPECT_EQ(c->localMasterKeySalt, s->remoteMasterKeySalt);  // RFC 5764 §4.2
  EXPECT_EQ(c->remoteMasterKeySalt, s->localMasterKeySalt);
  EXPECT_NE(c->localMasterKeySalt, c->remoteMasterKeySalt);
}

// Sleeps until `s`'s retransmission timer has fired.
void waitForTimer(const DtlsSession& s) {
  auto t = s.nextTimeout();
  ASSERT_TRUE(t.has_value());
  std::this_thread::sleep_until(*t + std::chrono::milliseconds(1));
}

TEST(Dtls, HandshakeConnectsBothSidesOnceAndPrefersGcm) {
  DtlsPair p;
  EXPECT_FALSE(p.client.nextTimeout().has_value());  // nothing sent yet
  p.handshake();
  ASSERT_TRUE(p.client.connected()) << p.client.failureReason();
  ASSERT_TRUE(p.server.connected()) << p.server.failureReason();
  EXPECT_EQ(DtlsPair::count(p.clientResults, Result::Connected), 1);
  EXPECT_EQ(DtlsPair::count(p.serverResults, Result::Connected), 1);
  EXPECT_EQ(p.client.remoteFingerprint(), testing::serverCert()->sha256Fingerprint());
  EXPECT_EQ(p.server.remoteFingerprint(), testing::clientCert()->sha256Fingerprint());
  EXPECT_LE(p.largestDatagram, 1200u);
  EXPECT_FALSE(p.client.nextTimeout().has_value());
  expectMirroredKeys(p, kGcm);
}

TEST(Dtls, FlightsAreFragmentedToTheConfiguredMtu) {
  PairConfig cfg;
  cfg.options.mtu = 300;  // smaller than the Certificate message: forces fragmentation
  DtlsPair p(cfg);
  p.handshake();
  ASSERT_TRUE(p.client.connected() && p.server.connected());
  EXPECT_LE(p.largestDatagram, 300u);
  EXPECT_GT(p.largestDatagram, 200u);
  expectMirroredKeys(p, kGcm);
}

TEST(Dtls, NoKeysBeforeConnected) {
  DtlsPair p;
  p.client.start(p.clientSend);
  EXPECT_FALSE(p.client.srtpKeys().has_value());
  EXPECT_FALSE(p.client.connected());
  EXPECT_FALSE(p.client.failed());
}

// RFC 5764 §4.2: client_write_key | server_write_key | client_salt | server_salt.
TEST(Dtls, KeysFollowRfc5764Layout) {
  for (auto profile : {kGcm, kCm}) {
    PairConfig cfg;
    cfg.serverProfiles = {profile};
    DtlsPair p(cfg);
    p.handshake();
    ASSERT_TRUE(p.client.connected() && p.server.connected());
    size_t k = srtpMasterKeyLength(profile), s = srtpMasterSaltLength(profile);
    std::vector<uint8_t> m(2 * (k + s));
    const char label[] = "EXTRACTOR-dtls_srtp";
    ASSERT_EQ(SSL_export_keying_material(p.server.native(), m.data(), m.size(), label,
                                         sizeof(label) - 1, nullptr, 0, 0),
              1);
    std::vector<uint8_t> client(m.begin(), m.begin() + k), server(m.begin() + k, m.begin() + 2 * k);
    client.insert(client.end(), m.begin() + 2 * k, m.begin() + 2 * k + s);
    server.insert(server.end(), m.begin() + 2 * k + s, m.end());
    EXPECT_EQ(p.client.srtpKeys()->localMasterKeySalt, client);
    EXPECT_EQ(p.server.srtpKeys()->localMasterKeySalt, server);
  }
}

TEST(Dtls, ServerPicksGcmEvenIfClientListsItLast) {
  PairConfig cfg;
  cfg.clientProfiles = {kCm, kGcm};
  DtlsPair p(cfg);
  p.handshake();
  ASSERT_TRUE(p.client.connected() && p.server.connected());
  expectMirroredKeys(p, kGcm);
}

TEST(Dtls, NegotiatesCmWhenOnlyOneSideOffersIt) {
  for (int clientOnly = 0; clientOnly < 2; ++clientOnly) {
    PairConfig cfg;
    (clientOnly ? cfg.clientProfiles : cfg.serverProfiles) = {kCm};
    DtlsPair p(cfg);
    p.handshake();
    ASSERT_TRUE(p.client.connected() && p.server.connected());
    expectMirroredKeys(p, kCm);
  }
}

TEST(Dtls, ServerFailsOnClientFingerprintMismatch) {
  PairConfig cfg;
  cfg.serverExpects = testing::serverCert()->sha256Fingerprint();  // not the client's
  DtlsPair p(cfg);
  p.handshake();
  EXPECT_TRUE(p.server.failed());
  EXPECT_FALSE(p.server.connected());
  EXPECT_EQ(DtlsPair::count(p.serverResults, Result::Connected), 0);
  EXPECT_NE(p.server.failureReason().find("fingerprint"), std::string::npos);
  EXPECT_FALSE(p.server.srtpKeys().has_value());
  EXPECT_EQ(p.server.handleDatagram(std::vector<uint8_t>(20, 0), p.serverSend), Result::Failed);
}

TEST(Dtls, ClientFailsOnServerFingerprintMismatch) {
  PairConfig cfg;
  std::string fp = testing::serverCert()->sha256Fingerprint();
  fp[0] = fp[0] == 'A' ? 'B' : 'A';
  cfg.clientExpects = fp;
  DtlsPair p(cfg);
  p.handshake();
  EXPECT_TRUE(p.client.failed());
  EXPECT_EQ(DtlsPair::count(p.clientResults, Result::Connected), 0);
  EXPECT_FALSE(p.client.srtpKeys().has_value());
}

TEST(Dtls, LowercaseExpectedFingerprintMatches) {
  PairConfig cfg;
  cfg.serverExpects = testing::clientCert()->sha256Fingerprint();
  for (char& c : cfg.serverExpects) c = static_cast<char>(std::tolower(c));
  DtlsPair p(cfg);
  p.handshake();
  EXPECT_TRUE(p.server.connected()) << p.server.failureReason();
}

TEST(Dtls, GarbageBeforeClientHelloIsIgnored) {
  DtlsPair p;
  EXPECT_EQ(p.server.handleDatagram(std::vector<uint8_t>(40, 0), p.serverSend), Result::Progress);
  EXPECT_FALSE(p.server.failed());
  p.handshake();
  EXPECT_TRUE(p.client.connected() && p.server.connected());
}

PairConfig fastTimers() {
  PairConfig cfg;
  cfg.options.initialRetransmit = std::chrono::milliseconds(2);
  return cfg;
}

TEST(Dtls, LostServerFlightIsRecoveredByRetransmission) {
  DtlsPair p(fastTimers());
  p.client.start(p.clientSend);
  auto first = p.client.nextTimeout();
  ASSERT_TRUE(first.has_value());
  // The configured timer, not OpenSSL's 1 s default (the first handshake call may already
  // have retransmitted a few times while OpenSSL loaded its algorithms).
  EXPECT_LE(*first, std::chrono::steady_clock::now() + std::chrono::milliseconds(100));
  p.deliverToServer();  // ClientHello -> server; server answers with its first flight
  ASSERT_FALSE(p.toClient.empty());
  p.toClient.clear();  // ...which is lost
  waitForTimer(p.client);
  p.client.handleTimeout(p.clientSend);  // ClientHello again
  ASSERT_FALSE(p.toServer.empty());
  p.pump();
  EXPECT_TRUE(p.client.connected()) << p.client.failureReason();
  EXPECT_TRUE(p.server.connected()) << p.server.failureReason();
  expectMirroredKeys(p, kGcm);
}

TEST(Dtls, LostFinalServerFlightIsResentWhenClientRetransmits) {
  DtlsPair p(fastTimers());
  p.client.start(p.clientSend);
  while (!p.server.connected()) {
    if (!p.toServer.empty()) {
      p.deliverToServer();
    } else if (!p.toClient.empty()) {
      p.deliverToClient();
    } else {
      break;
    }
  }
  ASSERT_TRUE(p.server.connected());
  p.toClient.clear();  // server ChangeCipherSpec + Finished lost
  EXPECT_FALSE(p.client.connected());
  waitForTimer(p.client);
  p.client.handleTimeout(p.clientSend);
  p.pump();
  EXPECT_TRUE(p.client.connected()) << p.client.failureReason();
  EXPECT_EQ(DtlsPair::count(p.serverResults, Result::Connected), 1);
  expectMirroredKeys(p, kGcm);
}

TEST(Dtls, HandleTimeoutBeforeExpirySendsNothing) {
  DtlsPair p;  // 1 s initial timer
  p.client.start(p.clientSend);
  p.toServer.clear();
  p.client.handleTimeout(p.clientSend);
  EXPECT_TRUE(p.toServer.empty());
  EXPECT_FALSE(p.client.failed());
}

TEST(Dtls, AppDataAndCloseNotify) {
  DtlsPair p;
  p.handshake();
  ASSERT_TRUE(p.client.connected() && p.server.connected());
  std::string hello = "hello";
  ASSERT_TRUE(p.client.writeAppData(
      std::span(reinterpret_cast<const uint8_t*>(hello.data()), hello.size()), p.clientSend));
  ASSERT_EQ(p.toServer.size(), 1u);
  EXPECT_EQ(p.server.handleDatagram(p.toServer.front(), p.serverSend), Result::AppData);
  auto got = p.server.appData();
  EXPECT_EQ(std::string(got.begin(), got.end()), hello);
  p.toServer.clear();
  p.client.close(p.clientSend);
  EXPECT_TRUE(p.client.failed());
  ASSERT_EQ(p.toServer.size(), 1u);
  EXPECT_EQ(p.server.handleDatagram(p.toServer.front(), p.serverSend), Result::Failed);
  EXPECT_TRUE(p.server.peerClosed());
}

// worker_dtls.cpp frees a session after its handshake and sends the sealed goodbye later: the
// record must still be a valid close_notify to the peer, and nothing may leave meanwhile.
TEST(Dtls, SealedCloseNotifyIsAValidGoodbyeLater) {
  DtlsPair p;
  uint8_t sealed[96];
  EXPECT_EQ(p.server.sealCloseNotify(sealed), 0u) << "not connected yet";
  p.handshake();
  p.toClient.clear();
  size_t n = p.server.sealCloseNotify(sealed);
  ASSERT_GT(n, 13u);  // RFC 6347 §4.1 header + protected alert
  EXPECT_EQ(sealed[0], 21) << "content type alert";
  EXPECT_TRUE(p.toClient.empty()) << "sealing sends nothing";
  EXPECT_TRUE(p.server.failed());
  uint8_t tiny[8];
  DtlsPair q;
  q.handshake();
  EXPECT_EQ(q.server.sealCloseNotify(tiny), 0u) << "does not fit";
  EXPECT_EQ(p.client.handleDatagram(std::span<const uint8_t>(sealed, n), p.clientSend),
            Result::Failed);
  EXPECT_TRUE(p.client.peerClosed());
}

// One shared context per side; sessions created and driven on several threads at once.
TEST(Dtls, SharedContextsServeSessionsOnManyThreads) {
  DtlsContext clientCtx(testing::clientCert());
  DtlsContext serverCtx(testing::serverCert());
  std::atomic<int> connected{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 3; ++i) {
        std::deque<testing::Datagram> toServer, toClient;
        DtlsSession::SendFn cs = [&](std::span<const uint8_t> d) {
          toServer.emplace_back(d.begin(), d.end());
        };
        DtlsSession::SendFn ss = [&](std::span<const uint8_t> d) {
          toClient.emplace_back(d.begin(), d.end());
        };
        DtlsSession client(clientCtx, DtlsRole::Client, testing::serverCert()->sha256Fingerprint());
        DtlsSession server(serverCtx, DtlsRole::Server, testing::clientCert()->sha256Fingerprint());
        client.start(cs);
        for (int n = 0; n < 100 && (!toServer.empty() || !toClient.empty()); ++n) {
          auto deliver = [](std::deque<testing::Datagram>& q, DtlsSession& s, const auto& send) {
            if (q.empty()) return;
            auto d = std::move(q.front());
            q.pop_front();
            s.handleDatagram(d, send);
          };
          deliver(toServer, server, ss);
          deliver(toClient, client, cs);
        }
        if (client.connected() && server.connected()) ++connected;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(connected.load(), 12);
}

}  // namespace
}  // namespace rc::crypto
