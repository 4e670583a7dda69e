// Sender and receiver reports (RFC 3550 §6.4.1, §6.4.2) with report blocks.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "engine/rtcp/rtcp_header.h"
#include "engine/rtcp/static_vector.h"

namespace rc::rtcp {

inline constexpr size_t kMaxReportBlocks = 31;  // 5-bit RC
inline constexpr size_t kReportBlockSize = 24;

struct ReportBlock {
  uint32_t ssrc = 0;
  uint8_t fractionLost = 0;
  int32_t cumulativeLost = 0;  // 24-bit signed (RFC 3550 §6.4.1)
  uint32_t extendedHighestSeq = 0;
  uint32_t jitter = 0;
  uint32_t lastSr = 0;            // middle 32 bits of the NTP timestamp of the last SR
  uint32_t delaySinceLastSr = 0;  // 1/65536 s
};
using ReportBlocks = StaticVector<ReportBlock, kMaxReportBlocks>;

struct SenderReport {
  uint32_t ssrc = 0;
  uint32_t ntpSec = 0;
  uint32_t ntpFrac = 0;
  uint32_t rtpTs = 0;
  uint32_t packetCount = 0;
  uint32_t octetCount = 0;
  ReportBlocks reports;
};

struct ReceiverReport {
  uint32_t ssrc = 0;
  ReportBlocks reports;
};

// Profile-specific extensions after the report blocks (RFC 3550 §6.4.1) are ignored.
std::optional<SenderReport> parseSenderReport(const RtcpPacketView& view) noexcept;
std::optional<ReceiverReport> parseReceiverReport(const RtcpPacketView& view) noexcept;

// Return bytes written, 0 if out is too small.
size_t writeSenderReport(std::span<uint8_t> out, const SenderReport& sr) noexcept;
size_t writeReceiverReport(std::span<uint8_t> out, const ReceiverReport& rr) noexcept;

// Rewrites a forwarded SR for a subscriber: SSRC, RTP timestamp (+tsOffset, the
// StreamRewriter's offset), packet and octet counts. Length and report count are kept.
// Returns false (buffer untouched) if srPacket does not start with a valid SR.
bool rewriteSenderReportInPlace(std::span<uint8_t> srPacket, uint32_t newSsrc, uint32_t tsOffset,
                                uint32_t packets, uint32_t octets) noexcept;

// RFC 3550 §4: middle 32 bits of a 64-bit NTP timestamp (LSR / DLSR units).
constexpr uint32_t compactNtp(uint32_t ntpSec, uint32_t ntpFrac) noexcept {
  return (ntpSec << 16) | (ntpFrac >> 16);
}

}  // namespace rc::rtcp
