#include "engine/rtp/demux.h"

#include "engine/rtp/byte_io.h"

namespace rc::rtp {

namespace {
constexpr size_t kStunHeader = 20;
constexpr size_t kDtlsHeader = 13;
constexpr size_t kRtpHeader = 12;
constexpr size_t kRtcpHeader = 8;  // common header + SSRC (RFC 3550 §6.4)
constexpr uint32_t kStunMagicCookie = 0x2112A442;
}  // namespace

PacketClass classify(std::span<const uint8_t> data) noexcept {
  if (data.empty()) return PacketClass::Unknown;
  const uint8_t b = data[0];
  if (b <= 3) return data.size() >= kStunHeader ? PacketClass::Stun : PacketClass::Unknown;
  if (b >= 20 && b <= 63) {
    return data.size() >= kDtlsHeader ? PacketClass::Dtls : PacketClass::Unknown;
  }
  if (b >= 128 && b <= 191) {
    if (data.size() < kRtcpHeader) return PacketClass::Unknown;
    const uint8_t pt = data[1];
    if (pt >= 192 && pt <= 223) return PacketClass::Rtcp;  // RFC 5761 §4
    return data.size() >= kRtpHeader ? PacketClass::Rtp : PacketClass::Unknown;
  }
  return PacketClass::Unknown;  // 64..79 TURN channels, 80..127 QUIC, others: not ours
}

bool isStunHeader(std::span<const uint8_t> data) noexcept {
  if (data.size() < kStunHeader) return false;
  if ((data[0] & 0xC0) != 0) return false;
  const uint16_t length = load16(data.data() + 2);
  if ((length & 3) != 0 || data.size() != kStunHeader + length) return false;
  return load32(data.data() + 4) == kStunMagicCookie;
}

std::optional<DtlsRecordHeader> DtlsRecordWalker::next() noexcept {
  if (rest_.empty() || malformed_) return std::nullopt;
  if (rest_.size() < kDtlsHeader) {
    malformed_ = true;
    return std::nullopt;
  }
  const uint8_t* p = rest_.data();
  const uint16_t length = load16(p + 11);
  if (rest_.size() - kDtlsHeader < length) {
    malformed_ = true;
    return std::nullopt;
  }
  DtlsRecordHeader h{p[0], load16(p + 1), load16(p + 3), load48(p + 5),
                     rest_.subspan(kDtlsHeader, length)};
  rest_ = rest_.subspan(kDtlsHeader + length);
  return h;
}

}  // namespace rc::rtp
