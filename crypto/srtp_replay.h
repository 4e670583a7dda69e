// SRTP packet index estimation (RFC 3711 §3.3.1, Appendix A) and the replay list
// (RFC 3711 §3.3.2) as a sliding bitmap. Header-only, noexcept, no allocation.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

namespace rc::crypto {

// The 48-bit index i = 2^16 * ROC + SEQ of a packet with sequence number `seq`, given the
// highest index received (or sent) so far. RFC 3711 Appendix A: v = ROC - 1, ROC or ROC + 1,
// whichever puts i closest to the highest index. While the highest index is at most 2^15 the
// guess is ROC 0 (no ROC below zero), exactly as libsrtp2 estimates, so both ends agree.
constexpr uint64_t estimateSrtpIndex(uint64_t highest, uint16_t seq) noexcept {
  constexpr uint64_t kHalf = 1u << 15;
  if (highest <= kHalf) return seq;
  const uint64_t roc = highest >> 16;
  const uint16_t last = static_cast<uint16_t>(highest);
  uint64_t v = roc;
  if (last < kHalf) {
    if (seq > last + kHalf) v = roc - 1;  // roc >= 1 here since highest > 2^15
  } else if (last - kHalf > seq) {
    v = roc + 1;
  }
  return v << 16 | seq;
}

// Which of the last `Bits` indexes below the highest were accepted (RFC 3711 §3.3.2; the
// window is at least 64). Indexes live at bit (index mod Bits), cleared as the highest moves.
template <size_t Bits>
class ReplayWindow {
  static_assert(Bits % 64 == 0 && Bits >= 64);

 public:
  uint64_t highest() const noexcept { return highest_; }

  // Not seen yet and not older than the window.
  bool fresh(uint64_t index) const noexcept {
    if (!started_ || index > highest_) return true;
    if (highest_ - index >= Bits) return false;
    return !test(index);
  }

  // Call only after the packet authenticated.
  void accept(uint64_t index) noexcept {
    if (!started_ || index > highest_) advanceTo(index);
    set(index);
  }

 private:
  void advanceTo(uint64_t index) noexcept {
    if (!started_ || index - highest_ >= Bits) {
      bits_.fill(0);
    } else {
      for (uint64_t i = highest_ + 1; i <= index; ++i) clear(i);
    }
    started_ = true;
    highest_ = index;
  }
  bool test(uint64_t i) const noexcept { return bits_[(i % Bits) / 64] >> (i % 64) & 1; }
  void set(uint64_t i) noexcept { bits_[(i % Bits) / 64] |= uint64_t{1} << (i % 64); }
  void clear(uint64_t i) noexcept { bits_[(i % Bits) / 64] &= ~(uint64_t{1} << (i % 64)); }

  std::array<uint64_t, Bits / 64> bits_{};
  uint64_t highest_ = 0;
  bool started_ = false;
};

}  // namespace rc::crypto
