#include "engine/rtp/rtx.h"

#include <cstring>

#include "engine/rtp/byte_io.h"

namespace rc::rtp {

namespace {

// Copies the header of `p` without the padding bit, returns the header size.
size_t copyHeaderNoPadding(uint8_t* out, const RtpPacket& p) {
  std::memcpy(out, p.bytes().data(), p.headerSize());
  out[0] &= static_cast<uint8_t>(~0x20);  // RFC 3550 §5.1 P cleared: padding not copied
  return p.headerSize();
}

}  // namespace

bool unwrapRtx(const RtpPacket& rtx, uint16_t& osn, std::span<const uint8_t>& payload) noexcept {
  const auto body = rtx.payload();
  if (body.size() < kRtxOsnSize) return false;
  osn = load16(body.data());
  payload = body.subspan(kRtxOsnSize);
  return true;
}

size_t writeRtxPayloadPrefix(std::span<uint8_t> out, uint16_t osn) noexcept {
  if (out.size() < kRtxOsnSize) return 0;
  store16(out.data(), osn);
  return kRtxOsnSize;
}

size_t writeRtxPacket(std::span<uint8_t> out, const RtpPacket& original, uint8_t rtxPayloadType,
                      uint32_t rtxSsrc, uint16_t rtxSeq) noexcept {
  const auto payload = original.payload();
  const size_t total = original.headerSize() + kRtxOsnSize + payload.size();
  if (out.size() < total) return 0;
  size_t n = copyHeaderNoPadding(out.data(), original);
  setPayloadType(out, rtxPayloadType);
  setSsrc(out, rtxSsrc);
  setSequenceNumber(out, rtxSeq);
  n += writeRtxPayloadPrefix(out.subspan(n), original.sequenceNumber());
  if (!payload.empty()) std::memcpy(out.data() + n, payload.data(), payload.size());
  return total;
}

size_t restoreFromRtx(std::span<uint8_t> out, const RtpPacket& rtx, uint8_t originalPayloadType,
                      uint32_t originalSsrc) noexcept {
  uint16_t osn = 0;
  std::span<const uint8_t> payload;
  if (!unwrapRtx(rtx, osn, payload)) return 0;
  const size_t total = rtx.headerSize() + payload.size();
  if (out.size() < total) return 0;
  const size_t n = copyHeaderNoPadding(out.data(), rtx);
  setPayloadType(out, originalPayloadType);
  setSsrc(out, originalSsrc);
  setSequenceNumber(out, osn);
  if (!payload.empty()) std::memcpy(out.data() + n, payload.data(), payload.size());
  return total;
}

}  // namespace rc::rtp
