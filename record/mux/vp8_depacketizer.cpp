// VP8 over RTP (RFC 7741). A frame starts with a packet whose descriptor has S=1 and
// PID=0 (§4.2) and ends with the RTP marker bit (§4.1); all its packets share a timestamp.
#include "record/mux/depacketizer.h"

namespace rc::record {
namespace {

struct Vp8Descriptor {
  size_t size = 0;  // bytes before the VP8 payload
  bool startOfPartition = false;
  uint8_t partitionId = 0;
};

// RFC 7741 §4.2: X|R|N|S|R|PID, then (X) I|L|T|K|RSV, (I) M|PictureID (7 or 15 bits),
// (L) TL0PICIDX, (T or K) TID|Y|KEYIDX.
std::optional<Vp8Descriptor> parseDescriptor(std::span<const uint8_t> p) noexcept {
  if (p.empty()) return std::nullopt;
  Vp8Descriptor d;
  d.startOfPartition = (p[0] & 0x10) != 0;
  d.partitionId = p[0] & 0x07;
  size_t pos = 1;
  if (p[0] & 0x80) {
    if (pos >= p.size()) return std::nullopt;
    uint8_t ext = p[pos++];
    if (ext & 0x80) {  // I: PictureID, M bit selects 15 bits
      if (pos >= p.size()) return std::nullopt;
      pos += (p[pos] & 0x80) ? 2 : 1;
    }
    if (ext & 0x40) pos += 1;           // L: TL0PICIDX
    if (ext & (0x20 | 0x10)) pos += 1;  // T or K: TID|Y|KEYIDX
  }
  if (pos >= p.size()) return std::nullopt;  // a descriptor with no payload
  d.size = pos;
  return d;
}

class Vp8Depacketizer final : public Depacketizer {
 public:
  std::optional<AccessUnit> push(std::span<const uint8_t> payload, uint32_t timestamp, bool marker,
                                 bool gap) noexcept override {
    auto d = parseDescriptor(payload);
    if (!d) {
      stats_.malformed++;
      return abandon();
    }
    auto data = payload.subspan(d->size);
    bool start = d->startOfPartition && d->partitionId == 0;
    if (start) {
      if (assembling_) stats_.droppedFrames++;  // the previous frame never saw its marker
      frame_.bytes.clear();
      frame_.rtpTimestamp = timestamp;
      // RFC 6386 §9.1: bit 0 of the frame tag is 0 for a key frame.
      frame_.keyframe = (data[0] & 0x01) == 0;
      assembling_ = true;
    } else if (!assembling_ || gap || timestamp != frame_.rtpTimestamp) {
      if (assembling_) stats_.droppedFrames++;
      assembling_ = false;
      return std::nullopt;  // a middle packet without its frame: wait for the next start
    }
    if (!appendBounded(frame_.bytes, data)) {
      stats_.malformed++;
      return abandon();
    }
    if (!marker) return std::nullopt;
    assembling_ = false;
    return std::move(frame_);
  }

 private:
  std::optional<AccessUnit> abandon() noexcept {
    if (assembling_) stats_.droppedFrames++;
    assembling_ = false;
    return std::nullopt;
  }

  AccessUnit frame_;
  bool assembling_ = false;
};

}  // namespace

std::unique_ptr<Depacketizer> makeVp8Depacketizer() {
  return std::make_unique<Vp8Depacketizer>();
}

}  // namespace rc::record
