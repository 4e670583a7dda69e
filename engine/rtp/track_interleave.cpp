#include "engine/rtp/track_interleave.h"

namespace rc::rtp {
namespace {

// Walks the other tracks' packets (tracks[1..]) in order, one at a time.
class OtherPackets {
 public:
  explicit OtherPackets(std::span<const TrackPackets> tracks) : tracks_(tracks) { skipEmpty(); }

  bool next(InterleavedPacket& packet) noexcept {
    if (track_ >= tracks_.size()) return false;
    packet = {static_cast<uint16_t>(track_), index_};
    if (++index_ == tracks_[track_].count) {
      ++track_;
      index_ = 0;
      skipEmpty();
    }
    return true;
  }

 private:
  void skipEmpty() noexcept {
    while (track_ < tracks_.size() && tracks_[track_].count == 0) ++track_;
  }

  std::span<const TrackPackets> tracks_;
  size_t track_ = 1;
  uint32_t index_ = 0;
};

}  // namespace

void interleaveTracks(std::span<const TrackPackets> tracks,
                      std::vector<InterleavedPacket>& out) noexcept {
  out.clear();
  if (tracks.empty()) return;
  OtherPackets others(tracks);
  InterleavedPacket other{};
  const TrackPackets& lead = tracks[0];
  for (uint32_t i = 0; i < lead.count; ++i) {
    out.push_back({0, i});
    bool frameEnds = i + 1 == lead.count || (i < lead.endsFrame.size() && lead.endsFrame[i]);
    if (frameEnds && others.next(other)) out.push_back(other);
  }
  while (others.next(other)) out.push_back(other);
}

}  // namespace rc::rtp
