// Values of the RTP header extensions the SFU reads or rewrites. Each parser takes the element
// value found with RtpPacket::extension(id); each writer returns bytes written (0 if too small).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace rc::rtp {

// SDP a=extmap URIs (RFC 8285 §5) of the extensions below.
inline constexpr std::string_view kAbsSendTimeUri =
    "http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time";
inline constexpr std::string_view kTransportWideCcUri =
    "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01";
inline constexpr std::string_view kAudioLevelUri = "urn:ietf:params:rtp-hdrext:ssrc-audio-level";
inline constexpr std::string_view kMidUri = "urn:ietf:params:rtp-hdrext:sdes:mid";
inline constexpr std::string_view kRidUri = "urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id";
inline constexpr std::string_view kRepairedRidUri =
    "urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id";

// abs-send-time: 24-bit unsigned 6.18 fixed point seconds (wraps every 64 s).
inline constexpr size_t kAbsSendTimeSize = 3;
uint32_t absSendTimeFromUs(int64_t steadyUs) noexcept;  // steady clock µs -> 24-bit value
int64_t absSendTimeToUs(uint32_t value) noexcept;       // 24-bit value -> µs within [0, 64 s)
// Signed difference later - earlier in µs, accounting for the 64 s wrap.
int64_t absSendTimeDeltaUs(uint32_t later, uint32_t earlier) noexcept;
std::optional<uint32_t> parseAbsSendTime(std::span<const uint8_t> value) noexcept;
size_t writeAbsSendTime(std::span<uint8_t> out, uint32_t value) noexcept;

// Transport-wide sequence number (draft-holmer-rmcat-transport-wide-cc-extensions-01 §2).
inline constexpr size_t kTransportSeqSize = 2;
std::optional<uint16_t> parseTransportSequence(std::span<const uint8_t> value) noexcept;
size_t writeTransportSequence(std::span<uint8_t> out, uint16_t seq) noexcept;

// Client-to-mixer audio level (RFC 6464 §3): V flag and level in -dBov (0..127).
struct AudioLevel {
  bool voiceActivity;
  uint8_t levelDbov;  // 0 = loudest, 127 = silence
};
std::optional<AudioLevel> parseAudioLevel(std::span<const uint8_t> value) noexcept;
size_t writeAudioLevel(std::span<uint8_t> out, AudioLevel level) noexcept;

// SDES-item string extensions: MID (RFC 8843 §15.1), RtpStreamId and RepairedRtpStreamId
// (RFC 8852 §3.1, §3.2). The value is the UTF-8 string itself; trailing NUL bytes (left by
// some senders as padding) are stripped. nullopt for an empty value.
std::optional<std::string_view> parseStringValue(std::span<const uint8_t> value) noexcept;
size_t writeStringValue(std::span<uint8_t> out, std::string_view s) noexcept;  // 1..255 bytes

}  // namespace rc::rtp
