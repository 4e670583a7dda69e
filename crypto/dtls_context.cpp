#include <openssl/err.h>
#include <openssl/ssl.h>

#include <cstdlib>
#include <sstream>
#include <stdexcept>

#include "crypto/dtls.h"
#include "crypto/openssl_util.h"

namespace rc::crypto {
namespace {

using detail::opensslError;

// ECDHE only (forward secrecy), AEAD first. ECDSA suites serve the generated P-256
// certificate; the RSA ones let a loaded RSA certificate work too.
constexpr const char* kCipherList =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
    "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
    "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305:"
    "ECDHE-ECDSA-AES128-SHA:ECDHE-RSA-AES128-SHA:ECDHE-ECDSA-AES256-SHA:ECDHE-RSA-AES256-SHA";
constexpr const char* kGroups = "X25519:P-256:P-384";

// RFC 8827 §6.5: certificates are self-signed; the peer is authenticated by comparing its
// certificate fingerprint with the one from SDP, which the session does after the handshake.
int acceptAnyCertificate(int /*preverifyOk*/, X509_STORE_CTX* /*store*/) {
  return 1;
}

[[noreturn]] void fail(const std::string& what) {
  throw std::runtime_error(opensslError("DtlsContext: " + what));
}

// RINGCAST_SRTP_PROFILES: the profiles the default context offers, in preference order, as
// a comma list of "gcm" (SRTP_AEAD_AES_128_GCM) and "cm" (SRTP_AES128_CM_SHA1_80); unset
// means "gcm,cm". A knob for tests and diagnosis (tests/e2e/srtp-profiles.test.mjs).
std::vector<SrtpProfile> defaultProfiles() {
  const char* env = std::getenv("RINGCAST_SRTP_PROFILES");
  if (env == nullptr || *env == '\0') {
    return {SrtpProfile::AeadAes128Gcm, SrtpProfile::Aes128CmSha1_80};
  }
  std::vector<SrtpProfile> out;
  std::stringstream list(env);
  for (std::string item; std::getline(list, item, ',');) {
    if (item == "gcm") {
      out.push_back(SrtpProfile::AeadAes128Gcm);
    } else if (item == "cm") {
      out.push_back(SrtpProfile::Aes128CmSha1_80);
    } else {
      throw std::runtime_error("RINGCAST_SRTP_PROFILES: unknown profile '" + item + "' (gcm, cm)");
    }
  }
  return out;
}

std::string profileList(const std::vector<SrtpProfile>& offered) {
  if (offered.empty()) throw std::runtime_error("DtlsContext: no SRTP profile offered");
  std::string list;
  for (SrtpProfile p : offered) {
    if (!list.empty()) list += ':';
    list += srtpProfileName(p);
  }
  return list;
}

void configure(SSL_CTX* ctx, const Certificate& cert, const std::string& profiles) {
  // RFC 8827 §6.5 / RFC 8842: DTLS 1.2 only.
  if (!SSL_CTX_set_min_proto_version(ctx, DTLS1_2_VERSION) ||
      !SSL_CTX_set_max_proto_version(ctx, DTLS1_2_VERSION)) {
    fail("protocol version");
  }
  if (SSL_CTX_use_certificate(ctx, cert.x509()) != 1 ||
      SSL_CTX_use_PrivateKey(ctx, cert.key()) != 1 || SSL_CTX_check_private_key(ctx) != 1) {
    fail("certificate");
  }
  if (SSL_CTX_set_cipher_list(ctx, kCipherList) != 1) fail("cipher list");
  if (SSL_CTX_set1_groups_list(ctx, kGroups) != 1) fail("groups");
  // RFC 5764 §4.1.1 use_srtp; the server picks by its own order (so GCM first = preferred).
  if (SSL_CTX_set_tlsext_use_srtp(ctx, profiles.c_str()) != 0) fail("SRTP profiles");
  SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, acceptAnyCertificate);
  SSL_CTX_set_read_ahead(ctx, 0);
  SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
  // No cookie exchange (ICE consent already proved the address), no MTU probing through the
  // BIO (we set the MTU), no tickets or renegotiation (one handshake per association).
  SSL_CTX_set_options(ctx, SSL_OP_NO_QUERY_MTU | SSL_OP_NO_TICKET | SSL_OP_NO_RENEGOTIATION |
                               SSL_OP_CIPHER_SERVER_PREFERENCE);
  // After the handshake a session only ever sees an alert: the ~34 KiB record buffers are
  // freed whenever idle instead of staying with every transport.
  SSL_CTX_set_mode(ctx, SSL_MODE_RELEASE_BUFFERS);
}

}  // namespace

const char* srtpProfileName(SrtpProfile p) {
  return p == SrtpProfile::AeadAes128Gcm ? "SRTP_AEAD_AES_128_GCM" : "SRTP_AES128_CM_SHA1_80";
}

size_t srtpMasterKeyLength(SrtpProfile) {
  return 16;
}

size_t srtpMasterSaltLength(SrtpProfile p) {
  return p == SrtpProfile::AeadAes128Gcm ? 12 : 14;
}

DtlsContext::DtlsContext(std::shared_ptr<Certificate> cert)
    : DtlsContext(std::move(cert), defaultProfiles()) {}

DtlsContext::DtlsContext(std::shared_ptr<Certificate> cert, std::vector<SrtpProfile> offered)
    : cert_(std::move(cert)) {
  if (!cert_) throw std::runtime_error("DtlsContext: no certificate");
  std::string profiles = profileList(offered);
  ERR_clear_error();
  ctx_ = SSL_CTX_new(DTLS_method());
  if (ctx_ == nullptr) fail("SSL_CTX_new");
  try {
    configure(ctx_, *cert_, profiles);
  } catch (...) {
    SSL_CTX_free(ctx_);
    throw;
  }
}

DtlsContext::~DtlsContext() {
  SSL_CTX_free(ctx_);
}

}  // namespace rc::crypto
