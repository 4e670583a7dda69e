// RTP payload -> access units (one audio frame or one whole video frame) for the muxer.
// Packets are pushed in sequence order (the reorder buffer's job, record/mux/reorder_buffer.h);
// `gap` tells the depacketizer that packets before this one were lost, so a frame that was
// being assembled is dropped instead of being written torn. Bad payloads are counted and
// dropped; nothing here throws.
#pragma once

#include <algorithm>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "record/mux/track_spec.h"

namespace rc::record {

struct AccessUnit {
  // VP8 frame, Annex B H264 access unit, VP9 frame or superframe, AV1 temporal unit (low
  // overhead OBUs with size fields), or one Opus packet.
  std::vector<uint8_t> bytes;
  uint32_t rtpTimestamp = 0;
  bool keyframe = false;
  // VP9: the largest spatial layer's size from the scalability structure (RFC 9628 §4.2.1)
  // when the picture carried one; 0 otherwise.
  int width = 0, height = 0;
};

// The largest access unit assembled (a 4K keyframe is well under 1 MiB): a publisher that
// never ends a frame (no marker, no E bit, endless fragments) cannot grow a unit past this;
// the unit is dropped and counted as malformed instead.
inline constexpr size_t kMaxAccessUnitBytes = size_t{8} << 20;

// Appends `data` to `unit` unless that would pass kMaxAccessUnitBytes; false then.
inline bool appendBounded(std::vector<uint8_t>& unit, std::span<const uint8_t> data) {
  if (data.size() > kMaxAccessUnitBytes - std::min(unit.size(), kMaxAccessUnitBytes)) return false;
  unit.insert(unit.end(), data.begin(), data.end());
  return true;
}

struct DepacketizerStats {
  uint64_t malformed = 0;      // payloads that do not parse
  uint64_t droppedFrames = 0;  // frames left incomplete by a gap or a missing start
  uint64_t unsupported = 0;    // valid but unused forms (e.g. H264 STAP-B, MTAP, FU-B)
};

class Depacketizer {
 public:
  virtual ~Depacketizer() = default;
  // Returns the access unit that `payload` completes, if any.
  virtual std::optional<AccessUnit> push(std::span<const uint8_t> payload, uint32_t timestamp,
                                         bool marker, bool gap) noexcept = 0;
  const DepacketizerStats& stats() const noexcept { return stats_; }

 protected:
  DepacketizerStats stats_;
};

// Opus (RFC 7587), VP8 (RFC 7741), H264 (RFC 6184), VP9 (RFC 9628) and AV1 (the AOM "RTP
// Payload Format for AV1" v1.0); nullptr for a codec not handled.
std::unique_ptr<Depacketizer> makeDepacketizer(const TrackSpec& spec);

// The primary (newest) block of an RFC 2198 RED payload, or nullopt if it does not parse.
std::optional<std::span<const uint8_t>> redPrimaryBlock(std::span<const uint8_t> payload) noexcept;

}  // namespace rc::record
