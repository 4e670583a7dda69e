#include "record/mux/track_clocks.h"

#include <gtest/gtest.h>

#include <array>

#include "engine/rtcp/reports.h"

namespace rc::record {
namespace {

constexpr size_t kVideo = 0, kAudio = 1;
constexpr int64_t kNtp = 3'900'000'000LL * 1'000'000;  // some wallclock, in microseconds
constexpr int64_t kOrigin = 1'000'000;                 // the recording starts at the video
constexpr int64_t kSkewUs = 180'000;                   // audio packets arrive 180 ms late

// Video (90 kHz) and audio (48 kHz) captured at the same instants: NTP kNtp + 100 ms is RTP
// 99000 on video and 52800 on audio (their SRs: kNtp <-> 90000 / 48000).
TrackClocks clocks() {
  return TrackClocks({90000, 48000});
}
void reports(TrackClocks& c) {
  c.onSenderReport(kVideo, {kNtp, 90000});
  c.onSenderReport(kAudio, {kNtp, 48000});
}

TEST(TrackClocks, SenderReportsAlignSkewedArrivals) {
  auto c = clocks();
  reports(c);
  EXPECT_EQ(c.toMicros(kVideo, 99000, kOrigin, kOrigin), 0);
  int64_t audio = c.toMicros(kAudio, 52800, kOrigin + kSkewUs, kOrigin);
  EXPECT_NEAR(audio, 0, 1000) << "placed by NTP, not by its late arrival";
  // One second later on both clocks.
  EXPECT_NEAR(c.toMicros(kVideo, 99000 + 90000, 0, kOrigin), 1'000'000, 1000);
  EXPECT_NEAR(c.toMicros(kAudio, 52800 + 48000, 0, kOrigin), 1'000'000, 1000);
  EXPECT_TRUE(c.synced(kVideo) && c.synced(kAudio));
}

TEST(TrackClocks, AudioCapturedBeforeTheVideoGetsNegativePts) {
  auto c = clocks();
  reports(c);
  c.toMicros(kVideo, 99000, kOrigin, kOrigin);
  // Audio from 50 ms before the first video frame, arriving after it.
  EXPECT_NEAR(c.toMicros(kAudio, 52800 - 2400, kOrigin + kSkewUs, kOrigin), -50'000, 1000);
}

TEST(TrackClocks, WithoutSenderReportsArrivalPlacesTracks) {
  auto c = clocks();
  c.onSenderReport(kVideo, {kNtp, 90000});  // one track alone cannot be aligned
  EXPECT_EQ(c.toMicros(kVideo, 99000, kOrigin, kOrigin), 0);
  EXPECT_EQ(c.toMicros(kAudio, 52800, kOrigin + kSkewUs, kOrigin), kSkewUs);
  EXPECT_FALSE(c.synced(kAudio));
}

// The SRs come after both tracks were placed by arrival: audio (placed second, 180 ms late)
// moves back to the video's time; the video, placed first, keeps its timeline.
TEST(TrackClocks, LateReportsMoveTheTrackPlacedSecond) {
  auto c = clocks();
  EXPECT_EQ(c.toMicros(kVideo, 99000, kOrigin, kOrigin), 0);
  EXPECT_EQ(c.toMicros(kAudio, 52800, kOrigin + kSkewUs, kOrigin), kSkewUs);
  EXPECT_EQ(c.toMicros(kVideo, 99000 + 45000, 0, kOrigin), 500'000);  // +0.5 s
  EXPECT_EQ(c.toMicros(kAudio, 52800 + 24000, 0, kOrigin), kSkewUs + 500'000);
  reports(c);
  EXPECT_NEAR(c.syncShiftUs(), -kSkewUs, 1000);
  EXPECT_EQ(c.toMicros(kVideo, 99000 + 90000, 0, kOrigin), 1'000'000) << "video not moved";
  EXPECT_NEAR(c.toMicros(kAudio, 52800 + 48000, 0, kOrigin), 1'000'000, 1000) << "aligned";
  c.onSenderReport(kAudio, {kNtp + 500'000, 48000});  // a later, different SR: ignored
  EXPECT_NEAR(c.toMicros(kAudio, 52800 + 96000, 0, kOrigin), 2'000'000, 1000);
  EXPECT_TRUE(c.synced(kVideo) && c.synced(kAudio));
}

TEST(TrackClocks, LateReportsCanMoveTheSecondTrackForward) {
  auto c = clocks();
  // Audio captured 180 ms after the video frame arrives with it: placed 180 ms early.
  EXPECT_EQ(c.toMicros(kVideo, 99000, kOrigin, kOrigin), 0);
  EXPECT_EQ(c.toMicros(kAudio, 52800 + 8640, kOrigin, kOrigin), 0);
  reports(c);
  EXPECT_NEAR(c.toMicros(kAudio, 52800 + 8640 + 48000, 0, kOrigin), 1'180'000, 1000);
  EXPECT_EQ(c.toMicros(kVideo, 99000 + 90000 + 16200, 0, kOrigin), 1'180'000);
}

TEST(TrackClocks, ParsesTheSenderReportOfACompound) {
  rtcp::SenderReport sr;
  sr.ssrc = 0x1234;
  sr.ntpSec = 3'900'000'000u;
  sr.ntpFrac = 0x80000000u;  // half a second
  sr.rtpTs = 777;
  std::array<uint8_t, 64> buf{};
  size_t n = rtcp::writeSenderReport(buf, sr);
  ASSERT_GT(n, 0u);
  auto clock = parseSenderClock(std::span<const uint8_t>(buf.data(), n));
  ASSERT_TRUE(clock);
  EXPECT_EQ(clock->ntpUs, 3'900'000'000LL * 1'000'000 + 500'000);
  EXPECT_EQ(clock->rtpTimestamp, 777u);
  uint8_t rr[8] = {0x80, 201, 0, 1, 0, 0, 0, 1};  // a receiver report only
  EXPECT_FALSE(parseSenderClock(rr));
  EXPECT_FALSE(parseSenderClock(std::span<const uint8_t>(buf.data(), 10))) << "truncated";
}

}  // namespace
}  // namespace rc::record
