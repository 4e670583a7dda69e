// Fuzz target: the recorder's depacketizers (record/mux). The first byte picks the codec;
// the rest is a sequence of packets, each [flags, length, payload...] where flags carry the
// marker and gap bits and a timestamp step. Every emitted access unit must be non-empty; H264
// begins with an Annex B start code; AV1 is a run of OBUs with size fields, none of them a
// temporal delimiter; VP9 keyframes begin with a key frame's uncompressed header.
#include <cstdint>
#include <cstdlib>
#include <span>
#include <vector>

#include "record/mux/av1_obu.h"
#include "record/mux/depacketizer.h"

namespace {

using rc::record::MediaCodec;

void check(bool ok) {
  if (!ok) std::abort();
}

void checkAv1(const std::vector<uint8_t>& tu) {
  std::span<const uint8_t> rest(tu);
  while (!rest.empty()) {
    auto obu = rc::record::av1::parseObu(rest);
    check(obu && (obu->header[0] & 0x02) && obu->type != rc::record::av1::kObuTemporalDelimiter);
    rest = rest.subspan(obu->totalSize);
  }
}

void checkUnit(MediaCodec codec, const rc::record::AccessUnit& au) {
  check(!au.bytes.empty());
  if (codec == MediaCodec::H264) check(au.bytes.size() > 4 && au.bytes[3] == 1);
  if (codec == MediaCodec::AV1) checkAv1(au.bytes);
  if (codec == MediaCodec::VP9 && au.keyframe) check((au.bytes[0] >> 6) == 2);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  rc::record::TrackSpec spec;
  constexpr MediaCodec kCodecs[] = {MediaCodec::Opus, MediaCodec::Opus, MediaCodec::VP8,
                                    MediaCodec::H264, MediaCodec::VP9,  MediaCodec::AV1};
  spec.codec = kCodecs[data[0] % 6];
  spec.redPayloadType = data[0] % 6 == 1 ? 63 : 0;
  auto depacketizer = rc::record::makeDepacketizer(spec);
  check(depacketizer != nullptr);
  std::span<const uint8_t> in(data + 1, size - 1);
  uint32_t timestamp = 0;
  while (in.size() >= 2) {
    uint8_t flags = in[0];
    size_t length = std::min<size_t>(in[1], in.size() - 2);
    timestamp += (flags >> 2) * 90u;
    auto au = depacketizer->push(in.subspan(2, length), timestamp, flags & 1, flags & 2);
    if (au) {
      checkUnit(spec.codec, *au);
      check(au->rtpTimestamp == timestamp || spec.codec != MediaCodec::Opus);
    }
    in = in.subspan(2 + length);
  }
  (void)depacketizer->stats();
  return 0;
}
