#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/srtp.h>
#include <openssl/ssl.h>

#include <algorithm>
#include <stdexcept>

#include "crypto/dtls.h"
#include "crypto/openssl_util.h"

namespace rc::crypto {
namespace {

using detail::opensslError;
using detail::OsslPtr;

constexpr char kExporterLabel[] = "EXTRACTOR-dtls_srtp";  // RFC 5764 §4.2
constexpr size_t kReadChunk = 16384;                      // max DTLS plaintext record

std::optional<SrtpProfile> profileFromId(unsigned long id) {
  if (id == SRTP_AEAD_AES_128_GCM) return SrtpProfile::AeadAes128Gcm;
  if (id == SRTP_AES128_CM_SHA1_80) return SrtpProfile::Aes128CmSha1_80;
  return std::nullopt;
}

}  // namespace

// Points the BIO at this call's datagram and sink for the duration of one OpenSSL call.
class DtlsSession::IoScope {
 public:
  IoScope(detail::DatagramIo& io, std::span<const uint8_t> in, const SendFn& send) : io_(io) {
    io_.inbound = in;
    io_.send = &send;
    ERR_clear_error();  // the error queue is per thread and shared with other sessions
  }
  ~IoScope() {
    io_.inbound = {};
    io_.send = nullptr;
  }

 private:
  detail::DatagramIo& io_;
};

DtlsSession::DtlsSession(DtlsContext& ctx, DtlsRole role, std::string expectedFingerprint,
                         DtlsSessionOptions options)
    : role_(role), expectedFingerprint_(std::move(expectedFingerprint)), options_(options) {
  ERR_clear_error();
  ssl_ = SSL_new(ctx.native());
  if (ssl_ == nullptr) throw std::runtime_error(opensslError("DtlsSession: SSL_new"));
  BIO* bio = detail::newDatagramBio(&io_);
  if (bio == nullptr) {
    SSL_free(ssl_);
    throw std::runtime_error(opensslError("DtlsSession: BIO"));
  }
  SSL_set_bio(ssl_, bio, bio);  // one BIO for both directions, owned by ssl_
  SSL_set_app_data(ssl_, this);
  SSL_set_options(ssl_, SSL_OP_NO_QUERY_MTU);
  SSL_set_mtu(ssl_, static_cast<long>(options_.mtu));
  DTLS_set_link_mtu(ssl_, static_cast<long>(options_.mtu));
  DTLS_set_timer_cb(ssl_, &DtlsSession::timerCallback);
  if (role_ == DtlsRole::Client) {
    SSL_set_connect_state(ssl_);
  } else {
    SSL_set_accept_state(ssl_);
  }
}

DtlsSession::~DtlsSession() {
  SSL_free(ssl_);
  OPENSSL_cleanse(appData_.data(), appData_.size());
  if (keys_) {
    OPENSSL_cleanse(keys_->localMasterKeySalt.data(), keys_->localMasterKeySalt.size());
    OPENSSL_cleanse(keys_->remoteMasterKeySalt.data(), keys_->remoteMasterKeySalt.size());
  }
}

// RFC 6347 §4.2.4.1: start at the configured initial value, double on each expiry, cap.
unsigned int DtlsSession::timerCallback(SSL* ssl, unsigned int previousUs) {
  auto* self = static_cast<DtlsSession*>(SSL_get_app_data(ssl));
  auto initial = std::chrono::microseconds(self->options_.initialRetransmit).count();
  auto cap = std::chrono::microseconds(self->options_.maxRetransmit).count();
  long long next = previousUs == 0 ? initial : 2LL * previousUs;
  next = std::clamp<long long>(next, 1, std::max<long long>(cap, 1));
  return static_cast<unsigned int>(std::min<long long>(next, 0xffffffffLL));
}

void DtlsSession::start(const SendFn& send) {
  if (role_ != DtlsRole::Client || started_ || state_ != State::Handshaking) return;
  IoScope scope(io_, {}, send);
  driveHandshake();
}

DtlsSession::Result DtlsSession::handleDatagram(std::span<const uint8_t> datagram,
                                                const SendFn& send) noexcept {
  if (state_ == State::Failed) return Result::Failed;
  IoScope scope(io_, datagram, send);
  if (state_ == State::Handshaking) return driveHandshake();
  return readAppData();
}

DtlsSession::Result DtlsSession::driveHandshake() noexcept {
  started_ = true;
  int rc = SSL_do_handshake(ssl_);
  if (rc == 1) return finishHandshake();
  int err = SSL_get_error(ssl_, rc);
  if (err == SSL_ERROR_WANT_READ || err == SSL_ERROR_WANT_WRITE) return Result::Progress;
  return fail(opensslError("DTLS handshake failed"));
}

// RFC 5763 §5 / RFC 8122 §5: the certificate must hash to the SDP fingerprint.
DtlsSession::Result DtlsSession::finishHandshake() noexcept {
  OsslPtr<X509> peer(SSL_get1_peer_certificate(ssl_));
  remoteFingerprint_ = fingerprintOf(peer.get());
  if (!expectedFingerprint_.empty() &&
      !fingerprintsEqual(remoteFingerprint_, expectedFingerprint_)) {
    return fail("remote certificate fingerprint " +
                (remoteFingerprint_.empty() ? std::string("(none)") : remoteFingerprint_) +
                " does not match SDP fingerprint " + expectedFingerprint_);
  }
  if (!exportKeys()) return Result::Failed;
  state_ = State::Connected;
  return Result::Connected;
}

// RFC 5764 §4.2: client_key | server_key | client_salt | server_salt.
bool DtlsSession::exportKeys() noexcept {
  const SRTP_PROTECTION_PROFILE* selected = SSL_get_selected_srtp_profile(ssl_);
  auto profile = selected ? profileFromId(selected->id) : std::nullopt;
  if (!profile) {
    fail("no SRTP protection profile negotiated (use_srtp, RFC 5764 §4.1.2)");
    return false;
  }
  size_t keyLen = srtpMasterKeyLength(*profile);
  size_t saltLen = srtpMasterSaltLength(*profile);
  std::vector<uint8_t> material(2 * (keyLen + saltLen));
  if (SSL_export_keying_material(ssl_, material.data(), material.size(), kExporterLabel,
                                 sizeof(kExporterLabel) - 1, nullptr, 0, 0) != 1) {
    fail(opensslError("SRTP keying material export failed"));
    return false;
  }
  auto part = [&](size_t off, size_t len) {
    return std::span<const uint8_t>(material).subspan(off, len);
  };
  std::vector<uint8_t> client, server;
  for (auto* out : {&client, &server}) out->reserve(keyLen + saltLen);
  auto append = [](std::vector<uint8_t>& v, std::span<const uint8_t> s) {
    v.insert(v.end(), s.begin(), s.end());
  };
  append(client, part(0, keyLen));
  append(server, part(keyLen, keyLen));
  append(client, part(2 * keyLen, saltLen));
  append(server, part(2 * keyLen + saltLen, saltLen));
  OPENSSL_cleanse(material.data(), material.size());
  bool isClient = role_ == DtlsRole::Client;
  keys_ = SrtpKeys{*profile, isClient ? std::move(client) : std::move(server),
                   isClient ? std::move(server) : std::move(client)};
  return true;
}

// Records are read into a stack chunk: a session that never carries application data
// (WebRTC without data channels) never holds a read buffer of its own.
DtlsSession::Result DtlsSession::readAppData() noexcept {
  appData_.clear();
  for (;;) {
    uint8_t chunk[kReadChunk];
    int n = SSL_read(ssl_, chunk, static_cast<int>(kReadChunk));
    if (n > 0) {
      appData_.insert(appData_.end(), chunk, chunk + n);
      continue;
    }
    int err = SSL_get_error(ssl_, n);
    if (err == SSL_ERROR_WANT_READ || err == SSL_ERROR_WANT_WRITE) break;
    if (err == SSL_ERROR_ZERO_RETURN) {  // RFC 5246 §7.2.1 close_notify
      peerClosed_ = true;
      return fail("peer sent close_notify");
    }
    return fail(opensslError("DTLS read failed"));
  }
  return appData_.empty() ? Result::Progress : Result::AppData;
}

std::optional<std::chrono::steady_clock::time_point> DtlsSession::nextTimeout() const noexcept {
  if (state_ == State::Failed) return std::nullopt;
  timeval left{};
  if (DTLSv1_get_timeout(ssl_, &left) != 1) return std::nullopt;
  return std::chrono::steady_clock::now() + std::chrono::seconds(left.tv_sec) +
         std::chrono::microseconds(left.tv_usec);
}

void DtlsSession::handleTimeout(const SendFn& send) noexcept {
  if (state_ == State::Failed || !started_) return;
  IoScope scope(io_, {}, send);
  if (DTLSv1_handle_timeout(ssl_) < 0) {
    fail(opensslError("DTLS retransmission limit reached"));
  }
}

bool DtlsSession::writeAppData(std::span<const uint8_t> data, const SendFn& send) noexcept {
  if (state_ != State::Connected || data.empty()) return false;
  IoScope scope(io_, {}, send);
  int n = SSL_write(ssl_, data.data(), static_cast<int>(data.size()));
  return n == static_cast<int>(data.size());
}

void DtlsSession::close(const SendFn& send) noexcept {
  if (state_ == State::Failed) return;
  if (started_) {
    IoScope scope(io_, {}, send);
    SSL_shutdown(ssl_);
  }
  fail("closed");
}

size_t DtlsSession::sealCloseNotify(std::span<uint8_t> out) noexcept {
  if (state_ != State::Connected) return 0;
  struct Capture {
    std::span<uint8_t> out;
    size_t size = 0;
    bool fits = true;
  } cap{out};
  // One pointer captured: fits std::function's local storage, nothing is allocated.
  SendFn capture = [c = &cap](std::span<const uint8_t> record) {
    c->fits = c->fits && c->size + record.size() <= c->out.size();
    if (!c->fits) return;
    std::copy(record.begin(), record.end(), c->out.begin() + static_cast<ptrdiff_t>(c->size));
    c->size += record.size();
  };
  {
    IoScope scope(io_, {}, capture);
    SSL_shutdown(ssl_);
  }
  fail("released after the handshake");
  return cap.fits ? cap.size : 0;
}

DtlsSession::Result DtlsSession::fail(std::string reason) noexcept {
  state_ = State::Failed;
  failureReason_ = std::move(reason);
  ERR_clear_error();
  return Result::Failed;
}

}  // namespace rc::crypto
