// The order in which one subscriber gets a loop turn's packets when the turn holds packets of
// several tracks it may receive on one transport (a participant's video and audio). A UDP GSO
// send carries equal-size segments and one shorter last segment (io/gso.h), so a small packet
// queued right after a video frame leaves inside that frame's sendmsg instead of alone. Each
// track's packets keep their order; only the interleaving between tracks is chosen.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace rc::rtp {

// One track's packets of the turn, as the interleaver sees them: how many, and which of them
// end a frame (the RTP marker bit, RFC 3550 §5.1; for video, RFC 7741 §4.1).
struct TrackPackets {
  uint32_t count = 0;
  std::span<const bool> endsFrame;  // count entries
};

// One packet of the interleaved sequence: tracks[track]'s packet `index`.
struct InterleavedPacket {
  uint16_t track;
  uint32_t index;
};

// tracks[0] is the track with the largest packets (the caller orders them). Its packets come
// in order; after each of its frames (a packet that ends a frame, or its last packet) one
// packet of the other tracks follows, taken in order from tracks[1], then tracks[2], ...;
// what is left of those follows at the end. Fills `out` (cleared first).
void interleaveTracks(std::span<const TrackPackets> tracks,
                      std::vector<InterleavedPacket>& out) noexcept;

}  // namespace rc::rtp
