#include "crypto/certificate.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>

#include <unistd.h>

namespace rc::crypto {
namespace {

namespace fs = std::filesystem;

std::string subjectCn(X509* cert) {
  char buf[64] = {};
  X509_NAME_get_text_by_NID(X509_get_subject_name(cert), NID_commonName, buf, sizeof(buf));
  return buf;
}

// "AB:CD:..": `bytes` pairs of uppercase hex digits separated by single colons.
bool isUpperHexWithColons(const std::string& s, size_t bytes) {
  if (s.size() != bytes * 3 - 1) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    bool hex = (s[i] >= '0' && s[i] <= '9') || (s[i] >= 'A' && s[i] <= 'F');
    if (i % 3 == 2 ? s[i] != ':' : !hex) return false;
  }
  return true;
}

class TempDir {
 public:
  TempDir() {
    path_ = fs::temp_directory_path() /
            ("rc_crypto_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter_++));
    fs::create_directories(path_);
  }
  ~TempDir() { fs::remove_all(path_); }
  std::string write(const std::string& name, const std::string& text) const {
    auto p = path_ / name;
    std::ofstream(p) << text;
    return p.string();
  }

 private:
  static inline int counter_ = 0;
  fs::path path_;
};

TEST(Certificate, GeneratesSelfSignedP256WithFingerprint) {
  auto cert = Certificate::generateEcdsaP256();
  ASSERT_NE(cert, nullptr);
  ASSERT_NE(cert->x509(), nullptr);
  ASSERT_NE(cert->key(), nullptr);
  EXPECT_EQ(EVP_PKEY_get_base_id(cert->key()), EVP_PKEY_EC);
  EXPECT_EQ(EVP_PKEY_get_bits(cert->key()), 256);
  EXPECT_EQ(X509_check_private_key(cert->x509(), cert->key()), 1);
  EXPECT_EQ(X509_verify(cert->x509(), cert->key()), 1);  // self-signed
  EXPECT_EQ(subjectCn(cert->x509()), "ringcast");
  // RFC 8122 §5: 32 uppercase hex pairs joined by ':'.
  EXPECT_TRUE(isUpperHexWithColons(cert->sha256Fingerprint(), 32)) << cert->sha256Fingerprint();
  EXPECT_EQ(fingerprintOf(cert->x509()), cert->sha256Fingerprint());
}

TEST(Certificate, ValidityWindowCoversYesterdayToThirtyDays) {
  auto cert = Certificate::generateEcdsaP256();
  time_t now = time(nullptr);
  time_t hourAgo = now - 3600, in29Days = now + 29 * 86400, in31Days = now + 31 * 86400;
  EXPECT_LT(X509_cmp_time(X509_get0_notBefore(cert->x509()), &hourAgo), 0);
  EXPECT_GT(X509_cmp_time(X509_get0_notAfter(cert->x509()), &in29Days), 0);
  EXPECT_LT(X509_cmp_time(X509_get0_notAfter(cert->x509()), &in31Days), 0);
}

TEST(Certificate, EachGenerationHasItsOwnKeySerialAndFingerprint) {
  auto a = Certificate::generateEcdsaP256();
  auto b = Certificate::generateEcdsaP256();
  EXPECT_NE(a->sha256Fingerprint(), b->sha256Fingerprint());
  EXPECT_NE(ASN1_INTEGER_cmp(X509_get0_serialNumber(a->x509()), X509_get0_serialNumber(b->x509())),
            0);
  EXPECT_NE(X509_check_private_key(a->x509(), b->key()), 1);
}

TEST(Certificate, FingerprintOfNullIsEmptyAndComparisonIgnoresCase) {
  EXPECT_EQ(fingerprintOf(nullptr), "");
  EXPECT_TRUE(fingerprintsEqual("AB:CD:0F", "ab:cd:0f"));
  EXPECT_FALSE(fingerprintsEqual("AB:CD:0F", "AB:CD:0E"));
  EXPECT_FALSE(fingerprintsEqual("AB:CD", "AB:CD:0F"));
  EXPECT_FALSE(fingerprintsEqual("", ""));
}

TEST(Certificate, LoadPemRoundTripsAGeneratedCertificate) {
  auto original = Certificate::generateEcdsaP256();
  TempDir dir;
  auto certPath = dir.write("cert.pem", original->certificatePem());
  auto keyPath = dir.write("key.pem", original->privateKeyPem());
  auto loaded = Certificate::loadPem(certPath, keyPath);
  ASSERT_NE(loaded, nullptr);
  EXPECT_EQ(loaded->sha256Fingerprint(), original->sha256Fingerprint());
  EXPECT_EQ(X509_check_private_key(loaded->x509(), loaded->key()), 1);
}

TEST(Certificate, LoadPemReportsWhyItFailed) {
  auto a = Certificate::generateEcdsaP256();
  auto b = Certificate::generateEcdsaP256();
  TempDir dir;
  auto certPath = dir.write("cert.pem", a->certificatePem());
  auto otherKey = dir.write("other.pem", b->privateKeyPem());
  auto garbage = dir.write("garbage.pem", "not a pem file\n");
  auto expectThrow = [](const std::string& c, const std::string& k, const std::string& what) {
    try {
      Certificate::loadPem(c, k);
      ADD_FAILURE() << "no exception for " << what;
    } catch (const std::runtime_error& e) {
      EXPECT_NE(std::string(e.what()).find(what), std::string::npos) << e.what();
    }
  };
  expectThrow(dir.write("x", ""), otherKey, "no PEM certificate");
  expectThrow("/nonexistent/cert.pem", otherKey, "cannot open certificate file");
  expectThrow(certPath, "/nonexistent/key.pem", "cannot open private key file");
  expectThrow(certPath, garbage, "no PEM private key");
  expectThrow(certPath, otherKey, "does not match");
}

}  // namespace
}  // namespace rc::crypto
