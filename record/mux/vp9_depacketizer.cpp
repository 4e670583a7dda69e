// VP9 over RTP (RFC 9628). A layer frame runs from a packet with B=1 to one with E=1
// (§4.2); the RTP marker ends the picture, i.e. the last layer frame of one timestamp
// (§4.1). A picture of several spatial layers (SVC) becomes one sample: its layer frames
// concatenated behind a superframe index (VP9 bitstream spec, Annex B), which is how a VP9
// superframe is stored in WebM and MP4. After a loss the picture being assembled is dropped.
#include "record/mux/depacketizer.h"
#include "record/mux/vp9_descriptor.h"

namespace rc::record {
namespace {

constexpr size_t kMaxFramesInSuperframe = 8;  // Annex B: frames_in_superframe_minus_1 f(3)

// VP9 bitstream spec §6.2 uncompressed_header(): frame_marker f(2) = 2, profile_low_bit,
// profile_high_bit, reserved_zero (profile 3 only), show_existing_frame, frame_type
// (0 = KEY_FRAME).
bool isKeyFrameHeader(std::span<const uint8_t> frame) noexcept {
  if (frame.empty() || (frame[0] >> 6) != 2) return false;
  int profile = ((frame[0] >> 5) & 1) | (((frame[0] >> 4) & 1) << 1);
  int bit = profile == 3 ? 2 : 3;  // position of show_existing_frame
  bool showExisting = (frame[0] >> bit) & 1;
  bool frameType = (frame[0] >> (bit - 1)) & 1;
  return !showExisting && !frameType;
}

// Annex B superframe_index: marker 0b110 | bytes_per_framesize_minus_1 (2) |
// frames_in_superframe_minus_1 (3), the sizes little-endian, then the marker again.
void appendSuperframeIndex(std::vector<uint8_t>& out, const std::vector<size_t>& sizes) {
  size_t largest = 0;
  for (size_t s : sizes) largest = std::max(largest, s);
  int bytes = largest < (1u << 8) ? 1 : largest < (1u << 16) ? 2 : largest < (1u << 24) ? 3 : 4;
  auto marker = static_cast<uint8_t>(0xc0 | ((bytes - 1) << 3) | (sizes.size() - 1));
  out.push_back(marker);
  for (size_t s : sizes)
    for (int i = 0; i < bytes; ++i) out.push_back(static_cast<uint8_t>(s >> (8 * i)));
  out.push_back(marker);
}

class Vp9Depacketizer final : public Depacketizer {
 public:
  std::optional<AccessUnit> push(std::span<const uint8_t> payload, uint32_t timestamp, bool marker,
                                 bool gap) noexcept override {
    auto d = parseVp9Descriptor(payload);
    if (!d) {
      stats_.malformed++;
      abandon();
      return std::nullopt;
    }
    if (gap || (open_ && timestamp != picture_.rtpTimestamp)) abandon();
    auto data = payload.subspan(d->size);
    if (d->beginsFrame) {
      if (!beginLayerFrame(*d, data, timestamp)) return std::nullopt;
    } else if (!inFrame_) {
      abandon();  // a middle or end packet without its start: wait for the next B
      return std::nullopt;
    }
    if (!appendBounded(picture_.bytes, data)) {
      stats_.malformed++;
      abandon();
      return std::nullopt;
    }
    if (d->endsFrame && !endLayerFrame()) return std::nullopt;
    if (!marker) return std::nullopt;
    return endPicture();
  }

 private:
  bool beginLayerFrame(const Vp9Descriptor& d, std::span<const uint8_t> data, uint32_t ts) {
    if (!open_) {
      beginPicture(d, data, ts);
    } else if (inFrame_ || (d.hasLayers && d.spatialId <= lastSpatialId_)) {
      stats_.malformed++;  // B before the previous layer frame's E, or layers out of order
      abandon();
      return false;
    }
    if (d.numSpatialLayers && d.hasResolutions) {
      picture_.width = d.width[d.numSpatialLayers - 1];
      picture_.height = d.height[d.numSpatialLayers - 1];
    }
    lastSpatialId_ = d.spatialId;
    inFrame_ = true;
    frameStart_ = picture_.bytes.size();
    return true;
  }

  // §4.2: P=0 on spatial layer 0 means no inter-picture prediction; the uncompressed header
  // tells a key frame from an intra-only frame (which still depends on earlier state).
  void beginPicture(const Vp9Descriptor& d, std::span<const uint8_t> data, uint32_t ts) {
    picture_ = AccessUnit{};
    picture_.rtpTimestamp = ts;
    picture_.keyframe = !d.interPredicted && d.spatialId == 0 && isKeyFrameHeader(data);
    frameSizes_.clear();
    open_ = true;
  }

  bool endLayerFrame() {
    inFrame_ = false;
    frameSizes_.push_back(picture_.bytes.size() - frameStart_);
    if (frameSizes_.size() <= kMaxFramesInSuperframe) return true;
    stats_.malformed++;
    abandon();
    return false;
  }

  std::optional<AccessUnit> endPicture() {
    if (inFrame_) {  // the marker on a packet without E: the layer frame is not complete
      stats_.malformed++;
      abandon();
      return std::nullopt;
    }
    open_ = false;
    if (frameSizes_.size() > 1) appendSuperframeIndex(picture_.bytes, frameSizes_);
    return std::move(picture_);
  }

  void abandon() noexcept {
    if (open_) stats_.droppedFrames++;
    open_ = inFrame_ = false;
  }

  AccessUnit picture_;
  std::vector<size_t> frameSizes_;
  size_t frameStart_ = 0;
  uint8_t lastSpatialId_ = 0;
  bool open_ = false, inFrame_ = false;
};

}  // namespace

std::unique_ptr<Depacketizer> makeVp9Depacketizer() {
  return std::make_unique<Vp9Depacketizer>();
}

}  // namespace rc::record
