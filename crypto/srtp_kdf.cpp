#include "crypto/srtp_kdf.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <climits>
#include <memory>

namespace rc::crypto {

bool deriveSrtpKey(std::span<const uint8_t> masterKey, std::span<const uint8_t> masterSalt,
                   SrtpLabel label, std::span<uint8_t> out) {
  if (masterKey.size() != 16 || masterSalt.size() > kSrtpKdfSaltLength || out.size() > INT_MAX) {
    return false;
  }
  // RFC 3711 §4.3.1: key_id = label || r (56 bits) is XORed into the low 56 bits of the
  // 112-bit salt, so the label lands on octet 7; the counter is the last two octets.
  std::array<uint8_t, 16> iv{};
  std::copy(masterSalt.begin(), masterSalt.end(), iv.begin());
  iv[7] ^= static_cast<uint8_t>(label);
  std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)> ctx(EVP_CIPHER_CTX_new(),
                                                                      &EVP_CIPHER_CTX_free);
  std::fill(out.begin(), out.end(), uint8_t{0});
  int n = 0;
  bool ok =
      ctx &&
      EVP_EncryptInit_ex(ctx.get(), EVP_aes_128_ctr(), nullptr, masterKey.data(), iv.data()) == 1 &&
      EVP_EncryptUpdate(ctx.get(), out.data(), &n, out.data(), static_cast<int>(out.size())) == 1;
  OPENSSL_cleanse(iv.data(), iv.size());
  return ok && static_cast<size_t>(n) == out.size();
}

}  // namespace rc::crypto
