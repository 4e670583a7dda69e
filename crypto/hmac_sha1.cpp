// SHA1_Init/Update/Final are deprecated in OpenSSL 3.0 but are the only allocation-free way to
// restart a keyed SHA-1 state (hmac_sha1.h).
#define OPENSSL_SUPPRESS_DEPRECATED

#include "crypto/hmac_sha1.h"

#include <openssl/crypto.h>

#include <array>
#include <cstring>

namespace rc::crypto {
namespace {

constexpr size_t kBlock = 64;  // SHA-1 block size (RFC 2104 §2: B = 64)

void padState(SHA_CTX& state, const std::array<uint8_t, kBlock>& key, uint8_t pad) noexcept {
  std::array<uint8_t, kBlock> block;
  for (size_t i = 0; i < kBlock; ++i) block[i] = key[i] ^ pad;
  SHA1_Init(&state);
  SHA1_Update(&state, block.data(), block.size());
  OPENSSL_cleanse(block.data(), block.size());
}

}  // namespace

HmacSha1::~HmacSha1() {
  OPENSSL_cleanse(&inner_, sizeof(inner_));
  OPENSSL_cleanse(&outer_, sizeof(outer_));
}

void HmacSha1::setKey(std::span<const uint8_t> key) noexcept {
  std::array<uint8_t, kBlock> padded{};
  if (key.size() > kBlock) {
    SHA1(key.data(), key.size(), padded.data());
  } else {
    std::memcpy(padded.data(), key.data(), key.size());
  }
  padState(inner_, padded, 0x36);  // ipad
  padState(outer_, padded, 0x5c);  // opad
  OPENSSL_cleanse(padded.data(), padded.size());
}

void HmacSha1::compute(std::span<const uint8_t> first, std::span<const uint8_t> second,
                       uint8_t* out) const noexcept {
  SHA_CTX ctx = inner_;
  SHA1_Update(&ctx, first.data(), first.size());
  if (!second.empty()) SHA1_Update(&ctx, second.data(), second.size());
  uint8_t innerDigest[kDigestLength];
  SHA1_Final(innerDigest, &ctx);
  ctx = outer_;
  SHA1_Update(&ctx, innerDigest, sizeof(innerDigest));
  SHA1_Final(out, &ctx);
}

}  // namespace rc::crypto
