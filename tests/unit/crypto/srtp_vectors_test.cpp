// Our SRTP transforms against published vectors: RFC 3711 Appendix B.2 (AES-CM keystream) and
// B.3 (key derivation), RFC 7714 §16.1 (SRTP AEAD_AES_128_GCM) and §17.1/§17.3 (SRTCP).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "crypto/srtp_kdf.h"
#include "crypto/srtp_replay.h"
#include "crypto/srtp_transform.h"
#include "tests/unit/crypto/hex.h"

namespace rc::crypto {
namespace {

using testing::hex;
using testing::hexArray;

std::vector<uint8_t> derive(SrtpLabel label, size_t n) {
  auto key = hex("E1F97A0D3E018BE0D64FA32C06DE4139");
  auto salt = hex("0EC675AD498AFEEBB6960B3AABE6");
  std::vector<uint8_t> out(n);
  EXPECT_TRUE(deriveSrtpKey(key, salt, label, out));
  return out;
}

TEST(SrtpVectors, Rfc3711B3KeyDerivation) {
  EXPECT_EQ(derive(SrtpLabel::RtpCipher, 16), hex("C61E7A93744F39EE10734AFE3FF7A087"));
  EXPECT_EQ(derive(SrtpLabel::RtpSalt, 14), hex("30CBBC08863D8C85D49DB34A9AE1"));
  EXPECT_EQ(derive(SrtpLabel::RtpAuth, 20), hex("CEBE321F6FF7716B6FD4AB49AF256A156D38BAA4"));
}

TEST(SrtpVectors, KeyDerivationRejectsBadLengths) {
  std::vector<uint8_t> out(16);
  EXPECT_FALSE(deriveSrtpKey(hex("00112233"), hex("0EC675AD498AFEEBB6960B3AABE6"),
                             SrtpLabel::RtpCipher, out));
  EXPECT_FALSE(deriveSrtpKey(hex("E1F97A0D3E018BE0D64FA32C06DE4139"), std::vector<uint8_t>(15),
                             SrtpLabel::RtpCipher, out));
}

// B.2: SSRC 0 and index 0 make the IV the session salt * 2^16, so an all-zero payload comes
// out as the AES-CM keystream.
TEST(SrtpVectors, Rfc3711B2AesCmKeystream) {
  SrtpSessionKeys keys;
  keys.cipherKey = hexArray<16>("2B7E151628AED2A6ABF7158809CF4F3C");
  keys.salt = hexArray<14>("F0F1F2F3F4F5F6F7F8F9FAFBFCFD");
  auto t = SrtpTransform::fromSessionKeys(SrtpProfile::Aes128CmSha1_80, keys, keys,
                                          SrtpTransform::Direction::Protect);
  ASSERT_TRUE(t);
  std::vector<uint8_t> packet(12 + 48 + 10, 0);
  packet[0] = 0x80;
  size_t len = 12 + 48;
  ASSERT_TRUE(t->protectRtp(packet.data(), 12, len, 0));
  EXPECT_EQ(len, 12u + 48 + 10);
  std::vector<uint8_t> keystream(packet.begin() + 12, packet.begin() + 60);
  EXPECT_EQ(keystream, hex("E03EAD0935C95E80E166B16DD92B4EB4 D23513162B02D0F72A43A2FE4A5F97AB"
                           "41E95B3BB0A2E8DD477901E4FCA894C0"));
}

SrtpSessionKeys rfc7714Keys() {
  SrtpSessionKeys keys;
  keys.cipherKey = hexArray<16>("000102030405060708090a0b0c0d0e0f");
  keys.salt = hexArray<14>("517569642070726f2071756f");
  return keys;
}

std::unique_ptr<SrtpTransform> rfc7714(SrtpTransform::Direction direction) {
  return SrtpTransform::fromSessionKeys(SrtpProfile::AeadAes128Gcm, rfc7714Keys(), rfc7714Keys(),
                                        direction);
}

const char* kRfc7714Rtp =
    "8040f17b 8041f8d3 5501a0b2 47616c6c 69612065 7374206f 6d6e6973 20646976"
    "69736120 696e2070 61727465 73207472 6573";
const char* kRfc7714Rtcp =
    "81c8000d 4d617273 4e545031 4e545032 52545020 0000042a 0000e930 4c756e61"
    "deadbeef deadbeef deadbeef deadbeef deadbeef";

TEST(SrtpVectors, Rfc7714Section16_1SrtpGcm) {
  const auto want =
      hex("8040f17b 8041f8d3 5501a0b2 f24de3a3 fb34de6c acba861c 9d7e4bca be633bd5"
          "0d294e6f 42a5f47a 51c7d19b 36de3adf 8833899d 7f27beb1 6a9152cf 765ee439 0cce");
  auto packet = hex(kRfc7714Rtp);
  const size_t plainLength = packet.size();
  packet.resize(plainLength + 16);
  size_t len = plainLength;
  ASSERT_TRUE(
      rfc7714(SrtpTransform::Direction::Protect)->protectRtp(packet.data(), 12, len, 0xf17b));
  packet.resize(len);
  EXPECT_EQ(packet, want);

  auto open = rfc7714(SrtpTransform::Direction::Unprotect);
  ASSERT_TRUE(open->unprotectRtp(packet.data(), 12, len, 0xf17b));
  packet.resize(len);
  EXPECT_EQ(packet, hex(kRfc7714Rtp));
  // Another ROC is another IV: the tag does not verify.
  packet = want;
  len = packet.size();
  EXPECT_FALSE(open->unprotectRtp(packet.data(), 12, len, 0x1f17b));
}

void expectRtcpVector(bool encrypt, const std::string& expected) {
  auto packet = hex(kRfc7714Rtcp);
  const size_t plainLength = packet.size();
  packet.resize(plainLength + 20);
  size_t len = plainLength;
  ASSERT_TRUE(
      rfc7714(SrtpTransform::Direction::Protect)->protectRtcp(packet.data(), len, 0x5d4, encrypt));
  packet.resize(len);
  EXPECT_EQ(packet, hex(expected));

  auto open = rfc7714(SrtpTransform::Direction::Unprotect);
  uint32_t word = 0;
  ASSERT_TRUE(open->readSrtcpIndexWord(packet.data(), len, word));
  EXPECT_EQ(word, 0x5d4u | (encrypt ? 0x80000000u : 0));
  ASSERT_TRUE(open->unprotectRtcp(packet.data(), len));
  packet.resize(len);
  EXPECT_EQ(packet, hex(kRfc7714Rtcp));
}

TEST(SrtpVectors, Rfc7714Section17_1SrtcpGcmEncrypted) {
  expectRtcpVector(true,
                   "81c8000d 4d617273 63e94885 dcdab67c a727d766 2f6b7e99 7ff5c0f7 6c06f32d"
                   "c676a5f1 730d6fda 4ce09b46 86303ded 0bb9275b c84aa458 96cf4d2f c5abf872"
                   "45d9eade 800005d4");
}

TEST(SrtpVectors, Rfc7714Section17_3SrtcpGcmAuthenticatedOnly) {
  expectRtcpVector(false,
                   "81c8000d 4d617273 4e545031 4e545032 52545020 0000042a 0000e930 4c756e61"
                   "deadbeef deadbeef deadbeef deadbeef deadbeef 841dd968 3dd78ec9 2ae58790"
                   "125f62b3 000005d4");
}

// RFC 3711 Appendix A, with libsrtp2's rule of no ROC below 0.
TEST(SrtpIndex, EstimatesRolloverAroundTheHighestIndex) {
  EXPECT_EQ(estimateSrtpIndex(0, 5), 5u);
  EXPECT_EQ(estimateSrtpIndex(100, 65000), 65000u);         // early: ROC stays 0
  EXPECT_EQ(estimateSrtpIndex(65530, 3), 0x10003u);         // wrap forward
  EXPECT_EQ(estimateSrtpIndex(0x10003, 65530), 65530u);     // late packet from before the wrap
  EXPECT_EQ(estimateSrtpIndex(0x10003, 10), 0x1000au);      // same ROC
  EXPECT_EQ(estimateSrtpIndex(0x2fff0, 0x10), 0x30010u);    // ROC 2 -> 3
  EXPECT_EQ(estimateSrtpIndex(0x30010, 0xfff0), 0x2fff0u);  // ROC 3 -> 2 for a late one
}

TEST(SrtpReplay, WindowAcceptsOnceAndForgetsTheOld) {
  ReplayWindow<64> w;
  EXPECT_TRUE(w.fresh(10));
  w.accept(10);
  EXPECT_FALSE(w.fresh(10));
  EXPECT_TRUE(w.fresh(9));
  w.accept(9);
  EXPECT_FALSE(w.fresh(9));
  w.accept(73);  // the window is now [10, 73]: 10 is remembered, 9 is too old
  EXPECT_FALSE(w.fresh(10));
  EXPECT_FALSE(w.fresh(9));
  EXPECT_TRUE(w.fresh(11));
  w.accept(1000);  // jump: the whole window is cleared
  EXPECT_TRUE(w.fresh(999));
  EXPECT_FALSE(w.fresh(1000));
  EXPECT_FALSE(w.fresh(1000 - 64));
  EXPECT_TRUE(w.fresh(1000 - 63));
}

}  // namespace
}  // namespace rc::crypto
