// What a subscriber counts per received stream: packets, bytes, and loss by sequence number
// (RFC 3550 §A.3 extended sequence numbers) with reordered and duplicated packets counted
// apart; plus a latency histogram per loop thread.
#pragma once

#include <array>
#include <atomic>
#include <bitset>
#include <cstdint>
#include <vector>

namespace rc::bench {

// Counters one loop thread owns and the main thread reads: single writer, relaxed atomics.
struct LoopCounters {
  std::atomic<uint64_t> packets{0}, bytes{0};
  std::atomic<uint64_t> expected{0}, unique{0}, duplicates{0}, reordered{0};
  std::atomic<uint64_t> decrypted{0}, decryptFailures{0}, rtcpIn{0};
  std::atomic<uint64_t> sentPackets{0}, sentBytes{0}, sendErrors{0};
  std::atomic<uint64_t> keyframeRequests{0}, nacks{0};
  std::atomic<uint64_t> joined{0}, joinFailures{0};
};

inline void bump(std::atomic<uint64_t>& counter, uint64_t by = 1) noexcept {
  counter.store(counter.load(std::memory_order_relaxed) + by, std::memory_order_relaxed);
}

// One received SSRC (the server rewrites sequence numbers; we count what arrives).
class StreamStats {
 public:
  explicit StreamStats(uint32_t ssrc) : ssrc_(ssrc) {}
  uint32_t ssrc() const noexcept { return ssrc_; }
  // Returns true when the packet is the first of a new RTP timestamp (a new frame).
  bool onPacket(uint16_t seq, uint32_t timestamp, size_t bytes, LoopCounters& c) noexcept;
  uint64_t packets() const noexcept { return packets_; }

 private:
  static constexpr uint64_t kWindow = 1024;  // reorder/duplicate memory, in packets

  uint32_t ssrc_;
  bool started_ = false;
  uint64_t highest_ = 0;  // extended sequence number
  uint64_t packets_ = 0;
  uint32_t lastTimestamp_ = 0;
  std::bitset<kWindow> seen_;
};

// Latency in microseconds: 1 us buckets up to 1 s, one overflow bucket; max kept exactly.
class LatencyHistogram {
 public:
  LatencyHistogram() : buckets_(kBuckets + 1, 0) {}
  void add(int64_t ns) noexcept;
  void merge(const LatencyHistogram& other);
  uint64_t count() const noexcept { return count_; }
  double percentileMs(double p) const;
  double maxMs() const noexcept { return static_cast<double>(maxNs_) / 1e6; }

 private:
  static constexpr size_t kBuckets = 1'000'000;
  std::vector<uint32_t> buckets_;
  uint64_t count_ = 0;
  int64_t maxNs_ = 0;
};

}  // namespace rc::bench
