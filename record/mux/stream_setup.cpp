#include "record/mux/stream_setup.h"

#include "record/mux/av1_obu.h"
#include "record/mux/video_probe.h"

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
  auto params = parseVideoParams(AV_CODEC_ID_H264, au);
  if (!params) return false;
  width = params->width;
  height = params->height;
  return true;
}

// VP9 has no codec header in MP4 beyond vpcC, which libavformat fills from the profile and
// pixel format: a probe decode of the keyframe gives them. The size is the scalability
// structure's (RFC 9628 §4.2.1) when the keyframe carried one, else the decoded frame's.
std::optional<StreamSetup> vp9Setup(StreamSetup setup, const AccessUnit& keyframe) {
  auto params = decodeVideoParams(AV_CODEC_ID_VP9, keyframe.bytes);
  if (!params) return std::nullopt;
  setup.width = keyframe.width > 0 ? keyframe.width : params->width;
  setup.height = keyframe.height > 0 ? keyframe.height : params->height;
  setup.pixelFormat = params->pixelFormat;
  setup.profile = params->profile;
  return setup;
}

// AV1 in MP4 (AV1-ISOBMFF §2.3): libavformat builds av1C from extradata holding the
// sequence header OBU (ff_isom_write_av1c parses it); the size comes from libavcodec's AV1
// parser over the keyframe's temporal unit.
std::optional<StreamSetup> av1Setup(StreamSetup setup, const AccessUnit& keyframe) {
  std::span<const uint8_t> rest(keyframe.bytes);
  while (auto obu = av1::parseObu(rest)) {
    if (obu->type == av1::kObuSequenceHeader) {
      setup.extradata.assign(rest.begin(), rest.begin() + static_cast<long>(obu->totalSize));
      break;
    }
    rest = rest.subspan(obu->totalSize);
  }
  auto params = parseVideoParams(AV_CODEC_ID_AV1, keyframe.bytes);
  if (setup.extradata.empty() || !params) return std::nullopt;
  setup.width = params->width;
  setup.height = params->height;
  setup.pixelFormat = params->pixelFormat;
  return setup;
}

}  // namespace

std::optional<StreamSetup> streamSetup(const TrackSpec& spec, const AccessUnit* keyframe) {
  StreamSetup setup;
  setup.codec = spec.codec;
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
  if (spec.codec == MediaCodec::VP9) return vp9Setup(setup, *keyframe);
  if (spec.codec == MediaCodec::AV1) return av1Setup(setup, *keyframe);
  return std::nullopt;
}

}  // namespace rc::record
