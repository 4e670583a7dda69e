// SRTP/SRTCP (RFC 3711, AES-GCM per RFC 7714) with libsrtp2, in place, keyed from DTLS-SRTP.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>

#include "crypto/dtls.h"

struct srtp_ctx_t_;  // libsrtp2's session (srtp_t), kept out of this header

namespace rc::crypto {

// srtp_init() once per process (std::call_once); safe from any thread. Returns false if
// libsrtp failed to initialise (then SrtpSession::create returns nullptr).
bool initSrtpLibrary();

// One per transport: one inbound context (ssrc_any_inbound, remote key) and one outbound
// (ssrc_any_outbound, local key). Key schedules are built once in create(). NOT thread-safe:
// used by the owning worker only. All packet functions are noexcept and return false on
// failure (authentication failure, replay, bad length, not enough room).
class SrtpSession {
 public:
  // 16 bytes of tag + 4 bytes of SRTCP index (E flag + index, RFC 3711 §3.4) + 16 spare.
  // libsrtp's SRTP_MAX_TRAILER_LEN also counts a 128-byte MKI, which we never use.
  static constexpr size_t kMaxTrailer = 16 + 4 + 16;

  // nullptr when the keys have the wrong length for the profile or libsrtp refuses them.
  static std::unique_ptr<SrtpSession> create(const SrtpKeys& keys);
  ~SrtpSession();
  SrtpSession(const SrtpSession&) = delete;
  SrtpSession& operator=(const SrtpSession&) = delete;

  SrtpProfile profile() const noexcept { return profile_; }

  // In place. `len` is in/out. Protect needs `capacity >= len + kMaxTrailer`.
  bool protectRtp(uint8_t* buf, size_t& len, size_t capacity) noexcept;
  bool unprotectRtp(uint8_t* buf, size_t& len) noexcept;
  bool protectRtcp(uint8_t* buf, size_t& len, size_t capacity) noexcept;
  bool unprotectRtcp(uint8_t* buf, size_t& len) noexcept;

 private:
  explicit SrtpSession(SrtpProfile profile) : profile_(profile) {}

  SrtpProfile profile_;
  srtp_ctx_t_* inbound_ = nullptr;
  srtp_ctx_t_* outbound_ = nullptr;
};

}  // namespace rc::crypto
