// RTP timestamps of one track -> microseconds on the recording's timeline. The 32-bit RTP
// clock is unwrapped (RFC 3550 §5.1: it wraps; deltas are taken modulo 2^32 as signed) from
// the track's first frame, which is placed at `offsetUs` by start() (TrackClocks,
// track_clocks.h, chooses it: by sender report or by arrival).
#pragma once

#include <cstdint>

namespace rc::record {

class TrackTimeline {
 public:
  explicit TrackTimeline(uint32_t clockRate) : clockRate_(clockRate ? clockRate : 90000) {}

  void start(uint32_t firstRtpTimestamp, int64_t offsetUs) noexcept {
    started_ = true;
    first_ = last_ = firstRtpTimestamp;
    offsetUs_ = offsetUs;
  }
  int64_t toMicros(uint32_t rtpTimestamp) noexcept {
    ticks_ += static_cast<int32_t>(rtpTimestamp - last_);
    last_ = rtpTimestamp;
    // Rounded, not truncated: 90 kHz -> µs -> the stream's 1/90000 time base stays exact.
    int64_t scaled = ticks_ * 1'000'000;
    int64_t half = clockRate_ / 2;
    return offsetUs_ + (scaled >= 0 ? scaled + half : scaled - half) / clockRate_;
  }
  // Moves every later frame by `us`. Moved back, the next frames may land on time already
  // written: the muxer drops those (it writes increasing pts only).
  void shift(int64_t us) noexcept { offsetUs_ += us; }

  bool started() const noexcept { return started_; }
  uint32_t firstRtpTimestamp() const noexcept { return first_; }
  int64_t offsetUs() const noexcept { return offsetUs_; }
  uint32_t clockRate() const noexcept { return clockRate_; }

 private:
  uint32_t clockRate_;
  bool started_ = false;
  uint32_t first_ = 0, last_ = 0;
  int64_t ticks_ = 0, offsetUs_ = 0;
};

}  // namespace rc::record
