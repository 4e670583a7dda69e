#include "crypto/aes_gcm_sealer.h"

#include <openssl/crypto.h>

namespace rc::crypto {

AesGcmSealer::AesGcmSealer(std::span<const uint8_t, 16> key) noexcept {
  gcm_aes128_set_key(&ctx_, key.data());
}

AesGcmSealer::~AesGcmSealer() {
  OPENSSL_cleanse(&ctx_, sizeof ctx_);
}

void AesGcmSealer::seal(const uint8_t* iv, std::span<const uint8_t> aad, uint8_t* data, size_t n,
                        uint8_t* tag) noexcept {
  gcm_aes128_set_iv(&ctx_, kIvLength, iv);
  if (!aad.empty()) gcm_aes128_update(&ctx_, aad.size(), aad.data());
  if (n != 0) gcm_aes128_encrypt(&ctx_, n, data, data);
  gcm_aes128_digest(&ctx_, kTagLength, tag);
}

}  // namespace rc::crypto
