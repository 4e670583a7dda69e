// SRTP/SRTCP (RFC 3711, AES-GCM per RFC 7714) in place, keyed from DTLS-SRTP, on our own
// transforms over reused OpenSSL contexts (crypto/srtp_transform.h says why not libsrtp2).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "crypto/dtls.h"
#include "crypto/srtp_replay.h"
#include "crypto/srtp_transform.h"

namespace rc::crypto {

// Checks once per process (std::call_once) that OpenSSL provides the ciphers the transforms
// use (AES-128-GCM, AES-128-CTR); safe from any thread. When false, SrtpSession::create
// returns nullptr.
bool initSrtpLibrary();

// One per transport: an inbound transform (remote key) and an outbound one (local key), with
// per-SSRC state in each direction (ROC, replay windows, SRTCP index), like libsrtp's
// ssrc_any_inbound / ssrc_any_outbound policies. Key schedules are built once in create().
// NOT thread-safe: used by the owning worker only. All packet functions are noexcept, never
// allocate (except when an SSRC beyond the kReservedStreams-th one appears) and return false
// on failure (authentication failure, replay, bad length, not enough room, too many SSRCs).
class SrtpSession {
 public:
  // 16 bytes of tag + 4 bytes of SRTCP index (E flag + index, RFC 3711 §3.4) + 16 spare.
  static constexpr size_t kMaxTrailer = 16 + 4 + 16;
  static constexpr size_t kRtpReplayWindow = 1024;  // RFC 3711 §3.3.2 (min 64); NACK-friendly
  static constexpr size_t kRtcpReplayWindow = 128;  // libsrtp's SRTCP window
  static constexpr size_t kReservedStreams = 8;     // per direction, allocated in create()
  static constexpr size_t kMaxStreams = 512;        // SSRCs per direction, then refused

  // nullptr when the keys have the wrong length for the profile or OpenSSL refuses them.
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

  // Hints the cache with what protectRtp() reads first (the outbound transform and the
  // stream table), for a fan-out that protects for one subscriber after another.
  void prefetchForProtect() const noexcept {
    __builtin_prefetch(outbound_.get());
    __builtin_prefetch(outStreams_.data());
  }

 private:
  struct OutboundStream {
    uint32_t ssrc = 0;
    bool rtpStarted = false;
    uint64_t rtpHighest = 0;  // highest SRTP index sent (RFC 3711 §3.3.1)
    uint32_t rtcpIndex = 0;   // last SRTCP index sent
  };
  struct InboundStream {
    uint32_t ssrc = 0;
    ReplayWindow<kRtpReplayWindow> rtp;
    ReplayWindow<kRtcpReplayWindow> rtcp;
  };

  explicit SrtpSession(SrtpProfile profile) : profile_(profile) {}
  OutboundStream* outbound(uint32_t ssrc) noexcept;
  InboundStream* findInbound(uint32_t ssrc) noexcept;
  InboundStream& resetProbe(uint32_t ssrc) noexcept;
  InboundStream* addInbound(const InboundStream& stream) noexcept;

  SrtpProfile profile_;
  std::unique_ptr<SrtpTransform> inbound_;
  std::unique_ptr<SrtpTransform> outbound_;
  std::vector<OutboundStream> outStreams_;
  std::vector<InboundStream> inStreams_;
  InboundStream probe_;
};

}  // namespace rc::crypto
