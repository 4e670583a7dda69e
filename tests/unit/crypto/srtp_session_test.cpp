#include "crypto/srtp_session.h"

#include <gtest/gtest.h>

#include <array>
#include <vector>

#include "tests/unit/crypto/dtls_pair.h"

namespace rc::crypto {
namespace {

using testing::DtlsPair;
using testing::PairConfig;

constexpr size_t kBufSize = 1500;
using Buffer = std::array<uint8_t, kBufSize>;

struct Packet {
  Buffer buf{};
  size_t len = 0;
  std::vector<uint8_t> bytes() const { return {buf.begin(), buf.begin() + len}; }
};

// RFC 3550 §5.1: V=2, PT=96, given sequence number, SSRC 0x11223344, 160-byte payload.
Packet rtpPacket(uint16_t seq, uint8_t fill = 0xab) {
  Packet p;
  uint8_t header[12] = {0x80, 96,  uint8_t(seq >> 8), uint8_t(seq), 0, 0, 0x10, 0, 0x11, 0x22,
                        0x33, 0x44};
  std::copy(std::begin(header), std::end(header), p.buf.begin());
  std::fill_n(p.buf.begin() + 12, 160, fill);
  p.len = 12 + 160;
  return p;
}

// RFC 3550 §6.4.2: receiver report with one report block (32 bytes).
Packet rtcpReceiverReport() {
  Packet p;
  uint8_t header[8] = {0x81, 201, 0, 7, 0x55, 0x66, 0x77, 0x88};
  std::copy(std::begin(header), std::end(header), p.buf.begin());
  for (size_t i = 8; i < 32; ++i) p.buf[i] = static_cast<uint8_t>(i);
  p.len = 32;
  return p;
}

// A DTLS handshake per profile gives real exported keys; sessions on both ends.
class SrtpOverDtls : public ::testing::TestWithParam<SrtpProfile> {
 protected:
  void SetUp() override {
    PairConfig cfg;
    cfg.serverProfiles = {GetParam()};
    DtlsPair pair(cfg);
    pair.handshake();
    ASSERT_TRUE(pair.client.connected() && pair.server.connected());
    client_ = SrtpSession::create(*pair.client.srtpKeys());
    server_ = SrtpSession::create(*pair.server.srtpKeys());
    ASSERT_TRUE(client_ && server_);
    ASSERT_EQ(client_->profile(), GetParam());
  }
  size_t rtpOverhead() const { return GetParam() == SrtpProfile::AeadAes128Gcm ? 16 : 10; }
  size_t rtcpOverhead() const { return rtpOverhead() + 4; }  // + E flag and SRTCP index

  std::unique_ptr<SrtpSession> client_, server_;
};

TEST_P(SrtpOverDtls, RtpRoundTripsBothWays) {
  for (auto [from, to] :
       {std::pair{client_.get(), server_.get()}, {server_.get(), client_.get()}}) {
    Packet p = rtpPacket(1000);
    auto plain = p.bytes();
    ASSERT_TRUE(from->protectRtp(p.buf.data(), p.len, p.buf.size()));
    EXPECT_EQ(p.len, plain.size() + rtpOverhead());
    EXPECT_NE(p.bytes(), plain);
    ASSERT_TRUE(to->unprotectRtp(p.buf.data(), p.len));
    EXPECT_EQ(p.bytes(), plain);
  }
}

TEST_P(SrtpOverDtls, RtcpRoundTripsBothWays) {
  for (auto [from, to] :
       {std::pair{client_.get(), server_.get()}, {server_.get(), client_.get()}}) {
    Packet p = rtcpReceiverReport();
    auto plain = p.bytes();
    ASSERT_TRUE(from->protectRtcp(p.buf.data(), p.len, p.buf.size()));
    EXPECT_EQ(p.len, plain.size() + rtcpOverhead());
    ASSERT_TRUE(to->unprotectRtcp(p.buf.data(), p.len));
    EXPECT_EQ(p.bytes(), plain);
  }
}

TEST_P(SrtpOverDtls, TamperedPacketsFailAuthentication) {
  Packet rtp = rtpPacket(7);
  ASSERT_TRUE(client_->protectRtp(rtp.buf.data(), rtp.len, rtp.buf.size()));
  rtp.buf[40] ^= 0x01;
  size_t before = rtp.len;
  EXPECT_FALSE(server_->unprotectRtp(rtp.buf.data(), rtp.len));
  EXPECT_EQ(rtp.len, before);

  Packet rtcp = rtcpReceiverReport();
  ASSERT_TRUE(client_->protectRtcp(rtcp.buf.data(), rtcp.len, rtcp.buf.size()));
  rtcp.buf[12] ^= 0x80;
  EXPECT_FALSE(server_->unprotectRtcp(rtcp.buf.data(), rtcp.len));
}

TEST_P(SrtpOverDtls, RepeatedSequenceNumberCanBeProtectedAgain) {
  Packet first = rtpPacket(42), again = rtpPacket(42);  // NACK retransmission (allow_repeat_tx)
  ASSERT_TRUE(client_->protectRtp(first.buf.data(), first.len, first.buf.size()));
  ASSERT_TRUE(client_->protectRtp(again.buf.data(), again.len, again.buf.size()));
  EXPECT_EQ(first.bytes(), again.bytes());
  EXPECT_TRUE(server_->unprotectRtp(first.buf.data(), first.len));
}

TEST_P(SrtpOverDtls, ReplayedPacketsAreRejected) {
  Packet rtp = rtpPacket(500);
  ASSERT_TRUE(client_->protectRtp(rtp.buf.data(), rtp.len, rtp.buf.size()));
  Packet copy = rtp;
  ASSERT_TRUE(server_->unprotectRtp(rtp.buf.data(), rtp.len));
  EXPECT_FALSE(server_->unprotectRtp(copy.buf.data(), copy.len));

  Packet rtcp = rtcpReceiverReport();
  ASSERT_TRUE(client_->protectRtcp(rtcp.buf.data(), rtcp.len, rtcp.buf.size()));
  Packet rtcpCopy = rtcp;
  ASSERT_TRUE(server_->unprotectRtcp(rtcp.buf.data(), rtcp.len));
  EXPECT_FALSE(server_->unprotectRtcp(rtcpCopy.buf.data(), rtcpCopy.len));
}

TEST_P(SrtpOverDtls, OutOfOrderWithinWindowIsAccepted) {
  std::vector<Packet> packets;
  for (uint16_t seq = 100; seq < 110; ++seq) {
    packets.push_back(rtpPacket(seq));
    ASSERT_TRUE(client_->protectRtp(packets.back().buf.data(), packets.back().len, kBufSize));
  }
  for (size_t i = packets.size(); i-- > 0;) {
    EXPECT_TRUE(server_->unprotectRtp(packets[i].buf.data(), packets[i].len)) << i;
  }
}

TEST_P(SrtpOverDtls, RejectsBadLengthsAndShortCapacity) {
  Packet p = rtpPacket(1);
  size_t len = p.len;
  EXPECT_FALSE(client_->protectRtp(p.buf.data(), len, len + SrtpSession::kMaxTrailer - 1));
  EXPECT_EQ(len, p.len);
  EXPECT_TRUE(client_->protectRtp(p.buf.data(), len, len + SrtpSession::kMaxTrailer));
  size_t tiny = 11;
  EXPECT_FALSE(client_->protectRtp(p.buf.data(), tiny, kBufSize));
  EXPECT_FALSE(server_->unprotectRtp(p.buf.data(), tiny));
  size_t tinyRtcp = 7;
  EXPECT_FALSE(client_->protectRtcp(p.buf.data(), tinyRtcp, kBufSize));
  EXPECT_FALSE(server_->unprotectRtcp(p.buf.data(), tinyRtcp));
  size_t shortAuth = 12;  // header only, no tag
  EXPECT_FALSE(server_->unprotectRtp(p.buf.data(), shortAuth));
  EXPECT_FALSE(client_->protectRtp(nullptr, len, kBufSize));
}

INSTANTIATE_TEST_SUITE_P(Profiles, SrtpOverDtls,
                         ::testing::Values(SrtpProfile::AeadAes128Gcm,
                                           SrtpProfile::Aes128CmSha1_80),
                         [](const auto& info) {
                           return info.param == SrtpProfile::AeadAes128Gcm ? "Gcm" : "Cm";
                         });

TEST(SrtpSession, RejectsKeysOfTheWrongLength) {
  SrtpKeys keys{SrtpProfile::AeadAes128Gcm, std::vector<uint8_t>(30, 1),
                std::vector<uint8_t>(28, 2)};
  EXPECT_EQ(SrtpSession::create(keys), nullptr);
  keys.localMasterKeySalt.resize(28);
  EXPECT_NE(SrtpSession::create(keys), nullptr);
  keys.profile = SrtpProfile::Aes128CmSha1_80;  // wants 30
  EXPECT_EQ(SrtpSession::create(keys), nullptr);
}

TEST(SrtpSession, MismatchedKeysFail) {
  SrtpKeys a{SrtpProfile::Aes128CmSha1_80, std::vector<uint8_t>(30, 1),
             std::vector<uint8_t>(30, 2)};
  SrtpKeys b{SrtpProfile::Aes128CmSha1_80, std::vector<uint8_t>(30, 3),
             std::vector<uint8_t>(30, 1)};
  auto sa = SrtpSession::create(a);
  auto sb = SrtpSession::create(b);
  ASSERT_TRUE(sa && sb);
  Packet p = rtpPacket(9);
  ASSERT_TRUE(sa->protectRtp(p.buf.data(), p.len, kBufSize));
  Packet q = p;
  EXPECT_TRUE(sb->unprotectRtp(p.buf.data(), p.len));   // b receives with a's send key
  EXPECT_FALSE(sa->unprotectRtp(q.buf.data(), q.len));  // a's receive key is different
}

TEST(SrtpSession, InitIsIdempotent) {
  EXPECT_TRUE(initSrtpLibrary());
  EXPECT_TRUE(initSrtpLibrary());
}

}  // namespace
}  // namespace rc::crypto
