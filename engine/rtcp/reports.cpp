#include "engine/rtcp/reports.h"

#include "engine/rtp/byte_io.h"

namespace rc::rtcp {

using rtp::load24;
using rtp::load32;
using rtp::store24;
using rtp::store32;

namespace {

constexpr size_t kSenderInfoSize = 24;  // SSRC + NTP(8) + RTP ts + packets + octets
constexpr size_t kRrFixedSize = 4;      // SSRC

ReportBlock readBlock(const uint8_t* p) {
  ReportBlock b;
  b.ssrc = load32(p);
  b.fractionLost = p[4];
  uint32_t lost = load24(p + 5);
  b.cumulativeLost =
      (lost & 0x800000) ? static_cast<int32_t>(lost | 0xFF000000u) : static_cast<int32_t>(lost);
  b.extendedHighestSeq = load32(p + 8);
  b.jitter = load32(p + 12);
  b.lastSr = load32(p + 16);
  b.delaySinceLastSr = load32(p + 20);
  return b;
}

void writeBlock(uint8_t* p, const ReportBlock& b) {
  store32(p, b.ssrc);
  p[4] = b.fractionLost;
  // RFC 3550 §6.4.1: clamp to the 24-bit signed range.
  int32_t lost = b.cumulativeLost;
  if (lost > 0x7FFFFF) lost = 0x7FFFFF;
  if (lost < -0x800000) lost = -0x800000;
  store24(p + 5, static_cast<uint32_t>(lost) & 0xFFFFFF);
  store32(p + 8, b.extendedHighestSeq);
  store32(p + 12, b.jitter);
  store32(p + 16, b.lastSr);
  store32(p + 20, b.delaySinceLastSr);
}

// Reads RC blocks starting at `offset` of the body; false if they do not fit.
bool readBlocks(const RtcpPacketView& view, size_t offset, ReportBlocks& out) {
  const size_t count = view.countOrFmt;
  if (view.body.size() < offset || (view.body.size() - offset) / kReportBlockSize < count) {
    return false;
  }
  for (size_t i = 0; i < count; ++i) {
    out.push_back(readBlock(view.body.data() + offset + i * kReportBlockSize));
  }
  return true;
}

}  // namespace

std::optional<SenderReport> parseSenderReport(const RtcpPacketView& view) noexcept {
  if (view.packetType != kSenderReport || view.body.size() < kSenderInfoSize) return std::nullopt;
  const uint8_t* p = view.body.data();
  SenderReport sr;
  sr.ssrc = load32(p);
  sr.ntpSec = load32(p + 4);
  sr.ntpFrac = load32(p + 8);
  sr.rtpTs = load32(p + 12);
  sr.packetCount = load32(p + 16);
  sr.octetCount = load32(p + 20);
  if (!readBlocks(view, kSenderInfoSize, sr.reports)) return std::nullopt;
  return sr;
}

std::optional<ReceiverReport> parseReceiverReport(const RtcpPacketView& view) noexcept {
  if (view.packetType != kReceiverReport || view.body.size() < kRrFixedSize) return std::nullopt;
  ReceiverReport rr;
  rr.ssrc = load32(view.body.data());
  if (!readBlocks(view, kRrFixedSize, rr.reports)) return std::nullopt;
  return rr;
}

size_t writeSenderReport(std::span<uint8_t> out, const SenderReport& sr) noexcept {
  const size_t total = kRtcpHeaderSize + kSenderInfoSize + kReportBlockSize * sr.reports.size();
  if (out.size() < total) return 0;
  uint8_t* p = out.data();
  writeRtcpHeader(p, static_cast<uint8_t>(sr.reports.size()), kSenderReport, total);
  store32(p + 4, sr.ssrc);
  store32(p + 8, sr.ntpSec);
  store32(p + 12, sr.ntpFrac);
  store32(p + 16, sr.rtpTs);
  store32(p + 20, sr.packetCount);
  store32(p + 24, sr.octetCount);
  for (size_t i = 0; i < sr.reports.size(); ++i) {
    writeBlock(p + 28 + i * kReportBlockSize, sr.reports[i]);
  }
  return total;
}

size_t writeReceiverReport(std::span<uint8_t> out, const ReceiverReport& rr) noexcept {
  const size_t total = kRtcpHeaderSize + kRrFixedSize + kReportBlockSize * rr.reports.size();
  if (out.size() < total) return 0;
  uint8_t* p = out.data();
  writeRtcpHeader(p, static_cast<uint8_t>(rr.reports.size()), kReceiverReport, total);
  store32(p + 4, rr.ssrc);
  for (size_t i = 0; i < rr.reports.size(); ++i) {
    writeBlock(p + 8 + i * kReportBlockSize, rr.reports[i]);
  }
  return total;
}

bool rewriteSenderReportInPlace(std::span<uint8_t> srPacket, uint32_t newSsrc, uint32_t tsOffset,
                                uint32_t packets, uint32_t octets) noexcept {
  const auto view = parseRtcpHeader(srPacket);
  if (!view || view->packetType != kSenderReport || view->body.size() < kSenderInfoSize) {
    return false;
  }
  uint8_t* p = srPacket.data();
  store32(p + 4, newSsrc);
  store32(p + 16, load32(p + 16) + tsOffset);  // same offset as the media (StreamRewriter)
  store32(p + 20, packets);
  store32(p + 24, octets);
  return true;
}

}  // namespace rc::rtcp
