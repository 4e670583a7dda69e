#include "record/mux/depacketizer.h"

namespace rc::record {

std::unique_ptr<Depacketizer> makeOpusDepacketizer(bool red);
std::unique_ptr<Depacketizer> makeVp8Depacketizer();
std::unique_ptr<Depacketizer> makeH264Depacketizer();
std::unique_ptr<Depacketizer> makeVp9Depacketizer();
std::unique_ptr<Depacketizer> makeAv1Depacketizer();

std::unique_ptr<Depacketizer> makeDepacketizer(const TrackSpec& spec) {
  switch (spec.codec) {
    case MediaCodec::Opus:
      return makeOpusDepacketizer(spec.redPayloadType != 0);
    case MediaCodec::VP8:
      return makeVp8Depacketizer();
    case MediaCodec::H264:
      return makeH264Depacketizer();
    case MediaCodec::VP9:
      return makeVp9Depacketizer();
    case MediaCodec::AV1:
      return makeAv1Depacketizer();
  }
  return nullptr;
}

}  // namespace rc::record
