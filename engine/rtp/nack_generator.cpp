#include "engine/rtp/nack_generator.h"

#include <algorithm>

#include "engine/rtp/seq.h"

namespace rc::rtp {

NackGenerator::NackGenerator(const Config& config) noexcept : config_(config) {
  config_.maxSeqAge = std::min<uint16_t>(config_.maxSeqAge, kSlots / 2);
  config_.resetJump = std::max(config_.resetJump, config_.maxSeqAge);
}

void NackGenerator::reset() noexcept {
  for (auto& s : slots_) s.missing = false;
  pending_ = 0;
  started_ = false;
}

void NackGenerator::remove(Slot& s) noexcept {
  s.missing = false;
  --pending_;
}

void NackGenerator::addMissing(uint16_t seq, int64_t nowMs) noexcept {
  Slot& s = slot(seq);
  if (s.missing) --pending_;  // an entry 1024+ behind: too old anyway
  s = Slot{seq, true, 0, nowMs, 0};
  ++pending_;
}

void NackGenerator::forgetTooOld(uint16_t oldHighest) noexcept {
  // Anything more than maxSeqAge behind the newest packet is no longer worth requesting.
  const int32_t advance = seqDelta(highest_, oldHighest);
  if (advance >= config_.maxSeqAge) {  // every tracked loss is now too old
    for (auto& s : slots_) s.missing = false;
    pending_ = 0;
    return;
  }
  for (int32_t i = 0; i < advance && pending_ > 0; ++i) {
    const uint16_t seq = static_cast<uint16_t>(oldHighest - config_.maxSeqAge + i);
    Slot& s = slot(seq);
    if (s.missing && s.seq == seq) remove(s);
  }
}

void NackGenerator::onPacket(uint16_t seq, int64_t nowMs) noexcept {
  if (!started_) {
    started_ = true;
    highest_ = seq;
    return;
  }
  const int32_t d = seqDelta(seq, highest_);
  if (d == 0) return;                                     // duplicate
  if (d > config_.resetJump || -d > config_.resetJump) {  // stream restart or SSRC reuse
    reset();
    ++resets_;
    started_ = true;
    highest_ = seq;
    return;
  }
  if (d < 0) {  // late or retransmitted packet: recovered
    Slot& s = slot(seq);
    if (s.missing && s.seq == seq) remove(s);
    return;
  }
  const uint16_t oldHighest = highest_;
  highest_ = seq;
  if (pending_ > 0) forgetTooOld(oldHighest);
  const int32_t gap = std::min<int32_t>(d - 1, config_.maxSeqAge);
  for (int32_t i = gap; i >= 1; --i) addMissing(static_cast<uint16_t>(seq - i), nowMs);
}

size_t NackGenerator::collectNacks(int64_t nowMs, int64_t rttMs, std::span<uint16_t> out) noexcept {
  if (pending_ == 0) return 0;
  const int64_t spacing = std::max(rttMs, config_.minSpacingMs);
  size_t n = 0;
  for (uint16_t back = config_.maxSeqAge; back >= 1 && pending_ > 0; --back) {
    const uint16_t seq = static_cast<uint16_t>(highest_ - back);
    Slot& s = slot(seq);
    if (!s.missing || s.seq != seq) continue;
    if (nowMs - s.detectedMs > config_.maxAgeMs || s.retries >= config_.maxRetries) {
      remove(s);
      continue;
    }
    if (s.retries > 0 && nowMs - s.lastSentMs < spacing) continue;
    if (n == out.size()) break;
    out[n++] = seq;
    ++s.retries;
    s.lastSentMs = nowMs;
  }
  return n;
}

std::vector<uint16_t> NackGenerator::collectNacks(int64_t nowMs, int64_t rttMs) {
  std::array<uint16_t, kSlots> buf;
  const size_t n = collectNacks(nowMs, rttMs, buf);
  return std::vector<uint16_t>(buf.begin(), buf.begin() + static_cast<std::ptrdiff_t>(n));
}

}  // namespace rc::rtp
