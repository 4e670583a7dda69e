// AV1 open bitstream units (AV1 Bitstream & Decoding Process Specification §5.3): the OBU
// header, LEB128 sizes (§4.10.5) and the low-overhead bitstream format (§5.2) that MP4
// samples use (every OBU with obu_has_size_field = 1).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace rc::record::av1 {

// obu_type values (§6.2.2).
inline constexpr uint8_t kObuSequenceHeader = 1, kObuTemporalDelimiter = 2, kObuFrameHeader = 3,
                         kObuFrame = 6, kObuTileList = 8, kObuPadding = 15;

struct Obu {
  uint8_t type = 0;
  std::span<const uint8_t> header;   // 1 byte, or 2 with obu_extension_flag
  std::span<const uint8_t> payload;  // after the header and the size field, if any
  size_t totalSize = 0;              // bytes this OBU takes in its input
};

// §4.10.5 leb128(): at most 8 bytes, value < 2^32. Returns the value and its length.
std::optional<std::pair<uint32_t, size_t>> readLeb128(std::span<const uint8_t> p) noexcept;
void writeLeb128(std::vector<uint8_t>& out, uint32_t value);

// §5.3.1 obu_header() and §5.3 open_bitstream_unit(): one OBU at the start of `p`. Without
// obu_has_size_field the OBU runs to the end of `p` (as in an RTP OBU element). nullopt when
// obu_forbidden_bit is set or a length runs past `p`.
std::optional<Obu> parseObu(std::span<const uint8_t> p) noexcept;

// Appends `obu` in the low-overhead format: the header with obu_has_size_field set, then the
// payload size as LEB128, then the payload.
void appendWithSize(std::vector<uint8_t>& out, const Obu& obu);

// §5.9.2 uncompressed_header(): true when a frame (header) OBU starts a KEY_FRAME
// (show_existing_frame = 0, frame_type = 0), or always under reduced_still_picture_header.
bool isKeyFrame(const Obu& frame, bool reducedStillPictureHeader) noexcept;

// §5.5.1: reduced_still_picture_header, the fifth bit of a sequence header OBU's payload.
bool reducedStillPictureHeader(const Obu& sequenceHeader) noexcept;

}  // namespace rc::record::av1
