// RTP timestamps of one track -> microseconds on the recording's timeline. The 32-bit RTP
// clock is unwrapped (RFC 3550 §5.1: it wraps; deltas are taken modulo 2^32 as signed), and
// each track is placed by the arrival time of its first frame relative to the recording's
// origin (sender-report alignment, RFC 3550 §6.4.1, is not applied yet).
#pragma once

#include <cstdint>

namespace rc::record {

class TrackTimeline {
 public:
  explicit TrackTimeline(uint32_t clockRate) : clockRate_(clockRate) {}

  int64_t toMicros(uint32_t rtpTimestamp, int64_t arrivalUs, int64_t originUs) noexcept {
    if (!started_) {
      started_ = true;
      last_ = rtpTimestamp;
      offsetUs_ = arrivalUs - originUs;
    }
    ticks_ += static_cast<int32_t>(rtpTimestamp - last_);
    last_ = rtpTimestamp;
    return offsetUs_ + ticks_ * 1'000'000 / clockRate_;
  }

 private:
  uint32_t clockRate_;
  bool started_ = false;
  uint32_t last_ = 0;
  int64_t ticks_ = 0, offsetUs_ = 0;
};

}  // namespace rc::record
