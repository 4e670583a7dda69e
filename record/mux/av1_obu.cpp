#include "record/mux/av1_obu.h"

namespace rc::record::av1 {

std::optional<std::pair<uint32_t, size_t>> readLeb128(std::span<const uint8_t> p) noexcept {
  uint64_t value = 0;
  for (size_t i = 0; i < 8 && i < p.size(); ++i) {
    value |= uint64_t{p[i] & 0x7fu} << (7 * i);
    if (!(p[i] & 0x80)) {
      if (value > UINT32_MAX) return std::nullopt;  // §4.10.5: less than or equal to 2^32 - 1
      return std::pair{static_cast<uint32_t>(value), i + 1};
    }
  }
  return std::nullopt;
}

void writeLeb128(std::vector<uint8_t>& out, uint32_t value) {
  do {
    uint8_t byte = value & 0x7f;
    value >>= 7;
    out.push_back(static_cast<uint8_t>(byte | (value ? 0x80 : 0)));
  } while (value);
}

// §5.3.1: obu_forbidden_bit (1) | obu_type (4) | obu_extension_flag (1) |
// obu_has_size_field (1) | obu_reserved_1bit (1), then the extension byte if flagged.
std::optional<Obu> parseObu(std::span<const uint8_t> p) noexcept {
  if (p.empty() || (p[0] & 0x80)) return std::nullopt;
  size_t headerSize = (p[0] & 0x04) ? 2 : 1;
  if (p.size() < headerSize) return std::nullopt;
  Obu obu;
  obu.type = (p[0] >> 3) & 0x0f;
  obu.header = p.first(headerSize);
  auto rest = p.subspan(headerSize);
  if (!(p[0] & 0x02)) {
    obu.payload = rest;
    obu.totalSize = p.size();
    return obu;
  }
  auto size = readLeb128(rest);
  if (!size || size->first > rest.size() - size->second) return std::nullopt;
  obu.payload = rest.subspan(size->second, size->first);
  obu.totalSize = headerSize + size->second + size->first;
  return obu;
}

void appendWithSize(std::vector<uint8_t>& out, const Obu& obu) {
  out.push_back(static_cast<uint8_t>(obu.header[0] | 0x02));
  if (obu.header.size() > 1) out.push_back(obu.header[1]);
  writeLeb128(out, static_cast<uint32_t>(obu.payload.size()));
  out.insert(out.end(), obu.payload.begin(), obu.payload.end());
}

bool isKeyFrame(const Obu& frame, bool reducedStillPictureHeader) noexcept {
  if (frame.type != kObuFrame && frame.type != kObuFrameHeader) return false;
  if (reducedStillPictureHeader) return true;  // §5.9.2: frame_type = KEY_FRAME implied
  if (frame.payload.empty()) return false;
  bool showExistingFrame = (frame.payload[0] & 0x80) != 0;
  uint8_t frameType = (frame.payload[0] >> 5) & 0x03;
  return !showExistingFrame && frameType == 0;
}

// §5.5.1: seq_profile f(3), still_picture f(1), reduced_still_picture_header f(1).
bool reducedStillPictureHeader(const Obu& sequenceHeader) noexcept {
  return !sequenceHeader.payload.empty() && (sequenceHeader.payload[0] & 0x08) != 0;
}

}  // namespace rc::record::av1
