// Opus over RTP (RFC 7587 §4.2): one packet carries exactly one Opus packet, so every
// payload is an access unit. Chromium may wrap audio in RED (RFC 2198); the primary block is
// the current frame, the redundant ones are older copies the reorder buffer does not need.
#include "record/mux/depacketizer.h"

namespace rc::record {
namespace {

class OpusDepacketizer final : public Depacketizer {
 public:
  explicit OpusDepacketizer(bool red) : red_(red) {}

  std::optional<AccessUnit> push(std::span<const uint8_t> payload, uint32_t timestamp, bool,
                                 bool) noexcept override {
    if (red_) {
      auto primary = redPrimaryBlock(payload);
      if (!primary) {
        stats_.malformed++;
        return std::nullopt;
      }
      payload = *primary;
    }
    if (payload.empty()) return std::nullopt;  // RFC 7587 §4.2: DTX may send nothing
    AccessUnit au;
    au.bytes.assign(payload.begin(), payload.end());
    au.rtpTimestamp = timestamp;
    au.keyframe = true;
    return au;
  }

 private:
  bool red_;
};

}  // namespace

// RFC 2198 §3: while the F bit is set a header is 4 bytes (F|PT, 14-bit timestamp offset,
// 10-bit block length); the last header is 1 byte (F=0|PT) and its block runs to the end.
std::optional<std::span<const uint8_t>> redPrimaryBlock(std::span<const uint8_t> payload) noexcept {
  size_t pos = 0, redundantBytes = 0;
  while (pos < payload.size() && (payload[pos] & 0x80)) {
    if (pos + 4 > payload.size()) return std::nullopt;
    redundantBytes += ((payload[pos + 2] & 0x03u) << 8) | payload[pos + 3];
    pos += 4;
  }
  if (pos >= payload.size()) return std::nullopt;
  pos += 1;  // the primary block's 1-byte header
  if (pos + redundantBytes > payload.size()) return std::nullopt;
  return payload.subspan(pos + redundantBytes);
}

std::unique_ptr<Depacketizer> makeOpusDepacketizer(bool red) {
  return std::make_unique<OpusDepacketizer>(red);
}

}  // namespace rc::record
