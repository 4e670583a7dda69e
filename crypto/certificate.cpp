#include "crypto/certificate.h"

#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/rand.h>

#include <cctype>
#include <stdexcept>

#include "crypto/openssl_util.h"

namespace rc::crypto {
namespace {

using detail::opensslError;
using detail::OsslPtr;

constexpr long kSecondsPerDay = 24 * 60 * 60;
constexpr long kNotBeforeSeconds = -1 * kSecondsPerDay;  // tolerate peers' clock skew
constexpr long kNotAfterSeconds = 30 * kSecondsPerDay;

[[noreturn]] void fail(const std::string& what) {
  throw std::runtime_error(opensslError(what));
}

// RFC 5280 §4.1.2.2: positive, at most 20 octets. 64 random bits with the top bit clear.
void setRandomSerial(X509* cert) {
  unsigned char bytes[8];
  if (RAND_bytes(bytes, sizeof(bytes)) != 1) fail("RAND_bytes");
  bytes[0] &= 0x7f;
  bytes[7] |= 0x01;  // never zero
  OsslPtr<BIGNUM> bn(BN_bin2bn(bytes, sizeof(bytes), nullptr));
  if (!bn || !BN_to_ASN1_INTEGER(bn.get(), X509_get_serialNumber(cert))) fail("serial");
}

void setNameAndValidity(X509* cert) {
  X509_NAME* name = X509_get_subject_name(cert);
  const auto* cn = reinterpret_cast<const unsigned char*>("ringcast");
  if (!X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, cn, -1, -1, 0)) fail("subject");
  if (!X509_set_issuer_name(cert, name)) fail("issuer");  // self-signed
  if (!X509_gmtime_adj(X509_getm_notBefore(cert), kNotBeforeSeconds) ||
      !X509_gmtime_adj(X509_getm_notAfter(cert), kNotAfterSeconds)) {
    fail("validity");
  }
}

OsslPtr<BIO> openFile(const std::string& path, const char* what) {
  OsslPtr<BIO> bio(BIO_new_file(path.c_str(), "r"));
  if (!bio) fail(std::string("cannot open ") + what + " file '" + path + "'");
  return bio;
}

std::string drainBio(BIO* bio) {
  char* data = nullptr;
  long len = BIO_get_mem_data(bio, &data);
  return std::string(data, static_cast<size_t>(len));
}

}  // namespace

Certificate::Certificate(X509* cert, EVP_PKEY* key)
    : cert_(cert), key_(key), fingerprint_(fingerprintOf(cert)) {
  if (fingerprint_.empty()) {
    X509_free(cert_);
    EVP_PKEY_free(key_);
    fail("certificate fingerprint");
  }
}

Certificate::~Certificate() {
  X509_free(cert_);
  EVP_PKEY_free(key_);
}

std::shared_ptr<Certificate> Certificate::generateEcdsaP256() {
  ERR_clear_error();
  OsslPtr<EVP_PKEY> key(EVP_EC_gen("P-256"));
  if (!key) fail("P-256 key generation");
  OsslPtr<X509> cert(X509_new());
  if (!cert || !X509_set_version(cert.get(), X509_VERSION_3)) fail("X509_new");
  setRandomSerial(cert.get());
  setNameAndValidity(cert.get());
  if (!X509_set_pubkey(cert.get(), key.get())) fail("X509_set_pubkey");
  if (!X509_sign(cert.get(), key.get(), EVP_sha256())) fail("X509_sign");
  return std::shared_ptr<Certificate>(new Certificate(cert.release(), key.release()));
}

std::shared_ptr<Certificate> Certificate::loadPem(const std::string& certPath,
                                                  const std::string& keyPath) {
  ERR_clear_error();
  auto certBio = openFile(certPath, "certificate");
  OsslPtr<X509> cert(PEM_read_bio_X509(certBio.get(), nullptr, nullptr, nullptr));
  if (!cert) fail("no PEM certificate in '" + certPath + "'");
  auto keyBio = openFile(keyPath, "private key");
  OsslPtr<EVP_PKEY> key(PEM_read_bio_PrivateKey(keyBio.get(), nullptr, nullptr, nullptr));
  if (!key) fail("no PEM private key in '" + keyPath + "'");
  if (X509_check_private_key(cert.get(), key.get()) != 1) {
    fail("private key '" + keyPath + "' does not match certificate '" + certPath + "'");
  }
  return std::shared_ptr<Certificate>(new Certificate(cert.release(), key.release()));
}

std::string Certificate::certificatePem() const {
  OsslPtr<BIO> bio(BIO_new(BIO_s_mem()));
  if (!bio || !PEM_write_bio_X509(bio.get(), cert_)) fail("PEM_write_bio_X509");
  return drainBio(bio.get());
}

std::string Certificate::privateKeyPem() const {
  OsslPtr<BIO> bio(BIO_new(BIO_s_mem()));
  if (!bio || !PEM_write_bio_PrivateKey(bio.get(), key_, nullptr, nullptr, 0, nullptr, nullptr)) {
    fail("PEM_write_bio_PrivateKey");
  }
  return drainBio(bio.get());
}

// RFC 8122 §5: fingerprint = hash-func SP fingerprint, UHEX pairs joined by ':'.
std::string fingerprintOf(X509* cert) {
  if (cert == nullptr) return {};
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (X509_digest(cert, EVP_sha256(), md, &len) != 1 || len == 0) return {};
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(len * 3);
  for (unsigned int i = 0; i < len; ++i) {
    if (i != 0) out.push_back(':');
    out.push_back(kHex[md[i] >> 4]);
    out.push_back(kHex[md[i] & 0x0f]);
  }
  return out;
}

bool fingerprintsEqual(const std::string& a, const std::string& b) {
  if (a.empty() || a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    auto x = std::toupper(static_cast<unsigned char>(a[i]));
    auto y = std::toupper(static_cast<unsigned char>(b[i]));
    if (x != y) return false;
  }
  return true;
}

}  // namespace rc::crypto
