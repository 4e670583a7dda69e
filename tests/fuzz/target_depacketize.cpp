// Fuzz target: the recorder's depacketizers (record/mux). The first byte picks the codec;
// the rest is a sequence of packets, each [flags, length, payload...] where flags carry the
// marker and gap bits and a timestamp step. Every emitted access unit must be non-empty and,
// for H264, begin with an Annex B start code.
#include <cstdint>
#include <cstdlib>
#include <span>

#include "record/mux/depacketizer.h"

namespace {

using rc::record::MediaCodec;

void check(bool ok) {
  if (!ok) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  rc::record::TrackSpec spec;
  constexpr MediaCodec kCodecs[] = {MediaCodec::Opus, MediaCodec::Opus, MediaCodec::VP8,
                                    MediaCodec::H264};
  spec.codec = kCodecs[data[0] % 4];
  spec.redPayloadType = data[0] % 4 == 1 ? 63 : 0;
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
      check(!au->bytes.empty());
      check(au->rtpTimestamp == timestamp || spec.codec != MediaCodec::Opus);
      if (spec.codec == MediaCodec::H264) check(au->bytes.size() > 4 && au->bytes[3] == 1);
    }
    in = in.subspan(2 + length);
  }
  (void)depacketizer->stats();
  return 0;
}
