// Receiver-side loss detection for a publisher stream: turns sequence gaps into generic NACK
// requests (RFC 4585 §6.2.1), retrying with spacing and giving up on stale losses.
// Fixed memory, no allocation on the packet path (the vector overload of collectNacks aside).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace rc::rtp {

class NackGenerator {
 public:
  struct Config {
    int maxRetries = 10;        // requests per missing packet
    int64_t minSpacingMs = 20;  // retries spaced by max(rtt, this)
    int64_t maxAgeMs = 1000;    // forget a loss detected longer ago than this
    uint16_t maxSeqAge = 512;   // forget a loss this far behind the newest packet
    uint16_t resetJump = 2000;  // a jump larger than this restarts tracking
  };
  static constexpr size_t kSlots = 1024;  // > maxSeqAge: one slot per tracked seq

  NackGenerator() noexcept : NackGenerator(Config{}) {}
  explicit NackGenerator(const Config& config) noexcept;

  // Every received packet of the stream, including late and retransmitted ones (give the OSN
  // of an RTX packet, RFC 4588 §4): a recovered packet is no longer requested.
  void onPacket(uint16_t seq, int64_t nowMs) noexcept;

  // Writes the sequence numbers to request now (ascending, wrap-aware) into out and returns how
  // many; packets that do not fit stay due for the next call.
  size_t collectNacks(int64_t nowMs, int64_t rttMs, std::span<uint16_t> out) noexcept;
  std::vector<uint16_t> collectNacks(int64_t nowMs, int64_t rttMs);

  size_t pending() const { return pending_; }  // missing packets still tracked
  void reset() noexcept;
  uint64_t resets() const { return resets_; }  // how many times a huge jump restarted tracking

 private:
  struct Slot {
    uint16_t seq = 0;
    bool missing = false;
    uint8_t retries = 0;
    int64_t detectedMs = 0;
    int64_t lastSentMs = 0;
  };
  void addMissing(uint16_t seq, int64_t nowMs) noexcept;
  void remove(Slot& s) noexcept;
  void forgetTooOld(uint16_t oldHighest) noexcept;
  Slot& slot(uint16_t seq) { return slots_[seq % kSlots]; }

  Config config_;
  std::array<Slot, kSlots> slots_{};
  bool started_ = false;
  uint16_t highest_ = 0;
  size_t pending_ = 0;
  uint64_t resets_ = 0;
};

}  // namespace rc::rtp
