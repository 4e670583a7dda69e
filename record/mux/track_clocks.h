// Places the tracks of one recording on a common timeline. Each track's RTP clock is tied to
// the sender's NTP wallclock by its RTCP sender reports (RFC 3550 §6.4.1: "the same time as
// the NTP timestamp ... in the same units ... as the RTP timestamps in data packets"); the
// sender uses one wallclock for all its tracks, so two tracks with an SR can be put in sync
// (RFC 3550 §6.4.1, lip sync) whatever their packets' arrival skew.
//
// - A track whose first frame comes when it and an already placed track both have an SR is
//   placed by NTP relative to that track.
// - Otherwise a track is placed by the arrival of its first frame (no SR at all still works).
// - When the SRs come only after both tracks were placed, the track placed second (audio:
//   the header, and so the first track, waits for a video keyframe) is moved by the skew;
//   the first one never moves, so the video timeline stays continuous. Moved forward, the
//   audio has a gap; moved back, its next frames would land on time already written and the
//   muxer drops them until they pass it (pts never go backwards in the file).
// Alignment is done once per track; later SRs do not move it again (RTP clock drift against
// NTP over a recording is not corrected).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "record/mux/track_timeline.h"

namespace rc::record {

// One SR's mapping: NTP time (microseconds since 1900) <-> RTP timestamp.
struct SenderClock {
  int64_t ntpUs = 0;
  uint32_t rtpTimestamp = 0;
};

// The first sender report in an RTCP compound packet (RFC 3550 §6.4.1), if any.
std::optional<SenderClock> parseSenderClock(std::span<const uint8_t> rtcp) noexcept;

class TrackClocks {
 public:
  explicit TrackClocks(const std::vector<uint32_t>& clockRates);

  void onSenderReport(size_t track, const SenderClock& clock) noexcept;
  // Microseconds from the recording's origin (the arrival time `originUs`) for a frame of
  // `track`; the track's first call places it.
  int64_t toMicros(size_t track, uint32_t rtpTimestamp, int64_t arrivalUs,
                   int64_t originUs) noexcept;
  bool synced(size_t track) const noexcept { return tracks_[track].synced; }
  // The move applied to a track placed by arrival when the SRs came late (0 if none).
  int64_t syncShiftUs() const noexcept { return shiftUs_; }

 private:
  struct Track {
    TrackTimeline timeline;
    std::optional<SenderClock> sr;
    bool synced = false;
    int placedAs = 0;  // 1 for the first track placed, 2 for the second...
  };
  int64_t ntpOfFirstFrame(const Track& t) const noexcept;
  Track* reference(const Track& except) noexcept;
  void alignPlacedTracks() noexcept;

  std::vector<Track> tracks_;
  int placed_ = 0;
  int64_t shiftUs_ = 0;
};

}  // namespace rc::record
