// Test helper: a DTLS client and server session wired back to back through in-memory queues.
#pragma once

#include <deque>
#include <memory>
#include <vector>

#include "crypto/certificate.h"
#include "crypto/dtls.h"

namespace rc::crypto::testing {

// Generated once per test binary (key generation is the slowest step of a handshake).
inline const std::shared_ptr<Certificate>& clientCert() {
  static auto cert = Certificate::generateEcdsaP256();
  return cert;
}
inline const std::shared_ptr<Certificate>& serverCert() {
  static auto cert = Certificate::generateEcdsaP256();
  return cert;
}

struct PairConfig {
  std::vector<SrtpProfile> clientProfiles{SrtpProfile::AeadAes128Gcm, SrtpProfile::Aes128CmSha1_80};
  std::vector<SrtpProfile> serverProfiles{SrtpProfile::AeadAes128Gcm, SrtpProfile::Aes128CmSha1_80};
  std::string clientExpects;  // fingerprint the client expects; "" = the server's real one
  std::string serverExpects;  // fingerprint the server expects; "" = the client's real one
  DtlsSessionOptions options;
};

using Datagram = std::vector<uint8_t>;

class DtlsPair {
 public:
  explicit DtlsPair(const PairConfig& cfg = {})
      : clientCtx_(clientCert(), cfg.clientProfiles),
        serverCtx_(serverCert(), cfg.serverProfiles),
        client(clientCtx_, DtlsRole::Client,
               cfg.clientExpects.empty() ? serverCert()->sha256Fingerprint() : cfg.clientExpects,
               cfg.options),
        server(serverCtx_, DtlsRole::Server,
               cfg.serverExpects.empty() ? clientCert()->sha256Fingerprint() : cfg.serverExpects,
               cfg.options) {}

  DtlsContext clientCtx_;
  DtlsContext serverCtx_;
  DtlsSession client;
  DtlsSession server;
  std::deque<Datagram> toServer;
  std::deque<Datagram> toClient;
  std::vector<DtlsSession::Result> clientResults;
  std::vector<DtlsSession::Result> serverResults;
  size_t largestDatagram = 0;

  DtlsSession::SendFn clientSend = [this](std::span<const uint8_t> d) { queue(toServer, d); };
  DtlsSession::SendFn serverSend = [this](std::span<const uint8_t> d) { queue(toClient, d); };

  // Delivers queued datagrams alternately until both queues are empty.
  void pump(int maxDatagrams = 200) {
    while ((!toServer.empty() || !toClient.empty()) && maxDatagrams-- > 0) {
      deliverToServer();
      deliverToClient();
    }
  }

  void deliverToServer() { deliverOne(toServer, server, serverSend, serverResults); }
  void deliverToClient() { deliverOne(toClient, client, clientSend, clientResults); }

  void handshake() {
    client.start(clientSend);
    pump();
  }

  static int count(const std::vector<DtlsSession::Result>& rs, DtlsSession::Result r) {
    int n = 0;
    for (auto x : rs) n += x == r ? 1 : 0;
    return n;
  }

 private:
  void queue(std::deque<Datagram>& q, std::span<const uint8_t> d) {
    largestDatagram = std::max(largestDatagram, d.size());
    q.emplace_back(d.begin(), d.end());
  }
  static void deliverOne(std::deque<Datagram>& q, DtlsSession& to, const DtlsSession::SendFn& send,
                         std::vector<DtlsSession::Result>& results) {
    if (q.empty()) return;
    Datagram d = std::move(q.front());
    q.pop_front();
    results.push_back(to.handleDatagram(d, send));
  }
};

}  // namespace rc::crypto::testing
