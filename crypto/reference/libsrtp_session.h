// libsrtp2 behind SrtpSession's API: the reference implementation the interop tests and the
// micro-benchmarks compare crypto::SrtpSession with. Not used by the daemon (Debian's libsrtp2
// runs its ciphers through NSS, see crypto/srtp_transform.h).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>

#include "crypto/dtls.h"

struct srtp_ctx_t_;  // libsrtp2's session (srtp_t), kept out of this header

namespace rc::crypto::reference {

// srtp_init() once per process (std::call_once). False if libsrtp failed to initialise.
bool initLibSrtp();

// One inbound context (ssrc_any_inbound, remote key, replay window 1024) and one outbound
// (ssrc_any_outbound, local key, allow_repeat_tx), as the daemon had before its own
// transforms. Same in-place contract as crypto::SrtpSession.
class LibSrtpSession {
 public:
  static std::unique_ptr<LibSrtpSession> create(const SrtpKeys& keys);
  ~LibSrtpSession();
  LibSrtpSession(const LibSrtpSession&) = delete;
  LibSrtpSession& operator=(const LibSrtpSession&) = delete;

  bool protectRtp(uint8_t* buf, size_t& len, size_t capacity) noexcept;
  bool unprotectRtp(uint8_t* buf, size_t& len) noexcept;
  bool protectRtcp(uint8_t* buf, size_t& len, size_t capacity) noexcept;
  bool unprotectRtcp(uint8_t* buf, size_t& len) noexcept;

 private:
  LibSrtpSession() = default;
  srtp_ctx_t_* inbound_ = nullptr;
  srtp_ctx_t_* outbound_ = nullptr;
};

}  // namespace rc::crypto::reference
