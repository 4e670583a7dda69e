#include "engine/rtp/rtp_packet.h"

#include <cstring>

#include "engine/rtp/byte_io.h"

namespace rc::rtp {

namespace {

constexpr uint8_t kVersion2 = 2;
constexpr size_t kExtHeaderSize = 4;  // profile + length in 32-bit words (RFC 3550 §5.3.1)

bool isTwoByteProfile(uint16_t profile) {
  return (profile & 0xFFF0) == kTwoByteExtProfile;
}

// RFC 8285 §4.2: one-byte elements; ID 0 is reserved for padding (a byte whose ID nibble is 0
// is skipped as one padding byte, whatever its length nibble), ID 15 stops processing.
bool nextOneByte(std::span<const uint8_t> block, size_t& cursor, ExtensionValue& out) {
  while (cursor < block.size()) {
    const uint8_t b = block[cursor];
    const uint8_t id = b >> 4;
    if (id == 0) {
      ++cursor;
      continue;
    }
    if (id == 15) return false;
    const size_t len = static_cast<size_t>(b & 0x0F) + 1;
    if (block.size() - cursor - 1 < len) return false;
    out = ExtensionValue{id, block.subspan(cursor + 1, len)};
    cursor += 1 + len;
    return true;
  }
  return false;
}

// RFC 8285 §4.3: two-byte elements (ID, length 0..255); ID 0 is a padding byte.
bool nextTwoByte(std::span<const uint8_t> block, size_t& cursor, ExtensionValue& out) {
  while (cursor < block.size()) {
    const uint8_t id = block[cursor];
    if (id == 0) {
      ++cursor;
      continue;
    }
    if (block.size() - cursor < 2) return false;
    const size_t len = block[cursor + 1];
    if (block.size() - cursor - 2 < len) return false;
    out = ExtensionValue{id, block.subspan(cursor + 2, len)};
    cursor += 2 + len;
    return true;
  }
  return false;
}

}  // namespace

std::optional<RtpPacket> RtpPacket::parse(std::span<const uint8_t> data) noexcept {
  if (data.size() < kRtpFixedHeaderSize) return std::nullopt;
  if ((data[0] >> 6) != kVersion2) return std::nullopt;  // RFC 3550 §5.1 V
  RtpPacket p;
  p.data_ = data;
  size_t offset = kRtpFixedHeaderSize + 4 * static_cast<size_t>(data[0] & 0x0F);  // CC
  if (data.size() < offset) return std::nullopt;
  if (data[0] & 0x10) {  // X: RFC 3550 §5.3.1
    if (data.size() - offset < kExtHeaderSize) return std::nullopt;
    p.extProfile_ = load16(data.data() + offset);
    const size_t extLen = 4 * static_cast<size_t>(load16(data.data() + offset + 2));
    offset += kExtHeaderSize;
    if (data.size() - offset < extLen) return std::nullopt;
    p.extOffset_ = offset;
    p.extSize_ = extLen;
    offset += extLen;
  }
  p.headerSize_ = offset;
  if (data[0] & 0x20) {  // P: last octet counts padding including itself (RFC 3550 §5.1)
    const size_t pad = data.back();
    if (pad == 0 || pad > data.size() - offset) return std::nullopt;
    p.paddingSize_ = pad;
  }
  return p;
}

uint16_t RtpPacket::sequenceNumber() const {
  return load16(data_.data() + 2);
}
uint32_t RtpPacket::timestamp() const {
  return load32(data_.data() + 4);
}
uint32_t RtpPacket::ssrc() const {
  return load32(data_.data() + 8);
}

uint32_t RtpPacket::csrc(size_t i) const {
  if (i >= csrcCount()) return 0;
  return load32(data_.data() + kRtpFixedHeaderSize + 4 * i);
}

bool RtpPacket::hasTwoByteExtensions() const {
  return hasExtension() && isTwoByteProfile(extProfile_);
}

bool RtpPacket::nextExtension(size_t& cursor, ExtensionValue& out) const noexcept {
  if (!hasExtension()) return false;
  const auto block = extensionBlock();
  if (extProfile_ == kOneByteExtProfile) return nextOneByte(block, cursor, out);
  if (isTwoByteProfile(extProfile_)) return nextTwoByte(block, cursor, out);
  return false;  // some other profile-specific extension (RFC 3550 §5.3.1): opaque
}

std::optional<std::span<const uint8_t>> RtpPacket::extension(uint8_t id) const noexcept {
  if (id == 0) return std::nullopt;
  size_t cursor = 0;
  ExtensionValue v{};
  while (nextExtension(cursor, v)) {
    if (v.id == id) return v.value;
  }
  return std::nullopt;
}

std::span<const uint8_t> RtpPacket::payload() const {
  return data_.subspan(headerSize_, data_.size() - headerSize_ - paddingSize_);
}

namespace {

bool fitsOneByte(std::span<const ExtensionValue> exts) {
  for (const auto& e : exts) {
    if (e.id == 0 || e.id > 14 || e.value.empty() || e.value.size() > 16) return false;
  }
  return true;
}

// Size of the element data (without the 4-byte extension header or padding); 0 if invalid.
size_t elementBytes(std::span<const ExtensionValue> exts, bool oneByte) {
  size_t total = 0;
  for (const auto& e : exts) {
    if (e.id == 0 || e.value.size() > 255) return 0;
    total += (oneByte ? 1 : 2) + e.value.size();
  }
  return total;
}

size_t writeElements(uint8_t* p, std::span<const ExtensionValue> exts, bool oneByte) {
  size_t n = 0;
  for (const auto& e : exts) {
    if (oneByte) {
      p[n++] = static_cast<uint8_t>((e.id << 4) | (e.value.size() - 1));
    } else {
      p[n++] = e.id;
      p[n++] = static_cast<uint8_t>(e.value.size());
    }
    if (!e.value.empty()) std::memcpy(p + n, e.value.data(), e.value.size());
    n += e.value.size();
  }
  return n;
}

}  // namespace

size_t headerSizeFor(std::span<const ExtensionValue> exts) noexcept {
  if (exts.empty()) return kRtpFixedHeaderSize;
  const size_t body = elementBytes(exts, fitsOneByte(exts));
  if (body == 0) return 0;
  const size_t padded = (body + 3) & ~size_t{3};
  if (padded / 4 > 0xFFFF) return 0;
  return kRtpFixedHeaderSize + kExtHeaderSize + padded;
}

size_t writeHeader(std::span<uint8_t> out, const RtpHeaderFields& h,
                   std::span<const ExtensionValue> exts) noexcept {
  const size_t total = headerSizeFor(exts);
  if (total == 0 || out.size() < total || h.payloadType > 127) return 0;
  uint8_t* p = out.data();
  p[0] = static_cast<uint8_t>((kVersion2 << 6) | (exts.empty() ? 0 : 0x10));
  p[1] = static_cast<uint8_t>((h.marker ? 0x80 : 0) | h.payloadType);
  store16(p + 2, h.sequenceNumber);
  store32(p + 4, h.timestamp);
  store32(p + 8, h.ssrc);
  if (exts.empty()) return total;
  const bool oneByte = fitsOneByte(exts);
  const size_t blockSize = total - kRtpFixedHeaderSize - kExtHeaderSize;
  store16(p + 12, oneByte ? kOneByteExtProfile : kTwoByteExtProfile);
  store16(p + 14, static_cast<uint16_t>(blockSize / 4));
  const size_t n = writeElements(p + 16, exts, oneByte);
  std::memset(p + 16 + n, 0, blockSize - n);  // RFC 8285 §4.1: padding bytes are zero
  return total;
}

void setSequenceNumber(std::span<uint8_t> packet, uint16_t seq) noexcept {
  if (packet.size() >= kRtpFixedHeaderSize) store16(packet.data() + 2, seq);
}
void setTimestamp(std::span<uint8_t> packet, uint32_t ts) noexcept {
  if (packet.size() >= kRtpFixedHeaderSize) store32(packet.data() + 4, ts);
}
void setSsrc(std::span<uint8_t> packet, uint32_t ssrc) noexcept {
  if (packet.size() >= kRtpFixedHeaderSize) store32(packet.data() + 8, ssrc);
}
void setPayloadType(std::span<uint8_t> packet, uint8_t pt) noexcept {
  if (packet.size() >= kRtpFixedHeaderSize) {
    packet[1] = static_cast<uint8_t>((packet[1] & 0x80) | (pt & 0x7F));
  }
}
void setMarker(std::span<uint8_t> packet, bool marker) noexcept {
  if (packet.size() >= kRtpFixedHeaderSize) {
    packet[1] = static_cast<uint8_t>((packet[1] & 0x7F) | (marker ? 0x80 : 0));
  }
}

std::optional<std::span<uint8_t>> mutableExtension(std::span<uint8_t> packet, uint8_t id) noexcept {
  auto parsed = RtpPacket::parse(packet);
  if (!parsed) return std::nullopt;
  auto value = parsed->extension(id);
  if (!value) return std::nullopt;
  const size_t offset = static_cast<size_t>(value->data() - packet.data());
  return packet.subspan(offset, value->size());
}

}  // namespace rc::rtp
