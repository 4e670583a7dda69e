// Output sequence number -> source sequence number for the last packets sent to one
// subscriber, so a NACK (RFC 4585 §6.2.1) can be answered from the publisher's packet cache.
// As deep as PublishedTrack::cache (older packets cannot be resent anyway), 8 bytes a slot,
// and only allocated for video m-lines (audio is not NACKed): 4 KiB per video subscriber.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>

namespace rc::engine {

class SentSeqMap {
 public:
  static constexpr uint16_t kSize = 512;

  void enable() {
    if (!slots_) slots_ = std::make_unique<Slot[]>(kSize);
    clear();
  }
  bool enabled() const noexcept { return slots_ != nullptr; }

  void record(uint16_t out, uint16_t in) noexcept {
    if (slots_) slots_[out % kSize] = {out, in, kNeverResent};
  }

  // The source seq of `out` when it may be resent at `nowMs`: known, and not resent within
  // `spacingMs` (one retransmission per packet per NACK window). Marks it resent.
  std::optional<uint16_t> claimResend(uint16_t out, uint32_t nowMs, uint32_t spacingMs) noexcept {
    if (!slots_) return std::nullopt;
    Slot& s = slots_[out % kSize];
    if (s.lastResentMs == kUnused || s.out != out) return std::nullopt;
    if (s.lastResentMs != kNeverResent && nowMs - s.lastResentMs < spacingMs) return std::nullopt;
    s.lastResentMs = nowMs == kUnused || nowMs == kNeverResent ? 0 : nowMs;
    return s.in;
  }

  void clear() noexcept {
    if (!slots_) return;
    for (uint16_t i = 0; i < kSize; ++i) slots_[i] = {0, 0, kUnused};
  }

 private:
  static constexpr uint32_t kUnused = 0xffffffff, kNeverResent = 0xfffffffe;
  struct Slot {
    uint16_t out, in;
    uint32_t lastResentMs;  // wraps after 49 days; compared by unsigned difference
  };
  std::unique_ptr<Slot[]> slots_;
};

}  // namespace rc::engine
