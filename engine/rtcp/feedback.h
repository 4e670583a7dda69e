// RTCP feedback (RFC 4585 §6.1 common format): generic NACK (§6.2.1), PLI (§6.3.1),
// FIR (RFC 5104 §4.3.1) and REMB (draft-alvestrand-rmcat-remb-03 §2.2, parse only).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "engine/rtcp/rtcp_header.h"
#include "engine/rtcp/static_vector.h"

namespace rc::rtcp {

inline constexpr size_t kFeedbackHeaderSize = 12;  // common header + sender SSRC + media SSRC
inline constexpr size_t kMaxNackSeqs = 512;

struct Nack {
  uint32_t senderSsrc = 0;
  uint32_t mediaSsrc = 0;
  StaticVector<uint16_t, kMaxNackSeqs> lost;  // expanded from PID/BLP, in FCI order
  bool truncated = false;                     // more than kMaxNackSeqs were requested
};

struct Pli {
  uint32_t senderSsrc = 0;
  uint32_t mediaSsrc = 0;
};

struct FirEntry {
  uint32_t ssrc = 0;
  uint8_t seqNr = 0;
};
struct Fir {
  uint32_t senderSsrc = 0;
  StaticVector<FirEntry, 16> entries;  // extra entries beyond 16 are ignored
};

struct Remb {
  uint32_t senderSsrc = 0;
  uint64_t bitrateBps = 0;  // mantissa << exponent, saturated
  StaticVector<uint32_t, 16> ssrcs;
};

std::optional<Nack> parseNack(const RtcpPacketView& view) noexcept;
std::optional<Pli> parsePli(const RtcpPacketView& view) noexcept;
std::optional<Fir> parseFir(const RtcpPacketView& view) noexcept;
std::optional<Remb> parseRemb(const RtcpPacketView& view) noexcept;

// Builders return bytes written, 0 if out is too small.
// `seqs` in ascending (wrap-aware) order packs best; each PID covers the next 16 seqs (BLP).
size_t writeNack(std::span<uint8_t> out, uint32_t senderSsrc, uint32_t mediaSsrc,
                 std::span<const uint16_t> seqs) noexcept;
size_t writePli(std::span<uint8_t> out, uint32_t senderSsrc, uint32_t mediaSsrc) noexcept;
// RFC 5104 §4.3.1.1: media SSRC field 0, the target SSRC goes in the FCI entry.
size_t writeFir(std::span<uint8_t> out, uint32_t senderSsrc, uint32_t mediaSsrc,
                uint8_t seqNr) noexcept;

}  // namespace rc::rtcp
