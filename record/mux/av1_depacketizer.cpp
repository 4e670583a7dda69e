// AV1 over RTP (AOM "RTP Payload Format for AV1" v1.0.0). Each payload starts with the
// aggregation header Z|Y|W|N|-|-|- (§4.4): Z = the first OBU element continues a fragment
// from the previous packet, Y = the last one continues in the next packet, W = the number of
// elements (0: every element has a LEB128 length; otherwise all but the last), N = first
// packet of a coded video sequence. The OBUs of one timestamp form a temporal unit that
// ends at the RTP marker (§4.3); it is written in the low-overhead bitstream format with
// size fields, temporal delimiters, tile lists and padding dropped (§5). After a loss the
// temporal unit of the next packet is dropped too: packets do not say where a unit starts.
#include "record/mux/av1_obu.h"
#include "record/mux/depacketizer.h"

namespace rc::record {
namespace {

constexpr uint8_t kZ = 0x80, kY = 0x40;

class Av1Depacketizer final : public Depacketizer {
 public:
  std::optional<AccessUnit> push(std::span<const uint8_t> payload, uint32_t timestamp, bool marker,
                                 bool gap) noexcept override {
    if (open_ && timestamp != tu_.rtpTimestamp) dropOpenUnit();
    if (!open_) startUnit(timestamp);
    if (gap) {
      broken_ = true;
      fragment_.clear();
      inFragment_ = false;
    }
    if (payload.size() < 2 || !readElements(payload[0], payload.subspan(1))) {
      stats_.malformed++;
      broken_ = true;
    }
    if (!marker) return std::nullopt;
    return endUnit();
  }

 private:
  void startUnit(uint32_t timestamp) {
    tu_ = AccessUnit{};
    tu_.rtpTimestamp = timestamp;
    open_ = true;
    broken_ = sawSequenceHeader_ = sawKeyFrame_ = false;
  }

  void dropOpenUnit() {
    stats_.droppedFrames++;
    open_ = inFragment_ = false;
    fragment_.clear();
  }

  std::optional<AccessUnit> endUnit() {
    if (inFragment_) broken_ = true;  // Y on the packet with the marker: an OBU never ended
    open_ = inFragment_ = false;
    fragment_.clear();
    if (broken_ || tu_.bytes.empty()) {
      stats_.droppedFrames++;
      return std::nullopt;
    }
    tu_.keyframe = sawSequenceHeader_ && sawKeyFrame_;
    return std::move(tu_);
  }

  // §4.4 OBU elements: [LEB128 length] element, W of them (or up to the end when W = 0).
  bool readElements(uint8_t aggregation, std::span<const uint8_t> p) {
    int count = (aggregation >> 4) & 0x03;
    bool continues = aggregation & kZ, lastContinues = aggregation & kY;
    for (int i = 0; !p.empty(); ++i) {
      if (count && i >= count) return false;  // bytes after the W-th element
      size_t length = p.size();
      if (count == 0 || i + 1 < count) {
        auto leb = av1::readLeb128(p);
        if (!leb || leb->first == 0 || leb->first > p.size() - leb->second) return false;
        p = p.subspan(leb->second);
        length = leb->first;
      }
      bool last = length == p.size();
      if (!addElement(p.first(length), i == 0 && continues, last && lastContinues)) return false;
      p = p.subspan(length);
    }
    return true;
  }

  bool addElement(std::span<const uint8_t> element, bool continuation, bool continuesNext) {
    if (continuation != inFragment_) {
      // A continuation without its first part (after a loss), or a new OBU while one was
      // left open.
      fragment_.clear();
      inFragment_ = false;
      return broken_;  // expected after a gap, malformed otherwise
    }
    if (!appendBounded(fragment_, element)) {
      fragment_.clear();
      inFragment_ = false;
      return false;
    }
    inFragment_ = continuesNext;
    if (inFragment_) return true;
    bool ok = addObu(fragment_);
    fragment_.clear();
    return ok;
  }

  bool addObu(std::span<const uint8_t> bytes) {
    auto obu = av1::parseObu(bytes);
    if (!obu || obu->totalSize != bytes.size()) return false;
    if (obu->type == av1::kObuTemporalDelimiter || obu->type == av1::kObuTileList ||
        obu->type == av1::kObuPadding)
      return true;  // §5: not stored; a tile list is not used in RTP
    if (obu->type == av1::kObuSequenceHeader) {
      sawSequenceHeader_ = true;
      reducedStill_ = av1::reducedStillPictureHeader(*obu);
    }
    if (av1::isKeyFrame(*obu, reducedStill_)) sawKeyFrame_ = true;
    if (broken_) return true;  // the unit is dropped at its end: nothing more to keep
    // Header, a LEB128 size of at most 5 bytes, payload.
    if (tu_.bytes.size() + bytes.size() + 5 > kMaxAccessUnitBytes) return false;
    av1::appendWithSize(tu_.bytes, *obu);
    return true;
  }

  AccessUnit tu_;
  std::vector<uint8_t> fragment_;  // the OBU being reassembled
  bool open_ = false, broken_ = false, inFragment_ = false;
  bool sawSequenceHeader_ = false, sawKeyFrame_ = false, reducedStill_ = false;
};

}  // namespace

std::unique_ptr<Depacketizer> makeAv1Depacketizer() {
  return std::make_unique<Av1Depacketizer>();
}

}  // namespace rc::record
