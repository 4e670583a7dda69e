// HMAC-SHA1 (RFC 2104) for SRTP authentication (RFC 3711 §4.2.1) without allocation per
// message: the inner and outer SHA-1 states after the padded key block are computed once,
// and each message starts from a plain copy of them.
//
// Why not EVP_MAC or HMAC_CTX: with OpenSSL 3.0 (Debian 12) every HMAC_CTX_copy, re-init of
// an HMAC with the stored key or EVP_MD_CTX_copy_ex duplicates the provider's digest context
// on the heap (1-4 mallocs per packet, measured). SHA_CTX is a plain struct, so copying the
// keyed states is a memcpy, and SHA1_Update runs the same SHA-NI/AVX code as EVP. (SHA_CTX
// is not deprecated in 3.0; the SHA1_* functions are, so only hmac_sha1.cpp calls them.)
#pragma once

#include <openssl/sha.h>

#include <cstddef>
#include <cstdint>
#include <span>

namespace rc::crypto {

class HmacSha1 {
 public:
  static constexpr size_t kDigestLength = 20;

  HmacSha1() = default;
  ~HmacSha1();
  HmacSha1(const HmacSha1&) = delete;
  HmacSha1& operator=(const HmacSha1&) = delete;

  // Any key length (RFC 2104 §3: keys longer than the 64-byte block are hashed first).
  void setKey(std::span<const uint8_t> key) noexcept;

  // HMAC(key, first || second) into `out` (20 bytes). `second` may be empty.
  void compute(std::span<const uint8_t> first, std::span<const uint8_t> second,
               uint8_t* out) const noexcept;

 private:
  SHA_CTX inner_{};
  SHA_CTX outer_{};
};

}  // namespace rc::crypto
