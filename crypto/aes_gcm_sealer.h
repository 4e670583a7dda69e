// AES-128-GCM sealing (NIST SP 800-38D; RFC 5116 §5.1: 96-bit IV, 128-bit tag) on nettle, for
// the one cipher operation a worker runs per packet and per subscriber: protecting forwarded
// SRTP (RFC 7714 §8). Why nettle and not OpenSSL's EVP here: each EVP seal pays about 270 ns
// of dispatch on this hardware (provider calls, OSSL_PARAM look-ups by name for the IV and the
// tag) whatever the packet size, 65 % of sealing a 100-byte Opus packet; nettle's
// gcm_aes128_* calls take the key schedule and GHASH key as they are and use AES-NI and
// PCLMULQDQ where the CPU has them (bench/README.md, "SRTP"). Opening, and the rarer RTCP
// seal, stay on OpenSSL: nettle's GHASH key table costs 4 KiB per key.
#pragma once

#include <nettle/gcm.h>

#include <cstddef>
#include <cstdint>
#include <span>

namespace rc::crypto {

class AesGcmSealer {
 public:
  static constexpr size_t kIvLength = 12;
  static constexpr size_t kTagLength = 16;

  explicit AesGcmSealer(std::span<const uint8_t, 16> key) noexcept;
  ~AesGcmSealer();
  AesGcmSealer(const AesGcmSealer&) = delete;
  AesGcmSealer& operator=(const AesGcmSealer&) = delete;

  // Authenticates `aad` (may be empty), encrypts `data` in place and writes the 16-byte tag.
  // Nothing is allocated; cannot fail.
  void seal(const uint8_t* iv, std::span<const uint8_t> aad, uint8_t* data, size_t n,
            uint8_t* tag) noexcept;

 private:
  gcm_aes128_ctx ctx_;
};

}  // namespace rc::crypto
