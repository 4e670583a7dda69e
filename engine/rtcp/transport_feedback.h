// Transport-wide congestion control feedback, RTPFB FMT 15
// (draft-holmer-rmcat-transport-wide-cc-extensions-01 §3.1): base sequence number, packet
// status count, 24-bit reference time (64 ms units), feedback packet count, then packet status
// chunks (run-length or status vector) and receive deltas (250 µs units; 1 byte small,
// 2 bytes signed large/negative).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "engine/rtcp/rtcp_header.h"

namespace rc::rtcp {

inline constexpr int64_t kTwccDeltaUnitUs = 250;
inline constexpr int64_t kTwccRefTimeUnitUs = 64000;
inline constexpr size_t kTwccFixedSize = 20;  // feedback header (12) + base..fb count (8)

// Per-packet status symbols (§3.1.1).
enum class TwccSymbol : uint8_t { NotReceived = 0, SmallDelta = 1, LargeDelta = 2 };

struct TwccPacketStatus {
  uint16_t seq;
  bool received;
  int32_t deltaTicks;  // 250 µs units, relative to the previous received packet (or reference)
  int64_t deltaUs;
  int64_t arrivalUs;  // reference time + all deltas so far (sender's view of receive time)
};

// Walks the statuses of a validated feedback in sequence order.
class TwccStatusReader {
 public:
  TwccStatusReader(std::span<const uint8_t> chunks, std::span<const uint8_t> deltas,
                   uint16_t baseSeq, uint16_t statusCount, int64_t referenceUs) noexcept;
  bool next(TwccPacketStatus& out) noexcept;  // false when done or on malformed input

 private:
  int nextSymbol() noexcept;  // 0..3, or -1 when the chunks run out
  std::span<const uint8_t> chunks_;
  std::span<const uint8_t> deltas_;
  size_t chunkPos_ = 0;
  size_t deltaPos_ = 0;
  uint16_t word_ = 0;
  uint32_t left_ = 0;
  uint32_t index_ = 0;
  uint16_t seq_;
  uint32_t remaining_;
  int64_t arrivalUs_;
};

struct TransportFeedback {
  uint32_t senderSsrc = 0;
  uint32_t mediaSsrc = 0;
  uint16_t baseSeq = 0;
  uint16_t statusCount = 0;
  int32_t referenceTime = 0;  // 24-bit signed, 64 ms units
  uint8_t fbPktCount = 0;
  std::span<const uint8_t> chunks;  // validated: cover statusCount symbols, none reserved
  std::span<const uint8_t> deltas;  // exactly the bytes the symbols call for

  int64_t referenceTimeUs() const { return int64_t{referenceTime} * kTwccRefTimeUnitUs; }
  TwccStatusReader reader() const {
    return TwccStatusReader(chunks, deltas, baseSeq, statusCount, referenceTimeUs());
  }
  template <class F>
  void forEachPacket(F&& f) const {  // f(const TwccPacketStatus&)
    auto r = reader();
    TwccPacketStatus s{};
    while (r.next(s)) f(s);
  }
};

std::optional<TransportFeedback> parseTransportFeedback(const RtcpPacketView& view) noexcept;

// One packet's entry for the writer: received packets carry their delta in 250 µs ticks.
struct TwccEntry {
  bool received = false;
  int32_t deltaTicks = 0;
};
struct TwccHeader {
  uint32_t senderSsrc = 0;
  uint32_t mediaSsrc = 0;
  uint16_t baseSeq = 0;
  int32_t referenceTime = 0;  // 64 ms units; written modulo 2^24
  uint8_t fbPktCount = 0;
};
// Bytes writeTransportFeedback() needs, 0 if not encodable (no entries, > 65535 entries, or a
// delta outside the 16-bit signed range).
size_t transportFeedbackSize(std::span<const TwccEntry> entries) noexcept;
// Writes the feedback for entries[i] = status of seq baseSeq+i; zero-padded to 32 bits.
// Returns bytes written, 0 if out is too small or not encodable.
size_t writeTransportFeedback(std::span<uint8_t> out, const TwccHeader& header,
                              std::span<const TwccEntry> entries) noexcept;

}  // namespace rc::rtcp
