// crypto::SrtpSession (our transforms) against libsrtp2 (crypto/reference), both profiles,
// both ways: ours protects -> libsrtp unprotects and the reverse, for RTP and RTCP, with
// CSRCs, header extensions, padding, sequence wrap (ROC change), reordering, replays and
// tampering. Same keys and indexes give byte-identical output from both.
#include <gtest/gtest.h>

#include <array>
#include <random>
#include <vector>

#include "crypto/reference/libsrtp_session.h"
#include "crypto/srtp_session.h"

namespace rc::crypto {
namespace {

using reference::LibSrtpSession;

constexpr size_t kCapacity = 1500;

struct Packet {
  std::array<uint8_t, kCapacity> buf{};
  size_t len = 0;
  std::vector<uint8_t> bytes() const { return {buf.begin(), buf.begin() + len}; }
};

struct RtpShape {
  uint8_t csrcCount = 0;
  uint16_t extensionWords = 0;  // 0: no extension
  uint8_t padding = 0;          // 0: no padding
  size_t payload = 160;
};

// RFC 3550 §5.1 / §5.3.1 / RFC 8285 one-byte extension profile.
Packet rtp(uint16_t seq, uint32_t ssrc, const RtpShape& shape = {}) {
  Packet p;
  auto& b = p.buf;
  b[0] = uint8_t(0x80 | (shape.padding ? 0x20 : 0) | (shape.extensionWords ? 0x10 : 0) |
                 shape.csrcCount);
  b[1] = 96;
  b[2] = uint8_t(seq >> 8);
  b[3] = uint8_t(seq);
  b[4] = 0x12;
  b[7] = uint8_t(seq);
  for (int i = 0; i < 4; ++i) b[8 + i] = uint8_t(ssrc >> (24 - 8 * i));
  size_t n = 12;
  for (uint8_t c = 0; c < shape.csrcCount; ++c, n += 4) b[n + 3] = uint8_t(0xc0 + c);
  if (shape.extensionWords) {
    b[n] = 0xbe;
    b[n + 1] = 0xde;
    b[n + 3] = uint8_t(shape.extensionWords);
    for (size_t i = 0; i < 4u * shape.extensionWords; ++i) b[n + 4 + i] = uint8_t(0x10 + i);
    n += 4 + 4u * shape.extensionWords;
  }
  for (size_t i = 0; i < shape.payload; ++i) b[n++] = uint8_t(i * 7 + seq);
  if (shape.padding) {
    n += shape.padding;
    b[n - 1] = shape.padding;
  }
  p.len = n;
  return p;
}

// RFC 3550 §6.4.2: receiver report, one report block.
Packet rtcp(uint32_t ssrc, uint8_t fill) {
  Packet p;
  uint8_t header[8] = {0x81, 201, 0, 7};
  for (int i = 0; i < 4; ++i) header[4 + i] = uint8_t(ssrc >> (24 - 8 * i));
  std::copy(std::begin(header), std::end(header), p.buf.begin());
  for (size_t i = 8; i < 32; ++i) p.buf[i] = uint8_t(i + fill);
  p.len = 32;
  return p;
}

std::vector<uint8_t> randomKey(SrtpProfile profile, std::mt19937& rng) {
  std::vector<uint8_t> k(srtpMasterKeyLength(profile) + srtpMasterSaltLength(profile));
  for (auto& b : k) b = uint8_t(rng());
  return k;
}

// ours(local A, remote B) talks to libsrtp(local B, remote A); `twin` is libsrtp with our
// keys (local A), to compare protected bytes.
class SrtpInterop : public ::testing::TestWithParam<SrtpProfile> {
 protected:
  void SetUp() override {
    std::mt19937 rng(GetParam() == SrtpProfile::AeadAes128Gcm ? 1 : 2);
    auto a = randomKey(GetParam(), rng);
    auto b = randomKey(GetParam(), rng);
    ours_ = SrtpSession::create({GetParam(), a, b});
    theirs_ = LibSrtpSession::create({GetParam(), b, a});
    twin_ = LibSrtpSession::create({GetParam(), a, b});
    ASSERT_TRUE(ours_ && theirs_ && twin_);
  }

  // Ours protects; the bytes equal libsrtp's; libsrtp unprotects back to the plaintext.
  void oursToTheirs(Packet p) {
    const auto plain = p.bytes();
    Packet twin = p;
    ASSERT_TRUE(ours_->protectRtp(p.buf.data(), p.len, kCapacity));
    ASSERT_TRUE(twin_->protectRtp(twin.buf.data(), twin.len, kCapacity));
    EXPECT_EQ(p.bytes(), twin.bytes());
    ASSERT_TRUE(theirs_->unprotectRtp(p.buf.data(), p.len));
    EXPECT_EQ(p.bytes(), plain);
  }
  void theirsToOurs(Packet p) {
    const auto plain = p.bytes();
    ASSERT_TRUE(theirs_->protectRtp(p.buf.data(), p.len, kCapacity));
    ASSERT_TRUE(ours_->unprotectRtp(p.buf.data(), p.len));
    EXPECT_EQ(p.bytes(), plain);
  }
  void bothWays(const Packet& p) {
    oursToTheirs(p);
    theirsToOurs(p);
  }

  std::unique_ptr<SrtpSession> ours_;
  std::unique_ptr<LibSrtpSession> theirs_, twin_;
};

TEST_P(SrtpInterop, RtpShapes) {
  uint16_t seq = 100;
  for (RtpShape shape :
       {RtpShape{}, RtpShape{2, 0, 0, 160}, RtpShape{0, 3, 0, 1000}, RtpShape{15, 255, 0, 200},
        RtpShape{1, 2, 17, 300}, RtpShape{0, 0, 0, 0}, RtpShape{0, 1, 4, 0}}) {
    SCOPED_TRACE(testing::Message() << "csrc " << int(shape.csrcCount) << " ext "
                                    << shape.extensionWords << " pad " << int(shape.padding));
    bothWays(rtp(seq++, 0x11223344, shape));
  }
}

// Two wraps of the sequence number (ROC 0 -> 2) with late packets from before each wrap and
// several SSRCs interleaved.
TEST_P(SrtpInterop, SequenceWrapAndRolloverCounter) {
  for (uint32_t ssrc : {0x01020304u, 0xa0b0c0d0u}) {
    uint16_t seq = 65000;
    for (int i = 0; i < 67000; ++i, ++seq) {
      if (seq != 65533) bothWays(rtp(seq, ssrc, {0, 1, 0, 40}));
      if (seq == 2) bothWays(rtp(65533, ssrc, {0, 1, 0, 40}));  // late, previous ROC
      if (HasFailure()) {
        ADD_FAILURE() << "at ssrc " << ssrc << ", packet " << i << ", seq " << seq;
        return;
      }
    }
  }
}

TEST_P(SrtpInterop, StreamStartingNearTheWrap) {
  for (uint16_t seq : {65534, 65535, 0, 1, 3, 2}) bothWays(rtp(seq, 0x5555, {}));
}

TEST_P(SrtpInterop, RtcpBothWays) {
  for (int i = 0; i < 50; ++i) {
    for (uint32_t ssrc : {0x55667788u, 0x99u}) {
      Packet p = rtcp(ssrc, uint8_t(i));
      const auto plain = p.bytes();
      Packet twin = p;
      ASSERT_TRUE(ours_->protectRtcp(p.buf.data(), p.len, kCapacity));
      ASSERT_TRUE(twin_->protectRtcp(twin.buf.data(), twin.len, kCapacity));
      EXPECT_EQ(p.bytes(), twin.bytes());
      ASSERT_TRUE(theirs_->unprotectRtcp(p.buf.data(), p.len));
      EXPECT_EQ(p.bytes(), plain);

      Packet back = rtcp(ssrc, uint8_t(i + 100));
      const auto plainBack = back.bytes();
      ASSERT_TRUE(theirs_->protectRtcp(back.buf.data(), back.len, kCapacity));
      ASSERT_TRUE(ours_->unprotectRtcp(back.buf.data(), back.len));
      EXPECT_EQ(back.bytes(), plainBack);
    }
  }
}

TEST_P(SrtpInterop, ReplaysAreRejected) {
  Packet p = rtp(7, 0x1234);
  ASSERT_TRUE(theirs_->protectRtp(p.buf.data(), p.len, kCapacity));
  Packet again = p;
  ASSERT_TRUE(ours_->unprotectRtp(p.buf.data(), p.len));
  EXPECT_FALSE(ours_->unprotectRtp(again.buf.data(), again.len));

  Packet r = rtcp(0x1234, 1);
  ASSERT_TRUE(theirs_->protectRtcp(r.buf.data(), r.len, kCapacity));
  Packet rAgain = r;
  ASSERT_TRUE(ours_->unprotectRtcp(r.buf.data(), r.len));
  EXPECT_FALSE(ours_->unprotectRtcp(rAgain.buf.data(), rAgain.len));
}

// Older than the 1024-packet window: refused even though never seen.
TEST_P(SrtpInterop, PacketsOlderThanTheWindowAreRejected) {
  std::vector<Packet> sent;
  for (uint16_t seq : {1, 2000}) {
    Packet p = rtp(seq, 0x42);
    ASSERT_TRUE(theirs_->protectRtp(p.buf.data(), p.len, kCapacity));
    sent.push_back(p);
  }
  ASSERT_TRUE(ours_->unprotectRtp(sent[1].buf.data(), sent[1].len));
  EXPECT_FALSE(ours_->unprotectRtp(sent[0].buf.data(), sent[0].len));
}

// A flipped bit in the header, the payload or the tag fails authentication and leaves no
// trace: the untouched packet still unprotects afterwards.
TEST_P(SrtpInterop, TamperedPacketsAreRejected) {
  Packet p = rtp(9, 0x77, {1, 1, 0, 100});
  ASSERT_TRUE(theirs_->protectRtp(p.buf.data(), p.len, kCapacity));
  for (size_t at : {size_t{1}, size_t{13}, size_t{40}, p.len - 1}) {
    Packet bad = p;
    bad.buf[at] ^= 0x01;
    EXPECT_FALSE(ours_->unprotectRtp(bad.buf.data(), bad.len)) << "byte " << at;
  }
  Packet truncated = p;
  truncated.len -= 1;
  EXPECT_FALSE(ours_->unprotectRtp(truncated.buf.data(), truncated.len));
  EXPECT_TRUE(ours_->unprotectRtp(p.buf.data(), p.len));

  Packet r = rtcp(0x77, 3);
  ASSERT_TRUE(theirs_->protectRtcp(r.buf.data(), r.len, kCapacity));
  for (size_t at : {size_t{5}, size_t{12}, r.len - 1, r.len - 11}) {
    Packet bad = r;
    bad.buf[at] ^= 0x80;
    EXPECT_FALSE(ours_->unprotectRtcp(bad.buf.data(), bad.len)) << "byte " << at;
  }
  EXPECT_TRUE(ours_->unprotectRtcp(r.buf.data(), r.len));
}

// Ours refuses what libsrtp refuses too: a packet from the other direction's key.
TEST_P(SrtpInterop, WrongKeyIsRejected) {
  Packet p = rtp(1, 0x31);
  ASSERT_TRUE(twin_->protectRtp(p.buf.data(), p.len, kCapacity));  // our local key
  EXPECT_FALSE(ours_->unprotectRtp(p.buf.data(), p.len));
}

// Per-SSRC state is bounded: forged packets from unknown SSRCs take no slot, authenticated
// ones take one each up to kMaxStreams, then new SSRCs are refused and known ones still work.
TEST_P(SrtpInterop, SsrcTableIsBounded) {
  for (uint32_t i = 0; i < 2 * SrtpSession::kMaxStreams; ++i) {
    Packet forged = rtp(1, 0x70000000u + i);
    forged.len += 16;  // room for a (wrong) tag
    EXPECT_FALSE(ours_->unprotectRtp(forged.buf.data(), forged.len));
  }
  for (uint32_t i = 0; i <= SrtpSession::kMaxStreams; ++i) {
    Packet p = rtp(1, 0x1000u + i);
    ASSERT_TRUE(theirs_->protectRtp(p.buf.data(), p.len, kCapacity));
    EXPECT_EQ(ours_->unprotectRtp(p.buf.data(), p.len), i < SrtpSession::kMaxStreams) << i;
  }
  Packet known = rtp(2, 0x1000u);
  ASSERT_TRUE(theirs_->protectRtp(known.buf.data(), known.len, kCapacity));
  EXPECT_TRUE(ours_->unprotectRtp(known.buf.data(), known.len));
}

INSTANTIATE_TEST_SUITE_P(Profiles, SrtpInterop,
                         ::testing::Values(SrtpProfile::AeadAes128Gcm,
                                           SrtpProfile::Aes128CmSha1_80),
                         [](const auto& info) {
                           return info.param == SrtpProfile::AeadAes128Gcm ? "Gcm" : "Cm";
                         });

}  // namespace
}  // namespace rc::crypto
