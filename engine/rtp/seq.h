// 16-bit RTP sequence number arithmetic (RFC 3550 §A.1 style, RFC 1982 serial numbers).
#pragma once

#include <cstdint>

namespace rc::rtp {

// True if `a` is newer than `b` (serial number comparison, RFC 1982 §3.2). At exactly half
// the space apart the larger raw value is taken as newer so that the relation is asymmetric.
constexpr bool seqNewer(uint16_t a, uint16_t b) noexcept {
  const uint16_t d = static_cast<uint16_t>(a - b);
  if (d == 0x8000) return a > b;
  return d != 0 && d < 0x8000;
}

// Signed distance a - b in [-32768, 32767].
constexpr int32_t seqDelta(uint16_t a, uint16_t b) noexcept {
  return static_cast<int16_t>(static_cast<uint16_t>(a - b));
}

// Same comparison for 32-bit RTP timestamps.
constexpr bool tsNewer(uint32_t a, uint32_t b) noexcept {
  const uint32_t d = a - b;
  if (d == 0x80000000u) return a > b;
  return d != 0 && d < 0x80000000u;
}

// Extends 16-bit sequence numbers to 64 bits by counting wraps (RFC 3550 §A.1 keeps the
// highest seen sequence number and a cycle count). Reordered packets are placed relative to
// the highest seen one; they do not move it back.
class SeqUnwrapper {
 public:
  int64_t unwrap(uint16_t seq) noexcept {
    if (!started_) {
      started_ = true;
      highest_ = seq;
      return highest_;
    }
    const int64_t value = highest_ + seqDelta(seq, static_cast<uint16_t>(highest_));
    if (value > highest_) highest_ = value;
    return value;
  }
  // Extended value of the highest sequence number seen (meaningless before the first unwrap).
  int64_t highest() const { return highest_; }
  bool started() const { return started_; }
  void reset() noexcept { started_ = false; }

 private:
  int64_t highest_ = 0;
  bool started_ = false;
};

}  // namespace rc::rtp
