// DTLS certificate and its SDP fingerprint (RFC 8122 §5, RFC 8827 §6.5).
#pragma once

#include <openssl/types.h>

#include <memory>
#include <string>

namespace rc::crypto {

// An X.509 certificate with its private key. Immutable after construction, so one instance
// may be shared by every DTLS session on every thread.
class Certificate {
 public:
  // Self-signed ECDSA P-256 / SHA-256 certificate, random 64-bit serial, CN=ringcast,
  // valid from one day ago to 30 days from now. Throws std::runtime_error on failure.
  static std::shared_ptr<Certificate> generateEcdsaP256();
  // Loads a PEM certificate and PEM private key; throws std::runtime_error naming the file
  // and the reason (unreadable, not PEM, key does not match the certificate).
  static std::shared_ptr<Certificate> loadPem(const std::string& certPath,
                                              const std::string& keyPath);

  ~Certificate();
  Certificate(const Certificate&) = delete;
  Certificate& operator=(const Certificate&) = delete;

  X509* x509() const { return cert_; }
  EVP_PKEY* key() const { return key_; }
  // "AB:CD:..." uppercase hex with colons, SHA-256 of the DER certificate (RFC 8122 §5).
  const std::string& sha256Fingerprint() const { return fingerprint_; }

  // PEM text of the certificate and of the private key (PKCS#8), e.g. to persist a
  // generated certificate. Throws std::runtime_error on failure.
  std::string certificatePem() const;
  std::string privateKeyPem() const;

 private:
  Certificate(X509* cert, EVP_PKEY* key);  // takes ownership of both

  X509* cert_;
  EVP_PKEY* key_;
  std::string fingerprint_;
};

// SHA-256 fingerprint of any certificate (e.g. the peer's) in the same format as
// Certificate::sha256Fingerprint(). Returns an empty string if `cert` is null or on failure.
std::string fingerprintOf(X509* cert);

// Case-insensitive comparison of two "AB:CD:.." fingerprints (RFC 8122 §5 allows either case
// in SDP). Empty strings never match.
bool fingerprintsEqual(const std::string& a, const std::string& b);

}  // namespace rc::crypto
