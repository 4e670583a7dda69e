// Source description (RFC 3550 §6.5, CNAME only) and goodbye (RFC 3550 §6.6) packets.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "engine/rtcp/rtcp_header.h"
#include "engine/rtcp/static_vector.h"

namespace rc::rtcp {

inline constexpr uint8_t kSdesEnd = 0;    // RFC 3550 §6.5: end of item list
inline constexpr uint8_t kSdesCname = 1;  // RFC 3550 §6.5.1

struct SdesChunk {
  uint32_t ssrc = 0;
  std::string_view cname;  // empty if the chunk carries no CNAME; points into the packet
};
struct Sdes {
  StaticVector<SdesChunk, 31> chunks;  // 5-bit SC
};

struct Bye {
  StaticVector<uint32_t, 31> ssrcs;
  std::string_view reason;  // points into the packet
};

std::optional<Sdes> parseSdes(const RtcpPacketView& view) noexcept;
std::optional<Bye> parseBye(const RtcpPacketView& view) noexcept;

// One chunk with one CNAME item (1..255 bytes). Returns bytes written, 0 if too small/invalid.
size_t writeSdesCname(std::span<uint8_t> out, uint32_t ssrc, std::string_view cname) noexcept;
// Up to 31 SSRCs and an optional reason (<= 255 bytes). Returns bytes written or 0.
size_t writeBye(std::span<uint8_t> out, std::span<const uint32_t> ssrcs,
                std::string_view reason = {}) noexcept;

}  // namespace rc::rtcp
