// The SRTP/SRTCP packet transforms of one direction (protect or unprotect) on OpenSSL EVP
// contexts keyed once: SRTP_AEAD_AES_128_GCM (RFC 7714 §8-9) and SRTP_AES128_CM_HMAC_SHA1_80
// (RFC 3711 §4.1.1, §4.2). Per packet only the IV changes; nothing is allocated. GCM
// protection of RTP runs on nettle (crypto/aes_gcm_sealer.h says why).
//
// Why hand-written and not libsrtp2: Debian's libsrtp2 is built against NSS, whose PKCS#11
// layers re-create cipher contexts and take locks for every packet (about a quarter of a
// worker's time in libsoftokn3 under load, 2x the bare cipher for GCM and 10x for AES-CM +
// HMAC-SHA1). The tests keep libsrtp2 as the reference implementation (interop both ways).
//
// Index bookkeeping (ROC, replay) lives in SrtpSession; this class only transforms a packet
// for a given index. Capacity is the caller's business: protect appends rtpTrailer() or
// rtcpTrailer() bytes after `len`.
#pragma once

#include <openssl/evp.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>

#include "crypto/aes_gcm_sealer.h"
#include "crypto/dtls.h"
#include "crypto/hmac_sha1.h"

namespace rc::crypto {

// The session keys of RTP or of RTCP, derived from the master key (RFC 3711 §4.3).
struct SrtpSessionKeys {
  std::array<uint8_t, 16> cipherKey{};
  std::array<uint8_t, 20> authKey{};  // AES-CM-HMAC-SHA1 only
  std::array<uint8_t, 14> salt{};     // GCM uses the first 12 octets
};

class SrtpTransform {
 public:
  enum class Direction { Protect, Unprotect };

  // Derives the session keys from master key || master salt (RFC 5764 §4.2 layout).
  static std::unique_ptr<SrtpTransform> fromMaster(SrtpProfile profile,
                                                   std::span<const uint8_t> masterKeySalt,
                                                   Direction direction);
  // Session keys given directly (the RFC 7714 / RFC 3711 test vectors do this).
  static std::unique_ptr<SrtpTransform> fromSessionKeys(SrtpProfile profile,
                                                        const SrtpSessionKeys& rtp,
                                                        const SrtpSessionKeys& rtcp,
                                                        Direction direction);
  ~SrtpTransform();
  SrtpTransform(const SrtpTransform&) = delete;
  SrtpTransform& operator=(const SrtpTransform&) = delete;

  SrtpProfile profile() const noexcept { return profile_; }
  // Bytes protect appends: the tag (16 GCM, 10 HMAC-SHA1-80) and for SRTCP the E||index word.
  size_t rtpTrailer() const noexcept { return tagLength(); }
  size_t rtcpTrailer() const noexcept { return tagLength() + 4; }

  // SRTP (RFC 3711 §3.1). `headerLength` covers the fixed header, CSRCs and the header
  // extension; `index` is ROC * 2^16 + SEQ. Protect encrypts the payload in place and appends
  // the tag (len += rtpTrailer()); unprotect authenticates, then decrypts and removes it.
  bool protectRtp(uint8_t* buf, size_t headerLength, size_t& len, uint64_t index) noexcept;
  bool unprotectRtp(uint8_t* buf, size_t headerLength, size_t& len, uint64_t index) noexcept;

  // SRTCP (RFC 3711 §3.4, RFC 7714 §9). Protect encrypts everything after the first 8 octets
  // when `encrypt` (the E flag; always set by SrtpSession) and appends E||index and the tag.
  bool protectRtcp(uint8_t* buf, size_t& len, uint32_t srtcpIndex, bool encrypt = true) noexcept;
  // The E||SRTCP index word of a protected SRTCP packet; false when too short.
  bool readSrtcpIndexWord(const uint8_t* buf, size_t len, uint32_t& word) const noexcept;
  bool unprotectRtcp(uint8_t* buf, size_t& len) noexcept;

 private:
  SrtpTransform(SrtpProfile profile, Direction direction);
  bool init(const SrtpSessionKeys& rtp, const SrtpSessionKeys& rtcp) noexcept;
  bool gcm() const noexcept { return profile_ == SrtpProfile::AeadAes128Gcm; }
  size_t tagLength() const noexcept { return gcm() ? 16 : 10; }

  bool gcmSeal(EVP_CIPHER_CTX* ctx, const uint8_t* iv, std::span<const uint8_t> aad1,
               std::span<const uint8_t> aad2, uint8_t* data, size_t n, uint8_t* tag) noexcept;
  bool gcmOpen(EVP_CIPHER_CTX* ctx, const uint8_t* iv, std::span<const uint8_t> aad1,
               std::span<const uint8_t> aad2, uint8_t* data, size_t n, const uint8_t* tag) noexcept;
  bool ctr(EVP_CIPHER_CTX* ctx, const uint8_t* iv, uint8_t* data, size_t n) noexcept;

  bool gcmRtcpProtect(uint8_t* buf, size_t& len, uint32_t word) noexcept;
  bool gcmRtcpUnprotect(uint8_t* buf, size_t& len) noexcept;
  bool cmRtcpProtect(uint8_t* buf, size_t& len, uint32_t word) noexcept;
  bool cmRtcpUnprotect(uint8_t* buf, size_t& len) noexcept;

  // GCM protect of RTP (the per-subscriber, per-packet seal) uses `sealer` and no EVP context;
  // everything else the EVP context.
  struct Keyed {
    EVP_CIPHER_CTX* cipher = nullptr;
    std::unique_ptr<AesGcmSealer> sealer;
    HmacSha1 auth;
    std::array<uint8_t, 14> salt{};
  };
  bool initEvp(Keyed& keyed, const SrtpSessionKeys& keys) noexcept;

  SrtpProfile profile_;
  Direction direction_;
  Keyed rtp_;
  Keyed rtcp_;
};

}  // namespace rc::crypto
