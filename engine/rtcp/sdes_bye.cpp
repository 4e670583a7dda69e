#include "engine/rtcp/sdes_bye.h"

#include <cstring>

#include "engine/rtp/byte_io.h"

namespace rc::rtcp {

using rtp::load32;
using rtp::store32;

namespace {

constexpr size_t align4(size_t n) {
  return (n + 3) & ~size_t{3};
}

std::string_view textAt(std::span<const uint8_t> body, size_t offset, size_t len) {
  return {reinterpret_cast<const char*>(body.data() + offset), len};
}

// Parses the item list of one chunk starting at `pos`; leaves `pos` at the next chunk.
bool parseItems(std::span<const uint8_t> body, size_t& pos, SdesChunk& chunk) {
  while (true) {
    if (pos >= body.size()) return false;
    const uint8_t type = body[pos];
    if (type == kSdesEnd) {  // RFC 3550 §6.5: null octet(s) up to the next 32-bit boundary
      pos = align4(pos + 1);
      return pos <= body.size();
    }
    if (body.size() - pos < 2) return false;
    const size_t len = body[pos + 1];
    if (body.size() - pos - 2 < len) return false;
    if (type == kSdesCname) chunk.cname = textAt(body, pos + 2, len);
    pos += 2 + len;
  }
}

}  // namespace

std::optional<Sdes> parseSdes(const RtcpPacketView& view) noexcept {
  if (view.packetType != kSdes) return std::nullopt;
  Sdes sdes;
  size_t pos = 0;
  for (size_t i = 0; i < view.countOrFmt; ++i) {
    if (view.body.size() - pos < 4) return std::nullopt;
    SdesChunk chunk;
    chunk.ssrc = load32(view.body.data() + pos);
    pos += 4;
    if (!parseItems(view.body, pos, chunk)) return std::nullopt;
    sdes.chunks.push_back(chunk);
  }
  return sdes;
}

std::optional<Bye> parseBye(const RtcpPacketView& view) noexcept {
  if (view.packetType != kBye) return std::nullopt;
  const size_t count = view.countOrFmt;
  if (view.body.size() / 4 < count) return std::nullopt;
  Bye bye;
  for (size_t i = 0; i < count; ++i) bye.ssrcs.push_back(load32(view.body.data() + 4 * i));
  const size_t pos = 4 * count;
  if (pos < view.body.size()) {  // optional reason: length octet + text (RFC 3550 §6.6)
    const size_t len = view.body[pos];
    if (view.body.size() - pos - 1 < len) return std::nullopt;
    bye.reason = textAt(view.body, pos + 1, len);
  }
  return bye;
}

size_t writeSdesCname(std::span<uint8_t> out, uint32_t ssrc, std::string_view cname) noexcept {
  if (cname.empty() || cname.size() > 255) return 0;
  // header + SSRC + type + length + text + at least one null octet, padded to 32 bits.
  const size_t total = align4(kRtcpHeaderSize + 4 + 2 + cname.size() + 1);
  if (out.size() < total) return 0;
  uint8_t* p = out.data();
  writeRtcpHeader(p, 1, kSdes, total);
  store32(p + 4, ssrc);
  p[8] = kSdesCname;
  p[9] = static_cast<uint8_t>(cname.size());
  std::memcpy(p + 10, cname.data(), cname.size());
  const size_t used = 10 + cname.size();
  std::memset(p + used, 0, total - used);
  return total;
}

size_t writeBye(std::span<uint8_t> out, std::span<const uint32_t> ssrcs,
                std::string_view reason) noexcept {
  if (ssrcs.size() > 31 || reason.size() > 255) return 0;
  const size_t reasonBytes = reason.empty() ? 0 : align4(1 + reason.size());
  const size_t total = kRtcpHeaderSize + 4 * ssrcs.size() + reasonBytes;
  if (out.size() < total) return 0;
  uint8_t* p = out.data();
  writeRtcpHeader(p, static_cast<uint8_t>(ssrcs.size()), kBye, total);
  size_t pos = kRtcpHeaderSize;
  for (uint32_t s : ssrcs) {
    store32(p + pos, s);
    pos += 4;
  }
  if (reasonBytes > 0) {
    p[pos] = static_cast<uint8_t>(reason.size());
    std::memcpy(p + pos + 1, reason.data(), reason.size());
    std::memset(p + pos + 1 + reason.size(), 0, reasonBytes - 1 - reason.size());
  }
  return total;
}

}  // namespace rc::rtcp
