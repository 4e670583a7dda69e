#include "engine/rtcp/rtcp_header.h"

#include "engine/rtp/byte_io.h"

namespace rc::rtcp {

using rtp::load16;
using rtp::store16;

std::optional<RtcpPacketView> parseRtcpHeader(std::span<const uint8_t> data) noexcept {
  if (data.size() < kRtcpHeaderSize) return std::nullopt;
  const uint8_t version = data[0] >> 6;
  if (version != 2) return std::nullopt;
  const uint16_t lengthWords = load16(data.data() + 2);
  const size_t total = (static_cast<size_t>(lengthWords) + 1) * 4;
  if (total > data.size()) return std::nullopt;
  const bool padding = (data[0] & 0x20) != 0;
  size_t pad = 0;
  if (padding) {  // RFC 3550 §6.4.1: last octet counts the padding, itself included
    pad = data[total - 1];
    if (pad == 0 || pad > total - kRtcpHeaderSize) return std::nullopt;
  }
  const auto packet = data.first(total);
  return RtcpPacketView{version,
                        padding,
                        static_cast<uint8_t>(data[0] & 0x1F),
                        data[1],
                        lengthWords,
                        packet,
                        packet.subspan(kRtcpHeaderSize, total - kRtcpHeaderSize - pad)};
}

std::optional<RtcpPacketView> CompoundReader::next() noexcept {
  if (rest_.empty() || malformed_) return std::nullopt;
  auto view = parseRtcpHeader(rest_);
  if (!view) {
    malformed_ = true;
    return std::nullopt;
  }
  rest_ = rest_.subspan(view->packet.size());
  return view;
}

void writeRtcpHeader(uint8_t* p, uint8_t countOrFmt, uint8_t packetType,
                     size_t totalBytes) noexcept {
  p[0] = static_cast<uint8_t>(0x80 | (countOrFmt & 0x1F));  // V=2, P=0
  p[1] = packetType;
  store16(p + 2, static_cast<uint16_t>(totalBytes / 4 - 1));
}

}  // namespace rc::rtcp
