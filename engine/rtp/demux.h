// First-byte demultiplexing of everything that arrives on the single media port (RFC 7983 §7),
// plus the light header checks that let the demux fuzz target exercise each class.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

namespace rc::rtp {

enum class PacketClass { Stun, Dtls, Rtp, Rtcp, Unknown };

// RFC 7983 §7: first byte 0..3 STUN, 20..63 DTLS, 128..191 RTP/RTCP; among the latter the second
// byte 192..223 marks RTCP (RFC 5761 §4). Packets shorter than the fixed header of their class
// (STUN 20, DTLS 13, RTP 12, RTCP 8 bytes) are Unknown.
PacketClass classify(std::span<const uint8_t> data) noexcept;

// RFC 8489 §5: top two bits zero, length a multiple of 4 that matches the datagram, magic cookie.
bool isStunHeader(std::span<const uint8_t> data) noexcept;

// RFC 6347 §4.1: DTLS record header (13 bytes).
struct DtlsRecordHeader {
  uint8_t contentType;
  uint16_t version;
  uint16_t epoch;
  uint64_t sequenceNumber;  // 48 bits
  std::span<const uint8_t> fragment;
};

// Walks the DTLS records of one datagram (RFC 6347 §4.1.1: several records may share one).
class DtlsRecordWalker {
 public:
  explicit DtlsRecordWalker(std::span<const uint8_t> datagram) noexcept : rest_(datagram) {}
  std::optional<DtlsRecordHeader> next() noexcept;
  bool malformed() const { return malformed_; }

 private:
  std::span<const uint8_t> rest_;
  bool malformed_ = false;
};

}  // namespace rc::rtp
