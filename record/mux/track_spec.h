// What the muxer needs to know about one recorded RTP stream (from the negotiated SDP).
#pragma once

#include <cstdint>
#include <string>

namespace rc::record {

enum class MediaCodec { Opus, VP8, VP9, H264, AV1 };

struct TrackSpec {
  std::string trackId;  // "TR_..." (the published track)
  MediaCodec codec = MediaCodec::Opus;
  uint8_t payloadType = 0;     // the media payload type (RTX is unwrapped before the tap)
  uint8_t redPayloadType = 0;  // RFC 2198 RED wrapping Opus, 0 = none
  uint32_t clockRate = 90000;  // 48000 for Opus
  uint8_t channels = 0;        // audio only (Opus: 2 per RFC 7587 §7)
  bool isVideo() const { return codec != MediaCodec::Opus; }
};

}  // namespace rc::record
