// The nettle sealer against the GCM specification's test case 4 (AES-128, 96-bit IV, AAD) and
// against OpenSSL's EVP AES-128-GCM for every length a datagram can have.
#include "crypto/aes_gcm_sealer.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>

#include <array>
#include <memory>
#include <string>
#include <vector>

#include "tests/unit/crypto/hex.h"

namespace rc::crypto {
namespace {

using testing::hex;
using testing::hexArray;

// McGrew & Viega, "The Galois/Counter Mode of Operation", Appendix B, test case 4.
TEST(AesGcmSealer, SpecificationTestCase4) {
  AesGcmSealer sealer(hexArray<16>("feffe9928665731c6d6a8f9467308308"));
  auto data =
      hex("d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e24"
          "49a6b525b16aedf5aa0de657ba637b39");
  const auto aad = hex("feedfacedeadbeeffeedfacedeadbeefabaddad2");
  const auto iv = hex("cafebabefacedbaddecaf888");
  std::array<uint8_t, 16> tag{};
  sealer.seal(iv.data(), aad, data.data(), data.size(), tag.data());
  EXPECT_EQ(data, hex("42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e21d514b2"
                      "5466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091"));
  EXPECT_EQ(std::vector<uint8_t>(tag.begin(), tag.end()), hex("5bc94fbc3221a5db94fae95ae7121a47"));
}

struct EvpSeal {
  std::vector<uint8_t> data;
  std::array<uint8_t, 16> tag{};
};

EvpSeal evpSeal(const std::array<uint8_t, 16>& key, const uint8_t* iv,
                const std::vector<uint8_t>& aad, std::vector<uint8_t> data) {
  std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)> ctx(EVP_CIPHER_CTX_new(),
                                                                      EVP_CIPHER_CTX_free);
  int out = 0;
  EvpSeal sealed;
  EXPECT_EQ(EVP_EncryptInit_ex(ctx.get(), EVP_aes_128_gcm(), nullptr, key.data(), iv), 1);
  if (!aad.empty()) {
    EXPECT_EQ(EVP_EncryptUpdate(ctx.get(), nullptr, &out, aad.data(), int(aad.size())), 1);
  }
  if (!data.empty()) {
    EXPECT_EQ(EVP_EncryptUpdate(ctx.get(), data.data(), &out, data.data(), int(data.size())), 1);
  }
  EXPECT_EQ(EVP_EncryptFinal_ex(ctx.get(), nullptr, &out), 1);
  EXPECT_EQ(EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, 16, sealed.tag.data()), 1);
  sealed.data = std::move(data);
  return sealed;
}

// One sealer reused for every packet, as a worker does: each seal must depend only on its IV.
TEST(AesGcmSealer, MatchesOpenSslForEveryDatagramLength) {
  const auto key = hexArray<16>("000102030405060708090a0b0c0d0e0f");
  AesGcmSealer sealer(key);
  for (size_t aadLength : {0u, 12u, 16u, 28u, 60u}) {
    for (size_t n = 0; n <= 1500; n += (n < 40 ? 1 : 37)) {
      std::array<uint8_t, 12> iv{};
      iv[0] = uint8_t(n);
      iv[11] = uint8_t(aadLength);
      std::vector<uint8_t> aad(aadLength), data(n);
      for (size_t i = 0; i < aad.size(); ++i) aad[i] = uint8_t(i * 7 + 1);
      for (size_t i = 0; i < data.size(); ++i) data[i] = uint8_t(i * 13 + n);
      EvpSeal expected = evpSeal(key, iv.data(), aad, data);
      std::array<uint8_t, 16> tag{};
      sealer.seal(iv.data(), aad, data.data(), data.size(), tag.data());
      ASSERT_EQ(data, expected.data) << "aad " << aadLength << " length " << n;
      ASSERT_EQ(tag, expected.tag) << "aad " << aadLength << " length " << n;
    }
  }
}

}  // namespace
}  // namespace rc::crypto
