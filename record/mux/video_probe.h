// Stream parameters read from a keyframe with libavcodec (its parsers and decoders), so that
// no sequence-header or frame-header bit reader is written by hand for what libavformat's
// MP4 muxer needs before the header (size, pixel format, profile).
#pragma once

#include <cstdint>
#include <optional>
#include <span>

extern "C" {
#include <libavcodec/codec_id.h>
}

namespace rc::record {

struct VideoParams {
  int width = 0, height = 0;
  std::optional<int> pixelFormat, profile;  // AVPixelFormat, FF_PROFILE_*
};

// av_parser_parse2 over one complete access unit (H264: the SPS; AV1: the sequence and
// frame headers).
std::optional<VideoParams> parseVideoParams(AVCodecID codec, std::span<const uint8_t> au);

// Decodes one keyframe (VP9: libavcodec's parser does not report the size).
std::optional<VideoParams> decodeVideoParams(AVCodecID codec, std::span<const uint8_t> au);

}  // namespace rc::record
