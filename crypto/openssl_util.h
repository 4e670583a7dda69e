// Internal helpers shared by the crypto module: owning pointers for OpenSSL objects and
// error-queue formatting. Not part of the public API of rc::crypto.
#pragma once

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <memory>
#include <string>

namespace rc::crypto::detail {

struct OsslFree {
  void operator()(X509* p) const noexcept { X509_free(p); }
  void operator()(EVP_PKEY* p) const noexcept { EVP_PKEY_free(p); }
  void operator()(BIO* p) const noexcept { BIO_free_all(p); }
  void operator()(SSL* p) const noexcept { SSL_free(p); }
  void operator()(SSL_CTX* p) const noexcept { SSL_CTX_free(p); }
  void operator()(X509_NAME* p) const noexcept { X509_NAME_free(p); }
  void operator()(BIGNUM* p) const noexcept { BN_free(p); }
};
template <typename T>
using OsslPtr = std::unique_ptr<T, OsslFree>;

// Drains this thread's OpenSSL error queue into one line ("what: reason; reason").
// Returns just `what` when the queue is empty.
std::string opensslError(const std::string& what);

}  // namespace rc::crypto::detail
