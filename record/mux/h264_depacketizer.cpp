// H264 over RTP (RFC 6184), packetization-mode 0 and 1 as WebRTC uses them: single NAL unit
// packets (§5.6), STAP-A (§5.7.1) and FU-A (§5.8). The NAL units of one timestamp form an
// access unit, written in Annex B byte-stream form (start code before each NAL unit) and
// complete at the RTP marker bit (§5.1). An access unit with an IDR slice is a keyframe.
#include "record/mux/depacketizer.h"

namespace rc::record {
namespace {

constexpr uint8_t kNalIdr = 5, kNalStapA = 24, kNalFuA = 28;
constexpr uint8_t kStartCode[] = {0, 0, 0, 1};

class H264Depacketizer final : public Depacketizer {
 public:
  std::optional<AccessUnit> push(std::span<const uint8_t> payload, uint32_t timestamp, bool marker,
                                 bool gap) noexcept override {
    if (payload.empty()) {
      stats_.malformed++;
      return std::nullopt;
    }
    if (gap || (open_ && timestamp != au_.rtpTimestamp)) dropOpenUnit();
    if (!open_) startUnit(timestamp);
    // H264 packets do not say which one starts an access unit: after a loss the unit this
    // packet belongs to may lack its first NAL units, so it is not written.
    if (gap) broken_ = true;
    if (!appendPayload(payload)) {
      broken_ = true;
      stats_.malformed++;
    }
    if (!marker) return std::nullopt;
    open_ = false;
    if (broken_ || au_.bytes.empty()) {
      stats_.droppedFrames++;
      return std::nullopt;
    }
    return std::move(au_);
  }

 private:
  void startUnit(uint32_t timestamp) {
    au_ = AccessUnit{};
    au_.rtpTimestamp = timestamp;
    open_ = true;
    broken_ = false;
    inFragment_ = false;
  }

  void dropOpenUnit() {
    if (open_) stats_.droppedFrames++;
    open_ = false;
  }

  bool appendPayload(std::span<const uint8_t> p) {
    uint8_t type = p[0] & 0x1f;
    if (type >= 1 && type <= 23) return appendNal(p);
    if (type == kNalStapA) return appendStapA(p.subspan(1));
    if (type == kNalFuA) return appendFuA(p);
    stats_.unsupported++;  // STAP-B, MTAP16/24, FU-B: interleaved mode, not used by WebRTC
    return true;
  }

  bool appendNal(std::span<const uint8_t> nal) {
    if (nal.empty() || (nal[0] & 0x80)) return false;  // forbidden_zero_bit (§5.3)
    if ((nal[0] & 0x1f) == kNalIdr) au_.keyframe = true;
    if (au_.bytes.size() + sizeof kStartCode + nal.size() > kMaxAccessUnitBytes) return false;
    au_.bytes.insert(au_.bytes.end(), std::begin(kStartCode), std::end(kStartCode));
    au_.bytes.insert(au_.bytes.end(), nal.begin(), nal.end());
    return true;
  }

  // §5.7.1: a 16-bit size before each aggregated NAL unit.
  bool appendStapA(std::span<const uint8_t> p) {
    while (!p.empty()) {
      if (p.size() < 2) return false;
      size_t size = (size_t{p[0]} << 8) | p[1];
      if (size == 0 || size + 2 > p.size()) return false;
      if (!appendNal(p.subspan(2, size))) return false;
      p = p.subspan(2 + size);
    }
    return true;
  }

  // §5.8: FU indicator (F|NRI|28), FU header (S|E|R|type); the NAL header is rebuilt from
  // the indicator's F/NRI and the header's type, and the fragments are concatenated.
  bool appendFuA(std::span<const uint8_t> p) {
    if (p.size() < 3) return false;
    bool start = (p[1] & 0x80) != 0, end = (p[1] & 0x40) != 0;
    if (start) {
      uint8_t header = static_cast<uint8_t>((p[0] & 0xe0) | (p[1] & 0x1f));
      if (!appendNal(std::span<const uint8_t>(&header, 1))) return false;
      inFragment_ = true;
    } else if (!inFragment_) {
      return false;  // a middle or end fragment without its start
    }
    if (!appendBounded(au_.bytes, p.subspan(2))) return false;
    if (end) inFragment_ = false;
    return true;
  }

  AccessUnit au_;
  bool open_ = false, broken_ = false, inFragment_ = false;
};

}  // namespace

std::unique_ptr<Depacketizer> makeH264Depacketizer() {
  return std::make_unique<H264Depacketizer>();
}

}  // namespace rc::record
