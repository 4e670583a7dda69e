// DTLS-SRTP (RFC 5763, RFC 5764) over DTLS 1.2 (RFC 6347) with OpenSSL. OpenSSL never
// touches a socket: the owner feeds received datagrams in and gets outgoing datagrams back
// through a callback, so the worker loop keeps full control of I/O.
#pragma once

#include <openssl/types.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "crypto/certificate.h"
#include "crypto/dtls_bio.h"

namespace rc::crypto {

enum class DtlsRole { Server, Client };  // RFC 5763 §5: a=setup passive = Server, active = Client

// DTLS-SRTP protection profiles (RFC 5764 §4.1.2, RFC 7714 §14.2).
enum class SrtpProfile { AeadAes128Gcm, Aes128CmSha1_80 };
const char* srtpProfileName(SrtpProfile p);  // OpenSSL/IANA name, e.g. "SRTP_AEAD_AES_128_GCM"
size_t srtpMasterKeyLength(SrtpProfile p);   // 16 for both
size_t srtpMasterSaltLength(SrtpProfile p);  // 12 for GCM (RFC 7714 §12), 14 for CM (RFC 3711)

// RFC 5764 §4.2: master key || master salt, already split by role.
struct SrtpKeys {
  SrtpProfile profile;
  std::vector<uint8_t> localMasterKeySalt;   // protects what WE send
  std::vector<uint8_t> remoteMasterKeySalt;  // unprotects what we receive
};

// One per process, shared by every session; creating sessions from any thread is safe.
// DTLS 1.2 only, ECDHE suites, the peer certificate requested and accepted by any chain
// (RFC 8827 §6.5: identity is the SDP fingerprint, checked by the session after the handshake).
class DtlsContext {
 public:
  // Offers SRTP_AEAD_AES_128_GCM then SRTP_AES128_CM_SHA1_80 (GCM preferred), or what the
  // environment variable RINGCAST_SRTP_PROFILES lists ("cm", "gcm", "cm,gcm"; throws on
  // anything else).
  explicit DtlsContext(std::shared_ptr<Certificate> cert);
  // Offers exactly `offered`, in preference order (non-empty). Throws std::runtime_error.
  DtlsContext(std::shared_ptr<Certificate> cert, std::vector<SrtpProfile> offered);
  ~DtlsContext();
  DtlsContext(const DtlsContext&) = delete;
  DtlsContext& operator=(const DtlsContext&) = delete;

  const Certificate& certificate() const { return *cert_; }
  SSL_CTX* native() const { return ctx_; }

 private:
  std::shared_ptr<Certificate> cert_;
  SSL_CTX* ctx_ = nullptr;
};

struct DtlsSessionOptions {
  // RFC 6347 §4.2.4.1: initial retransmission timer 1 s, doubled up to 60 s.
  std::chrono::milliseconds initialRetransmit{1000};
  std::chrono::milliseconds maxRetransmit{60000};
  // Largest datagram handed to SendFn (DTLS record layer, i.e. the UDP payload).
  unsigned mtu = 1200;
};

// One DTLS association. Used by one thread at a time; neither copyable nor movable (OpenSSL
// keeps pointers into it).
class DtlsSession {
 public:
  using SendFn = std::function<void(std::span<const uint8_t>)>;  // one call per datagram
  enum class Result { Progress, Connected, Failed, AppData };

  // `expectedRemoteFingerprintSha256`: "AB:CD:.." from the peer's SDP (case-insensitive), or
  // empty to accept any certificate. Throws std::runtime_error if OpenSSL cannot allocate.
  DtlsSession(DtlsContext& ctx, DtlsRole role, std::string expectedRemoteFingerprintSha256,
              DtlsSessionOptions options = {});
  ~DtlsSession();
  DtlsSession(const DtlsSession&) = delete;
  DtlsSession& operator=(const DtlsSession&) = delete;

  // Client: sends the ClientHello flight. Server: no-op (waits for the ClientHello).
  void start(const SendFn& send);

  // Feeds one received datagram. Returns Connected exactly once, when the handshake has
  // completed and the peer fingerprint matched; AppData when application records were read
  // (see appData()); Failed from the failing call on (see failureReason()).
  Result handleDatagram(std::span<const uint8_t> datagram, const SendFn& send) noexcept;

  // When handleTimeout() should be called next (DTLSv1_get_timeout), nullopt if no timer runs.
  std::optional<std::chrono::steady_clock::time_point> nextTimeout() const noexcept;
  // Retransmits the last flight if its timer expired (DTLSv1_handle_timeout). Fails the
  // session once OpenSSL gives up (too many retransmissions).
  void handleTimeout(const SendFn& send) noexcept;

  bool connected() const noexcept { return state_ == State::Connected; }
  bool failed() const noexcept { return state_ == State::Failed; }
  const std::string& failureReason() const { return failureReason_; }
  DtlsRole role() const noexcept { return role_; }
  // True once the peer sent close_notify (the session is then failed()).
  bool peerClosed() const noexcept { return peerClosed_; }
  // Peer certificate fingerprint, known after the handshake ("" before).
  const std::string& remoteFingerprint() const { return remoteFingerprint_; }

  // The OpenSSL object, for diagnostics (cipher, version) and tests. Do not drive it directly.
  SSL* native() const noexcept { return ssl_; }

  // Negotiated profile and exported keys, set when Connected was returned.
  std::optional<SrtpKeys> srtpKeys() const { return keys_; }

  // Application data read by the last handleDatagram() that returned AppData; valid until the
  // next call on this session.
  std::span<const uint8_t> appData() const noexcept { return appData_; }
  // Sends application data (e.g. SCTP for data channels) once connected.
  bool writeAppData(std::span<const uint8_t> data, const SendFn& send) noexcept;

  // Sends close_notify (RFC 5246 §7.2.1) if a handshake was under way or done, then stops
  // the session (failed() with reason "closed").
  void close(const SendFn& send) noexcept;

  // Once connected: seals the close_notify record now (the next record sequence number of
  // this epoch) into `out` and stops the session, so the owner can free it and still send a
  // valid goodbye later. Returns the record's size, 0 if not connected or it does not fit.
  size_t sealCloseNotify(std::span<uint8_t> out) noexcept;

 private:
  enum class State { Handshaking, Connected, Failed };
  class IoScope;

  Result driveHandshake() noexcept;
  Result finishHandshake() noexcept;
  Result readAppData() noexcept;
  Result fail(std::string reason) noexcept;
  bool exportKeys() noexcept;
  static unsigned int timerCallback(SSL* ssl, unsigned int previousUs);

  SSL* ssl_ = nullptr;
  DtlsRole role_;
  std::string expectedFingerprint_;
  DtlsSessionOptions options_;
  detail::DatagramIo io_;
  State state_ = State::Handshaking;
  bool started_ = false;
  bool peerClosed_ = false;
  std::string failureReason_;
  std::string remoteFingerprint_;
  std::optional<SrtpKeys> keys_;
  std::vector<uint8_t> appData_;
};

}  // namespace rc::crypto
