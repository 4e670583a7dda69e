// RTP padding (RFC 3550 §5.1) that lets a subscriber's copies of one frame leave as one UDP
// GSO run. A GSO send carries segments of one size, only the last may be shorter; a
// packetiser that splits a frame "about equally" (libwebrtc makes the last packets one byte
// larger) yields two runs per frame, so two sendmsg calls. Padding the smaller packets up to
// the run's size, a few bytes each, makes it one.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

namespace rc::rtp {

// One forwarded packet as the planner sees it: its payload size (padding excluded) and the
// shape of the header every subscriber's copy gets (packets of one shape get headers of one
// size; different shapes never share a run).
struct RunPaddingInput {
  uint16_t payloadSize;
  uint16_t headerShape;
};

// At most this many padding bytes per packet (a 1200-byte packet grows by <= 2.7%).
inline constexpr size_t kMaxRunPadding = 32;
// Runs are planned up to this many packets (well inside io::kMaxGsoSegments / kMaxGsoBytes).
inline constexpr size_t kMaxPaddedRun = 32;

// For packets sent back to back to one destination, in this order: the payload size each
// should be padded to (>= its own; equal to it when it needs none). Groups consecutive packets
// of one shape where padding all but the last to the group's largest size costs at most
// kMaxRunPadding bytes each; the last stays as it is (GSO's short last segment).
void planRunPadding(std::span<const RunPaddingInput> packets, std::span<uint16_t> padTo) noexcept;

// Appends RFC 3550 §5.1 padding to a packet of `length` bytes in `buffer` so that its payload
// grows by `bytes` (1..255): zeros, then the count, and sets the P bit. The caller checks the
// buffer holds length + bytes. Returns the new length.
size_t appendRtpPadding(std::span<uint8_t> buffer, size_t length, size_t bytes) noexcept;

}  // namespace rc::rtp
