#include "bench/loadgen/receive_stats.h"

#include <algorithm>

namespace rc::bench {

bool StreamStats::onPacket(uint16_t seq, uint32_t timestamp, size_t bytes,
                           LoopCounters& c) noexcept {
  bump(c.packets);
  bump(c.bytes, bytes);
  ++packets_;
  bool newFrame = !started_ || timestamp != lastTimestamp_;
  lastTimestamp_ = timestamp;
  if (!started_) {
    started_ = true;
    highest_ = (uint64_t{1} << 16) + seq;  // room below for reordered early packets
    seen_.reset();
    seen_.set(highest_ % kWindow);
    bump(c.expected);
    bump(c.unique);
    return true;
  }
  // RFC 3550 §A.1: the extended sequence number nearest the highest one seen.
  int16_t delta = static_cast<int16_t>(seq - static_cast<uint16_t>(highest_));
  uint64_t ext = highest_ + static_cast<int64_t>(delta);
  if (delta > 0) {
    for (uint64_t s = highest_ + 1; s < ext && s + kWindow > ext; ++s) seen_.reset(s % kWindow);
    if (static_cast<uint64_t>(delta) >= kWindow) seen_.reset();
    seen_.set(ext % kWindow);
    bump(c.expected, static_cast<uint64_t>(delta));
    bump(c.unique);
    highest_ = ext;
  } else if (highest_ - ext >= kWindow) {
    bump(c.reordered);  // too old to tell apart from a duplicate: counted as late
  } else if (seen_.test(ext % kWindow)) {
    bump(c.duplicates);
  } else {
    seen_.set(ext % kWindow);
    bump(c.reordered);
    bump(c.unique);
  }
  return newFrame;
}

void LatencyHistogram::add(int64_t ns) noexcept {
  if (ns < 0) ns = 0;
  size_t us = static_cast<size_t>(ns / 1000);
  ++buckets_[std::min(us, kBuckets)];
  ++count_;
  maxNs_ = std::max(maxNs_, ns);
}

void LatencyHistogram::merge(const LatencyHistogram& other) {
  for (size_t i = 0; i < buckets_.size(); ++i) buckets_[i] += other.buckets_[i];
  count_ += other.count_;
  maxNs_ = std::max(maxNs_, other.maxNs_);
}

double LatencyHistogram::percentileMs(double p) const {
  if (count_ == 0) return 0;
  uint64_t rank = static_cast<uint64_t>(p / 100.0 * static_cast<double>(count_ - 1)) + 1;
  uint64_t seen = 0;
  for (size_t i = 0; i < buckets_.size(); ++i) {
    seen += buckets_[i];
    if (seen >= rank) return i == kBuckets ? maxMs() : (static_cast<double>(i) + 0.5) / 1000.0;
  }
  return maxMs();
}

}  // namespace rc::bench
