#include "record/mux/track_clocks.h"

#include "engine/rtcp/reports.h"

namespace rc::record {

std::optional<SenderClock> parseSenderClock(std::span<const uint8_t> rtcp) noexcept {
  rtcp::CompoundReader reader(rtcp);
  while (auto view = reader.next()) {
    if (view->packetType != rtcp::kSenderReport) continue;
    auto sr = rtcp::parseSenderReport(*view);
    if (!sr) return std::nullopt;
    // RFC 3550 §4: seconds since 1900 and a 32-bit binary fraction of a second.
    int64_t fractionUs = static_cast<int64_t>((uint64_t{sr->ntpFrac} * 1'000'000) >> 32);
    return SenderClock{int64_t{sr->ntpSec} * 1'000'000 + fractionUs, sr->rtpTs};
  }
  return std::nullopt;
}

TrackClocks::TrackClocks(const std::vector<uint32_t>& clockRates) {
  for (uint32_t rate : clockRates)
    tracks_.push_back(Track{TrackTimeline(rate), std::nullopt, false, 0});
}

void TrackClocks::onSenderReport(size_t track, const SenderClock& clock) noexcept {
  if (track >= tracks_.size() || tracks_[track].synced) return;
  tracks_[track].sr = clock;
  alignPlacedTracks();
}

int64_t TrackClocks::toMicros(size_t track, uint32_t rtpTimestamp, int64_t arrivalUs,
                              int64_t originUs) noexcept {
  Track& t = tracks_[track];
  if (!t.timeline.started()) {
    t.timeline.start(rtpTimestamp, arrivalUs - originUs);
    t.placedAs = ++placed_;
    if (Track* ref = t.sr ? reference(t) : nullptr) {
      // Nothing of this track is written yet: it may go anywhere, before the origin too
      // (those frames get a negative pts and are dropped by the muxer).
      int64_t offset = ref->timeline.offsetUs() + ntpOfFirstFrame(t) - ntpOfFirstFrame(*ref);
      t.timeline.start(rtpTimestamp, offset);
      t.synced = ref->synced = true;
    }
  }
  return t.timeline.toMicros(rtpTimestamp);
}

// NTP time of the track's first frame, from its SR (RTP deltas as signed 32-bit, §5.1).
int64_t TrackClocks::ntpOfFirstFrame(const Track& t) const noexcept {
  auto ticks = static_cast<int32_t>(t.timeline.firstRtpTimestamp() - t.sr->rtpTimestamp);
  return t.sr->ntpUs + int64_t{ticks} * 1'000'000 / t.timeline.clockRate();
}

// A placed track with an SR other than `except`, preferring one already in sync.
TrackClocks::Track* TrackClocks::reference(const Track& except) noexcept {
  Track* found = nullptr;
  for (auto& t : tracks_) {
    if (&t == &except || !t.timeline.started() || !t.sr) continue;
    if (t.synced) return &t;
    if (!found) found = &t;
  }
  return found;
}

// Both tracks were placed by arrival before their SRs came: the one placed later moves by
// the skew (either way); the first placed keeps its timeline.
void TrackClocks::alignPlacedTracks() noexcept {
  for (auto& t : tracks_) {
    if (t.synced || !t.sr || !t.timeline.started()) continue;
    Track* ref = reference(t);
    if (!ref) continue;
    Track& mover = t.placedAs > ref->placedAs ? t : *ref;
    Track& anchor = &mover == &t ? *ref : t;
    int64_t wanted = ntpOfFirstFrame(mover) - ntpOfFirstFrame(anchor);
    shiftUs_ = wanted - (mover.timeline.offsetUs() - anchor.timeline.offsetUs());
    mover.timeline.shift(shiftUs_);
    t.synced = ref->synced = true;
  }
}

}  // namespace rc::record
