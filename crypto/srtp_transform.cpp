#include "crypto/srtp_transform.h"

#include <openssl/crypto.h>

#include <climits>
#include <cstring>
#include <new>

#include "crypto/srtp_kdf.h"

namespace rc::crypto {
namespace {

constexpr size_t kRtcpHeader = 8;         // RFC 3711 §3.4: header + sender SSRC stay clear
constexpr uint32_t kEFlag = 0x80000000u;  // RFC 3711 §3.4 E flag
constexpr uint32_t kSrtcpIndexMask = 0x7fffffff;

uint32_t readBe32(const uint8_t* p) noexcept {
  return uint32_t{p[0]} << 24 | uint32_t{p[1]} << 16 | uint32_t{p[2]} << 8 | p[3];
}
void writeBe32(uint8_t* p, uint32_t v) noexcept {
  p[0] = uint8_t(v >> 24);
  p[1] = uint8_t(v >> 16);
  p[2] = uint8_t(v >> 8);
  p[3] = uint8_t(v);
}
void writeBe48(uint8_t* p, uint64_t v) noexcept {
  for (int i = 0; i < 6; ++i) p[i] = uint8_t(v >> (40 - 8 * i));
}
void xorInto(uint8_t* iv, const uint8_t* salt, size_t n) noexcept {
  for (size_t i = 0; i < n; ++i) iv[i] ^= salt[i];
}

// RFC 7714 §8.1 (SRTP: 00 00 || SSRC || ROC || SEQ) and §9.1 (SRTCP: 00 00 || SSRC || 00 00
// || 0 + 31-bit index), XOR the 96-bit session salt.
void gcmIv(uint8_t* iv, const uint8_t* salt, uint32_t ssrc, uint64_t index48) noexcept {
  std::memset(iv, 0, 12);
  writeBe32(iv + 2, ssrc);
  writeBe48(iv + 6, index48);
  xorInto(iv, salt, 12);
}

// RFC 3711 §4.1.1: IV = (k_s * 2^16) XOR (SSRC * 2^64) XOR (i * 2^16); for SRTCP i is the
// SRTCP index (§4.1.1, last paragraph).
void cmIv(uint8_t* iv, const uint8_t* salt, uint32_t ssrc, uint64_t index48) noexcept {
  std::memset(iv, 0, 16);
  writeBe32(iv + 4, ssrc);
  writeBe48(iv + 8, index48);
  xorInto(iv, salt, 14);
}

// GCM: the AAD pieces (output nullptr), then the data in place.
using EvpUpdate = int (*)(EVP_CIPHER_CTX*, unsigned char*, int*, const unsigned char*, int);
bool gcmUpdate(EvpUpdate update, EVP_CIPHER_CTX* ctx, std::span<const uint8_t> aad1,
               std::span<const uint8_t> aad2, uint8_t* data, size_t n) noexcept {
  int out = 0;
  for (auto aad : {aad1, aad2}) {
    if (!aad.empty() && update(ctx, nullptr, &out, aad.data(), static_cast<int>(aad.size())) != 1) {
      return false;
    }
  }
  return n == 0 || update(ctx, data, &out, data, static_cast<int>(n)) == 1;
}

bool deriveKeys(std::span<const uint8_t> key, std::span<const uint8_t> salt, bool rtcp,
                size_t saltLength, SrtpSessionKeys& out) {
  auto label = [rtcp](SrtpLabel rtpLabel) {
    return static_cast<SrtpLabel>(static_cast<uint8_t>(rtpLabel) + (rtcp ? 3 : 0));
  };
  return deriveSrtpKey(key, salt, label(SrtpLabel::RtpCipher), out.cipherKey) &&
         deriveSrtpKey(key, salt, label(SrtpLabel::RtpAuth), out.authKey) &&
         deriveSrtpKey(key, salt, label(SrtpLabel::RtpSalt),
                       std::span<uint8_t>(out.salt).first(saltLength));
}

}  // namespace

SrtpTransform::SrtpTransform(SrtpProfile profile, Direction direction)
    : profile_(profile), direction_(direction) {}

SrtpTransform::~SrtpTransform() {
  EVP_CIPHER_CTX_free(rtp_.cipher);
  EVP_CIPHER_CTX_free(rtcp_.cipher);
  OPENSSL_cleanse(rtp_.salt.data(), rtp_.salt.size());
  OPENSSL_cleanse(rtcp_.salt.data(), rtcp_.salt.size());
}

std::unique_ptr<SrtpTransform> SrtpTransform::fromMaster(SrtpProfile profile,
                                                         std::span<const uint8_t> masterKeySalt,
                                                         Direction direction) {
  const size_t keyLength = srtpMasterKeyLength(profile);
  const size_t saltLength = srtpMasterSaltLength(profile);
  if (keyLength != 16 || masterKeySalt.size() != keyLength + saltLength) return nullptr;
  auto key = masterKeySalt.first(keyLength);
  auto salt = masterKeySalt.subspan(keyLength);
  SrtpSessionKeys rtp, rtcp;
  const bool ok = deriveKeys(key, salt, false, saltLength, rtp) &&
                  deriveKeys(key, salt, true, saltLength, rtcp);
  auto transform = ok ? fromSessionKeys(profile, rtp, rtcp, direction) : nullptr;
  OPENSSL_cleanse(&rtp, sizeof(rtp));
  OPENSSL_cleanse(&rtcp, sizeof(rtcp));
  return transform;
}

std::unique_ptr<SrtpTransform> SrtpTransform::fromSessionKeys(SrtpProfile profile,
                                                              const SrtpSessionKeys& rtp,
                                                              const SrtpSessionKeys& rtcp,
                                                              Direction direction) {
  std::unique_ptr<SrtpTransform> t(new SrtpTransform(profile, direction));
  if (!t->init(rtp, rtcp)) return nullptr;
  return t;
}

bool SrtpTransform::init(const SrtpSessionKeys& rtp, const SrtpSessionKeys& rtcp) noexcept {
  if (gcm() && direction_ == Direction::Protect) {
    rtp_.sealer.reset(new (std::nothrow) AesGcmSealer(rtp.cipherKey));
    rtp_.salt = rtp.salt;
    return rtp_.sealer != nullptr && initEvp(rtcp_, rtcp);
  }
  return initEvp(rtp_, rtp) && initEvp(rtcp_, rtcp);
}

bool SrtpTransform::initEvp(Keyed& keyed, const SrtpSessionKeys& keys) noexcept {
  const EVP_CIPHER* cipher = gcm() ? EVP_aes_128_gcm() : EVP_aes_128_ctr();
  keyed.cipher = EVP_CIPHER_CTX_new();
  if (keyed.cipher == nullptr) return false;
  // GCM decryption needs a decrypting context; CTR is its own inverse.
  const bool decrypt = gcm() && direction_ == Direction::Unprotect;
  const int ok =
      decrypt ? EVP_DecryptInit_ex(keyed.cipher, cipher, nullptr, keys.cipherKey.data(), nullptr)
              : EVP_EncryptInit_ex(keyed.cipher, cipher, nullptr, keys.cipherKey.data(), nullptr);
  if (ok != 1) return false;
  if (!gcm()) keyed.auth.setKey(keys.authKey);
  keyed.salt = keys.salt;
  return true;
}

bool SrtpTransform::gcmSeal(EVP_CIPHER_CTX* ctx, const uint8_t* iv, std::span<const uint8_t> aad1,
                            std::span<const uint8_t> aad2, uint8_t* data, size_t n,
                            uint8_t* tag) noexcept {
  int out = 0;
  return EVP_EncryptInit_ex(ctx, nullptr, nullptr, nullptr, iv) == 1 &&
         gcmUpdate(EVP_EncryptUpdate, ctx, aad1, aad2, data, n) &&
         EVP_EncryptFinal_ex(ctx, data + n, &out) == 1 &&
         EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, 16, tag) == 1;
}

bool SrtpTransform::gcmOpen(EVP_CIPHER_CTX* ctx, const uint8_t* iv, std::span<const uint8_t> aad1,
                            std::span<const uint8_t> aad2, uint8_t* data, size_t n,
                            const uint8_t* tag) noexcept {
  int out = 0;
  // EVP_CTRL_GCM_SET_TAG takes a non-const pointer but only reads it.
  return EVP_DecryptInit_ex(ctx, nullptr, nullptr, nullptr, iv) == 1 &&
         gcmUpdate(EVP_DecryptUpdate, ctx, aad1, aad2, data, n) &&
         EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, 16, const_cast<uint8_t*>(tag)) == 1 &&
         EVP_DecryptFinal_ex(ctx, data + n, &out) == 1;
}

bool SrtpTransform::ctr(EVP_CIPHER_CTX* ctx, const uint8_t* iv, uint8_t* data, size_t n) noexcept {
  int out = 0;
  return EVP_EncryptInit_ex(ctx, nullptr, nullptr, nullptr, iv) == 1 &&
         (n == 0 || EVP_EncryptUpdate(ctx, data, &out, data, static_cast<int>(n)) == 1);
}

// RFC 7714 §8.2 (AAD = the header up to the payload) / RFC 3711 §4.1.1 + §4.2 (the tag covers
// the header, the encrypted payload and the ROC, RFC 3711 §3.1).
bool SrtpTransform::protectRtp(uint8_t* buf, size_t headerLength, size_t& len,
                               uint64_t index) noexcept {
  if (headerLength < 12 || headerLength > len || len > INT_MAX) return false;
  const uint32_t ssrc = readBe32(buf + 8);
  if (gcm()) {
    uint8_t iv[12];
    gcmIv(iv, rtp_.salt.data(), ssrc, index);
    if (!rtp_.sealer) return false;  // an Unprotect transform
    rtp_.sealer->seal(iv, {buf, headerLength}, buf + headerLength, len - headerLength, buf + len);
  } else {
    uint8_t iv[16];
    cmIv(iv, rtp_.salt.data(), ssrc, index);
    if (!ctr(rtp_.cipher, iv, buf + headerLength, len - headerLength)) return false;
    uint8_t roc[4], digest[HmacSha1::kDigestLength];
    writeBe32(roc, static_cast<uint32_t>(index >> 16));
    rtp_.auth.compute({buf, len}, roc, digest);
    std::memcpy(buf + len, digest, tagLength());
  }
  len += tagLength();
  return true;
}

bool SrtpTransform::unprotectRtp(uint8_t* buf, size_t headerLength, size_t& len,
                                 uint64_t index) noexcept {
  if (headerLength < 12 || len > INT_MAX || len < headerLength + tagLength()) return false;
  const size_t end = len - tagLength();
  const uint32_t ssrc = readBe32(buf + 8);
  if (gcm()) {
    uint8_t iv[12];
    gcmIv(iv, rtp_.salt.data(), ssrc, index);
    if (!gcmOpen(rtp_.cipher, iv, {buf, headerLength}, {}, buf + headerLength, end - headerLength,
                 buf + end)) {
      return false;
    }
  } else {
    uint8_t roc[4], digest[HmacSha1::kDigestLength];
    writeBe32(roc, static_cast<uint32_t>(index >> 16));
    rtp_.auth.compute({buf, end}, roc, digest);
    if (CRYPTO_memcmp(digest, buf + end, tagLength()) != 0) return false;
    uint8_t iv[16];
    cmIv(iv, rtp_.salt.data(), ssrc, index);
    if (!ctr(rtp_.cipher, iv, buf + headerLength, end - headerLength)) return false;
  }
  len = end;
  return true;
}

bool SrtpTransform::protectRtcp(uint8_t* buf, size_t& len, uint32_t srtcpIndex,
                                bool encrypt) noexcept {
  if (len < kRtcpHeader || len > INT_MAX || srtcpIndex > kSrtcpIndexMask) return false;
  const uint32_t word = srtcpIndex | (encrypt ? kEFlag : 0);
  return gcm() ? gcmRtcpProtect(buf, len, word) : cmRtcpProtect(buf, len, word);
}

bool SrtpTransform::readSrtcpIndexWord(const uint8_t* buf, size_t len,
                                       uint32_t& word) const noexcept {
  if (len < kRtcpHeader + rtcpTrailer()) return false;
  // RFC 7714 §9: ... || tag || E+index; RFC 3711 §3.4: ... || E+index || tag.
  word = readBe32(buf + len - (gcm() ? 4 : rtcpTrailer()));
  return true;
}

bool SrtpTransform::unprotectRtcp(uint8_t* buf, size_t& len) noexcept {
  if (len < kRtcpHeader + rtcpTrailer() || len > INT_MAX) return false;
  return gcm() ? gcmRtcpUnprotect(buf, len) : cmRtcpUnprotect(buf, len);
}

// RFC 7714 §9.2-9.3: with E set, AAD = the first 8 octets || E+index and the rest is
// encrypted; without E, the whole packet || E+index is AAD. Wire: ... || tag || E+index.
bool SrtpTransform::gcmRtcpProtect(uint8_t* buf, size_t& len, uint32_t word) noexcept {
  uint8_t iv[12], wordBytes[4];
  writeBe32(wordBytes, word);
  gcmIv(iv, rtcp_.salt.data(), readBe32(buf + 4), word & kSrtcpIndexMask);
  const bool encrypt = (word & kEFlag) != 0;
  const size_t clear = encrypt ? kRtcpHeader : len;
  if (!gcmSeal(rtcp_.cipher, iv, {buf, clear}, wordBytes, buf + clear, len - clear, buf + len)) {
    return false;
  }
  std::memcpy(buf + len + 16, wordBytes, 4);
  len += rtcpTrailer();
  return true;
}

bool SrtpTransform::gcmRtcpUnprotect(uint8_t* buf, size_t& len) noexcept {
  const size_t end = len - rtcpTrailer();
  const uint8_t* wordBytes = buf + len - 4;
  const uint32_t word = readBe32(wordBytes);
  uint8_t iv[12];
  gcmIv(iv, rtcp_.salt.data(), readBe32(buf + 4), word & kSrtcpIndexMask);
  const size_t clear = (word & kEFlag) != 0 ? kRtcpHeader : end;
  if (!gcmOpen(rtcp_.cipher, iv, {buf, clear}, {wordBytes, 4}, buf + clear, end - clear,
               buf + end)) {
    return false;
  }
  len = end;
  return true;
}

// RFC 3711 §3.4: ... || E+index || tag, the tag over everything before it (§4.2).
bool SrtpTransform::cmRtcpProtect(uint8_t* buf, size_t& len, uint32_t word) noexcept {
  if ((word & kEFlag) != 0) {
    uint8_t iv[16];
    cmIv(iv, rtcp_.salt.data(), readBe32(buf + 4), word & kSrtcpIndexMask);
    if (!ctr(rtcp_.cipher, iv, buf + kRtcpHeader, len - kRtcpHeader)) return false;
  }
  writeBe32(buf + len, word);
  len += 4;
  uint8_t digest[HmacSha1::kDigestLength];
  rtcp_.auth.compute({buf, len}, {}, digest);
  std::memcpy(buf + len, digest, tagLength());
  len += tagLength();
  return true;
}

bool SrtpTransform::cmRtcpUnprotect(uint8_t* buf, size_t& len) noexcept {
  const size_t authenticated = len - tagLength();
  uint8_t digest[HmacSha1::kDigestLength];
  rtcp_.auth.compute({buf, authenticated}, {}, digest);
  if (CRYPTO_memcmp(digest, buf + authenticated, tagLength()) != 0) return false;
  const size_t end = authenticated - 4;
  const uint32_t word = readBe32(buf + end);
  if ((word & kEFlag) != 0) {
    uint8_t iv[16];
    cmIv(iv, rtcp_.salt.data(), readBe32(buf + 4), word & kSrtcpIndexMask);
    if (!ctr(rtcp_.cipher, iv, buf + kRtcpHeader, end - kRtcpHeader)) return false;
  }
  len = end;
  return true;
}

}  // namespace rc::crypto
