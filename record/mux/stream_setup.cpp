#include "record/mux/stream_setup.h"

extern "C" {
#include <libavcodec/avcodec.h>
}

#include <memory>

namespace rc::record {
namespace {

// RFC 7845 §5.1 identification header: "OpusHead", version 1, channel count, pre-skip,
// input sample rate, output gain, channel mapping family 0 (mono/stereo).
std::vector<uint8_t> opusHead(uint8_t channels) {
  std::vector<uint8_t> h = {'O', 'p', 'u', 's', 'H', 'e', 'a', 'd', 1, channels, 0, 0};
  uint32_t rate = 48000;
  for (int i = 0; i < 4; ++i) h.push_back(static_cast<uint8_t>(rate >> (8 * i)));
  h.insert(h.end(), {0, 0, 0});
  return h;
}

// RFC 6386 §9.1: a key frame's 3-byte tag is followed by the start code 9d 01 2a and two
// little-endian 16-bit fields whose low 14 bits are the width and height.
bool vp8Dimensions(const std::vector<uint8_t>& f, int& width, int& height) {
  if (f.size() < 10 || f[3] != 0x9d || f[4] != 0x01 || f[5] != 0x2a) return false;
  width = ((f[7] << 8) | f[6]) & 0x3fff;
  height = ((f[9] << 8) | f[8]) & 0x3fff;
  return width > 0 && height > 0;
}

// The SPS and PPS NAL units (types 7 and 8) of an Annex B access unit, still in Annex B.
std::vector<uint8_t> h264ParameterSets(const std::vector<uint8_t>& au) {
  std::vector<uint8_t> out;
  size_t i = 0;
  auto nextStart = [&](size_t from) {
    for (size_t k = from; k + 3 < au.size(); ++k)
      if (au[k] == 0 && au[k + 1] == 0 && au[k + 2] == 0 && au[k + 3] == 1) return k;
    return au.size();
  };
  for (i = nextStart(0); i < au.size();) {
    size_t end = nextStart(i + 4);
    uint8_t type = i + 4 < au.size() ? au[i + 4] & 0x1f : 0;
    if (type == 7 || type == 8) out.insert(out.end(), au.begin() + i, au.begin() + end);
    i = end;
  }
  return out;
}

// libavcodec's H264 parser reads the SPS for the coded size (no hand-written SPS parser).
bool h264Dimensions(const std::vector<uint8_t>& au, int& width, int& height) {
  std::unique_ptr<AVCodecParserContext, void (*)(AVCodecParserContext*)> parser(
      av_parser_init(AV_CODEC_ID_H264), av_parser_close);
  const AVCodec* codec = avcodec_find_decoder(AV_CODEC_ID_H264);
  AVCodecContext* ctx = avcodec_alloc_context3(codec);
  if (!parser || !ctx) {
    avcodec_free_context(&ctx);
    return false;
  }
  parser->flags |= PARSER_FLAG_COMPLETE_FRAMES;
  uint8_t* out = nullptr;
  int outSize = 0;
  av_parser_parse2(parser.get(), ctx, &out, &outSize, au.data(), static_cast<int>(au.size()),
                   AV_NOPTS_VALUE, AV_NOPTS_VALUE, 0);
  width = parser->width > 0 ? parser->width : ctx->width;
  height = parser->height > 0 ? parser->height : ctx->height;
  avcodec_free_context(&ctx);
  return width > 0 && height > 0;
}

}  // namespace

std::optional<StreamSetup> streamSetup(const TrackSpec& spec, const AccessUnit* keyframe) {
  StreamSetup setup{spec.codec};
  if (spec.codec == MediaCodec::Opus) {
    setup.extradata = opusHead(spec.channels ? spec.channels : 2);
    return setup;
  }
  if (!keyframe || !keyframe->keyframe) return std::nullopt;
  if (spec.codec == MediaCodec::VP8) {
    if (!vp8Dimensions(keyframe->bytes, setup.width, setup.height)) return std::nullopt;
    return setup;
  }
  if (spec.codec == MediaCodec::H264) {
    setup.extradata = h264ParameterSets(keyframe->bytes);
    if (setup.extradata.empty()) return std::nullopt;
    h264Dimensions(keyframe->bytes, setup.width, setup.height);
    return setup;
  }
  return std::nullopt;
}

}  // namespace rc::record
