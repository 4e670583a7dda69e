// RTCP common header (RFC 3550 §6.4.1) and compound packet walking (RFC 3550 §6.1), accepting
// reduced-size (non-compound) RTCP (RFC 5506 §3.4): no first-packet-type rule is enforced.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

namespace rc::rtcp {

// Packet types (RFC 3550 §12.1, RFC 4585 §6.1).
inline constexpr uint8_t kSenderReport = 200;
inline constexpr uint8_t kReceiverReport = 201;
inline constexpr uint8_t kSdes = 202;
inline constexpr uint8_t kBye = 203;
inline constexpr uint8_t kApp = 204;
inline constexpr uint8_t kRtpFeedback = 205;      // RTPFB
inline constexpr uint8_t kPayloadFeedback = 206;  // PSFB

// Feedback message types (FMT).
inline constexpr uint8_t kFmtNack = 1;                // RFC 4585 §6.2.1
inline constexpr uint8_t kFmtTransportFeedback = 15;  // draft-holmer-...-01 §3.1
inline constexpr uint8_t kFmtPli = 1;                 // RFC 4585 §6.3.1
inline constexpr uint8_t kFmtFir = 4;                 // RFC 5104 §4.3.1
inline constexpr uint8_t kFmtAfb = 15;                // RFC 4585 §6.4 (REMB lives here)

inline constexpr size_t kRtcpHeaderSize = 4;

struct RtcpPacketView {
  uint8_t version;
  bool padding;
  uint8_t countOrFmt;  // RC / SC / FMT (5 bits)
  uint8_t packetType;
  uint16_t lengthWords;             // RFC 3550 §6.4.1: length in 32-bit words minus one
  std::span<const uint8_t> packet;  // whole packet including header and padding
  std::span<const uint8_t> body;    // after the 4-byte header, padding removed
};

// Parses one RTCP packet at the start of `data` (version 2, length within `data`, padding
// count valid per RFC 3550 §6.4.1).
std::optional<RtcpPacketView> parseRtcpHeader(std::span<const uint8_t> data) noexcept;

class CompoundReader {
 public:
  explicit CompoundReader(std::span<const uint8_t> data) noexcept : rest_(data) {}
  // Next packet; nullopt at the end or on the first malformed packet (then malformed()).
  std::optional<RtcpPacketView> next() noexcept;
  bool malformed() const { return malformed_; }

 private:
  std::span<const uint8_t> rest_;
  bool malformed_ = false;
};

// Writes a common header for a packet of `totalBytes` (a multiple of 4, >= 4).
void writeRtcpHeader(uint8_t* p, uint8_t countOrFmt, uint8_t packetType,
                     size_t totalBytes) noexcept;

}  // namespace rc::rtcp
