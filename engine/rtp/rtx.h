// RTP retransmission payload format (RFC 4588 §4): the RTX payload starts with the 2-byte
// original sequence number (OSN), followed by the original payload.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "engine/rtp/rtp_packet.h"

namespace rc::rtp {

inline constexpr size_t kRtxOsnSize = 2;

// Given an RTX packet, returns its OSN and the original payload. False when the payload is
// shorter than the OSN (e.g. a padding-only RTX probe, which carries no OSN).
bool unwrapRtx(const RtpPacket& rtx, uint16_t& osn, std::span<const uint8_t>& payload) noexcept;

// Writes the 2-byte OSN at the start of an RTX payload. Returns 2, or 0 if out is too small.
size_t writeRtxPayloadPrefix(std::span<uint8_t> out, uint16_t osn) noexcept;

// Builds the RTX packet for `original` (RFC 4588 §4): the original header (CSRCs and
// extensions kept) with the RTX payload type, SSRC and sequence number, then OSN + payload.
// Padding is dropped. Returns bytes written or 0 if out is too small.
size_t writeRtxPacket(std::span<uint8_t> out, const RtpPacket& original, uint8_t rtxPayloadType,
                      uint32_t rtxSsrc, uint16_t rtxSeq) noexcept;

// Rebuilds the original packet from an RTX packet (RFC 4588 §4): header with the OSN as
// sequence number and the original payload type / SSRC. Padding is dropped. Returns bytes
// written or 0 (too small, or no OSN).
size_t restoreFromRtx(std::span<uint8_t> out, const RtpPacket& rtx, uint8_t originalPayloadType,
                      uint32_t originalSsrc) noexcept;

}  // namespace rc::rtp
