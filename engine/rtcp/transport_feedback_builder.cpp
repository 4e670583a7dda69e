#include "engine/rtcp/transport_feedback_builder.h"

#include <algorithm>

namespace rc::rtcp {

namespace {

int64_t floorDiv(int64_t a, int64_t b) {
  const int64_t q = a / b;
  return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

constexpr size_t kMaxRunLength = 0x1FFF;  // §3.1.3: 13-bit run length
constexpr int64_t kTicksPerRefUnit = kTwccRefTimeUnitUs / kTwccDeltaUnitUs;  // 256

}  // namespace

TransportFeedbackBuilder::TransportFeedbackBuilder(size_t maxPacketBytes) noexcept
    : maxBytes_(std::max<size_t>(maxPacketBytes, 64)) {
  arrivals_.fill(kNotReceived);
}

void TransportFeedbackBuilder::clearRange(int64_t from, int64_t to) noexcept {
  if (to - from >= static_cast<int64_t>(kWindow)) {
    arrivals_.fill(kNotReceived);
    return;
  }
  for (int64_t e = from; e < to; ++e) slot(e) = kNotReceived;
}

void TransportFeedbackBuilder::onPacket(uint16_t transportSeq, int64_t arrivalUs) noexcept {
  const int64_t ext = unwrapper_.unwrap(transportSeq);
  if (!started_) {
    started_ = true;
    nextBase_ = ext;
    highest_ = ext - 1;
  }
  if (ext < nextBase_) return;                             // already covered by a sent feedback
  if (ext - nextBase_ >= static_cast<int64_t>(kWindow)) {  // window full: drop the oldest
    const int64_t newBase = ext - static_cast<int64_t>(kWindow) + 1;
    clearRange(nextBase_, std::min(newBase, highest_ + 1));
    nextBase_ = newBase;
  }
  int64_t& a = slot(ext);
  if (a == kNotReceived) a = arrivalUs;
  highest_ = std::max(highest_, ext);
}

size_t TransportFeedbackBuilder::collect(size_t limitBytes, int64_t& refUnits) noexcept {
  size_t count = 0;     // statuses taken so far
  size_t lastRecv = 0;  // statuses up to and including the last received packet
  size_t deltaBytes = 0;
  size_t lead = 0;  // not-received statuses before the first received one
  bool haveRef = false;
  int64_t prevTicks = 0;
  for (int64_t e = nextBase_; e <= highest_ && count < 0xFFFF; ++e) {
    const int64_t arrival = slot(e);
    TwccEntry entry;
    if (arrival != kNotReceived) {
      const int64_t ticks = floorDiv(arrival, kTwccDeltaUnitUs);
      if (!haveRef) {  // reference: the first received packet's 64 ms slot
        refUnits = floorDiv(arrival, kTwccRefTimeUnitUs);
        prevTicks = refUnits * kTicksPerRefUnit;
        haveRef = true;
      }
      const int64_t delta = ticks - prevTicks;
      if (delta < -32768 || delta > 32767) break;  // next feedback starts here
      entry = TwccEntry{true, static_cast<int32_t>(delta)};
      deltaBytes += (delta >= 0 && delta <= 255) ? 1 : 2;
      prevTicks = ticks;
    } else if (!haveRef) {
      ++lead;
    }
    // Pessimistic size: the encoder's chunks each cover >= 7 statuses but the last; a leading
    // run of losses takes at most 2 chunks more than its run-length chunks. Plus padding.
    const size_t leadChunks = 2 + (lead + kMaxRunLength - 1) / kMaxRunLength;
    const size_t restChunks = (count + 1 - lead + 6) / 7;
    const size_t bound = kTwccFixedSize + 2 * (leadChunks + restChunks) + deltaBytes + 3;
    if (bound > limitBytes) break;
    entries_[count++] = entry;
    if (entry.received) lastRecv = count;
  }
  return lastRecv;
}

size_t TransportFeedbackBuilder::build(std::span<uint8_t> out, uint32_t senderSsrc,
                                       uint32_t mediaSsrc) noexcept {
  if (!hasPending()) return 0;
  int64_t refUnits = 0;
  const size_t count = collect(std::min(out.size(), maxBytes_), refUnits);
  if (count == 0) return 0;
  const TwccHeader h{senderSsrc, mediaSsrc, static_cast<uint16_t>(nextBase_),
                     static_cast<int32_t>(refUnits & 0xFFFFFF), fbCount_};
  const size_t n =
      writeTransportFeedback(out, h, std::span<const TwccEntry>(entries_.data(), count));
  if (n == 0) return 0;
  clearRange(nextBase_, nextBase_ + static_cast<int64_t>(count));
  nextBase_ += static_cast<int64_t>(count);
  ++fbCount_;
  return n;
}

}  // namespace rc::rtcp
