// Receiver side of transport-wide congestion control toward a publisher: records the arrival
// time of every transport-sequenced packet and emits RTPFB FMT 15 feedback
// (draft-holmer-rmcat-transport-wide-cc-extensions-01 §3.1). The caller calls build() every
// 50-100 ms while hasPending(). Fixed memory; no allocation.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

#include "engine/rtcp/transport_feedback.h"
#include "engine/rtp/seq.h"

namespace rc::rtcp {

class TransportFeedbackBuilder {
 public:
  static constexpr size_t kWindow = 2048;           // unreported packets tracked (power of two)
  static constexpr size_t kDefaultMaxBytes = 1200;  // cap on one feedback packet

  explicit TransportFeedbackBuilder(size_t maxPacketBytes = kDefaultMaxBytes) noexcept;

  // Packets older than the last reported base are ignored; duplicates keep the first arrival.
  // A packet more than kWindow ahead of the oldest unreported one pushes the oldest out.
  void onPacket(uint16_t transportSeq, int64_t arrivalUs) noexcept;
  bool hasPending() const { return started_ && highest_ >= nextBase_; }

  // One feedback packet covering pending seqs from the oldest unreported one. If they do not
  // fit (size cap, out, 65535 statuses, or a delta beyond ±8.19 s), builds the first part and
  // keeps the rest pending. Reference time in 64 ms units (arrivalUs / 64000 modulo 2^24, so
  // the parsed, sign-extended value is only meaningful relative to other feedbacks), deltas in
  // 250 µs units. Increments
  // the feedback packet count. Returns bytes written, 0 if nothing pending or out too small.
  size_t build(std::span<uint8_t> out, uint32_t senderSsrc, uint32_t mediaSsrc) noexcept;

  uint8_t feedbackCount() const { return fbCount_; }

 private:
  static constexpr int64_t kNotReceived = INT64_MIN;
  int64_t& slot(int64_t ext) { return arrivals_[static_cast<size_t>(ext) & (kWindow - 1)]; }
  void clearRange(int64_t from, int64_t to) noexcept;             // [from, to)
  size_t collect(size_t limitBytes, int64_t& refUnits) noexcept;  // fills entries_, returns count

  size_t maxBytes_;
  rtp::SeqUnwrapper unwrapper_;
  std::array<int64_t, kWindow> arrivals_;
  std::array<TwccEntry, kWindow> entries_{};
  bool started_ = false;
  int64_t nextBase_ = 0;  // extended seq of the oldest unreported packet
  int64_t highest_ = 0;   // extended seq of the newest received packet
  uint8_t fbCount_ = 0;
};

}  // namespace rc::rtcp
