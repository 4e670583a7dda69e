// RTP packet view (RFC 3550 §5.1) with RFC 8285 header extensions and RFC 3550 padding.
// Everything here is on the packet path: noexcept, no allocation, never throws.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

namespace rc::rtp {

inline constexpr size_t kRtpFixedHeaderSize = 12;       // RFC 3550 §5.1
inline constexpr uint16_t kOneByteExtProfile = 0xBEDE;  // RFC 8285 §4.2
inline constexpr uint16_t kTwoByteExtProfile = 0x1000;  // RFC 8285 §4.3 (low 4 bits: appbits)

struct ExtensionValue {
  uint8_t id;
  std::span<const uint8_t> value;
};

class RtpPacket {  // non-owning view over a buffer, no allocation
 public:
  // Validates version 2, CSRC count, extension length and padding length (RFC 3550 §5.1,
  // §5.3.1). The extension elements themselves are not validated here: iteration stops at the
  // first malformed element.
  static std::optional<RtpPacket> parse(std::span<const uint8_t> data) noexcept;

  bool marker() const { return (data_[1] & 0x80) != 0; }
  uint8_t payloadType() const { return data_[1] & 0x7F; }
  uint16_t sequenceNumber() const;
  uint32_t timestamp() const;
  uint32_t ssrc() const;
  uint8_t csrcCount() const { return data_[0] & 0x0F; }
  uint32_t csrc(size_t i) const;  // i < csrcCount(), else 0
  bool hasPadding() const { return (data_[0] & 0x20) != 0; }
  bool hasExtension() const { return (data_[0] & 0x10) != 0; }
  uint16_t extensionProfile() const { return extProfile_; }
  bool hasOneByteExtensions() const { return hasExtension() && extProfile_ == kOneByteExtProfile; }
  bool hasTwoByteExtensions() const;
  // The raw extension block after its 4-byte header (empty without X bit).
  std::span<const uint8_t> extensionBlock() const { return data_.subspan(extOffset_, extSize_); }

  // Finds an element in one- or two-byte form (RFC 8285 §4.2, §4.3). nullopt if absent.
  std::optional<std::span<const uint8_t>> extension(uint8_t id) const noexcept;
  // Cursor-style iteration; `cursor` starts at 0. False at the end or at a malformed element.
  bool nextExtension(size_t& cursor, ExtensionValue& out) const noexcept;
  template <class F>
  void forEachExtension(F&& f) const {  // f(uint8_t id, std::span<const uint8_t> value)
    size_t cursor = 0;
    ExtensionValue v{};
    while (nextExtension(cursor, v)) f(v.id, v.value);
  }

  size_t headerSize() const { return headerSize_; }  // fixed header + CSRCs + extension block
  std::span<const uint8_t> payload() const;
  size_t paddingSize() const { return paddingSize_; }
  std::span<const uint8_t> bytes() const { return data_; }

 private:
  RtpPacket() = default;
  std::span<const uint8_t> data_;
  size_t headerSize_ = 0;
  size_t paddingSize_ = 0;
  size_t extOffset_ = 0;
  size_t extSize_ = 0;
  uint16_t extProfile_ = 0;
};

struct RtpHeaderFields {
  bool marker;
  uint8_t payloadType;  // 0..127
  uint16_t sequenceNumber;
  uint32_t timestamp;
  uint32_t ssrc;
};

// Bytes writeHeader() needs for these extensions (0 if they cannot be encoded).
size_t headerSizeFor(std::span<const ExtensionValue> exts) noexcept;

// Writes a fresh 12-byte header (no CSRCs) + extension block (one-byte form when every id<=14
// and every length is 1..16, else the two-byte form; zero-padded to 32 bits) into out.
// Returns bytes written, or 0 if out is too small or an element cannot be encoded (id 0, or a
// value longer than 255 bytes), or payloadType > 127.
size_t writeHeader(std::span<uint8_t> out, const RtpHeaderFields& h,
                   std::span<const ExtensionValue> exts) noexcept;

// Fast in-place setters on a mutable buffer known to hold a valid header (no-ops when the
// buffer is shorter than 12 bytes).
void setSequenceNumber(std::span<uint8_t> packet, uint16_t seq) noexcept;
void setTimestamp(std::span<uint8_t> packet, uint32_t ts) noexcept;
void setSsrc(std::span<uint8_t> packet, uint32_t ssrc) noexcept;
void setPayloadType(std::span<uint8_t> packet, uint8_t pt) noexcept;  // keeps the marker bit
void setMarker(std::span<uint8_t> packet, bool marker) noexcept;

// Mutable access to an extension element's value inside a packet buffer (for rewriting e.g. the
// transport-wide sequence number or abs-send-time in place). nullopt if not a valid RTP packet
// or the element is absent.
std::optional<std::span<uint8_t>> mutableExtension(std::span<uint8_t> packet, uint8_t id) noexcept;

}  // namespace rc::rtp
