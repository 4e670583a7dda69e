#include "engine/rtp/track_interleave.h"

#include <gtest/gtest.h>

#include <memory>
#include <utility>
#include <vector>

namespace rc::rtp {
namespace {

using Sequence = std::vector<std::pair<int, int>>;  // (track, index)

// Tracks given by their frame ends ("packet i ends a frame"); returns the interleaved order.
Sequence interleave(const std::vector<std::vector<bool>>& ends) {
  std::vector<std::unique_ptr<bool[]>> flags;  // std::vector<bool> holds no bool array
  std::vector<TrackPackets> tracks;
  for (const auto& e : ends) {
    flags.push_back(std::make_unique<bool[]>(e.size() + 1));
    for (size_t i = 0; i < e.size(); ++i) flags.back()[i] = e[i];
    tracks.push_back({static_cast<uint32_t>(e.size()), {flags.back().get(), e.size()}});
  }
  std::vector<InterleavedPacket> out;
  interleaveTracks(tracks, out);
  Sequence seq;
  for (const InterleavedPacket& p : out) seq.emplace_back(p.track, static_cast<int>(p.index));
  return seq;
}

TEST(TrackInterleave, OneTrackKeepsItsOrder) {
  EXPECT_EQ(interleave({{false, false, true}}), (Sequence{{0, 0}, {0, 1}, {0, 2}}));
}

TEST(TrackInterleave, AudioFollowsTheVideoFrame) {
  // A three-packet frame and one Opus packet: the Opus packet closes the frame's GSO run.
  EXPECT_EQ(interleave({{false, false, true}, {false}}),
            (Sequence{{0, 0}, {0, 1}, {0, 2}, {1, 0}}));
}

TEST(TrackInterleave, OneOtherPacketAfterEachFrame) {
  // Two frames, two Opus packets: one after each frame (each run has one short last segment).
  EXPECT_EQ(interleave({{false, true, false, true}, {false, false}}),
            (Sequence{{0, 0}, {0, 1}, {1, 0}, {0, 2}, {0, 3}, {1, 1}}));
}

TEST(TrackInterleave, AFrameCutByTheTurnStillTakesOne) {
  // The turn ends inside a frame (no marker yet): its last packet counts as a frame end.
  EXPECT_EQ(interleave({{false, false}, {false, false}}),
            (Sequence{{0, 0}, {0, 1}, {1, 0}, {1, 1}}));
}

TEST(TrackInterleave, OtherTracksInOrderAndLeftoversAtTheEnd) {
  EXPECT_EQ(interleave({{true}, {}, {false, false}, {false}}),
            (Sequence{{0, 0}, {2, 0}, {2, 1}, {3, 0}}));
}

TEST(TrackInterleave, EveryPacketExactlyOnceInTrackOrder) {
  std::vector<std::vector<bool>> ends = {
      {false, true, true, false, false, true, false}, {true, false, false, true}, {false}, {}};
  Sequence seq = interleave(ends);
  std::vector<int> nextIndex(ends.size(), 0);
  for (auto [track, index] : seq) EXPECT_EQ(index, nextIndex[static_cast<size_t>(track)]++);
  for (size_t t = 0; t < ends.size(); ++t)
    EXPECT_EQ(nextIndex[t], static_cast<int>(ends[t].size()));
}

TEST(TrackInterleave, NoTracksNothing) {
  std::vector<InterleavedPacket> out{{1, 2}};
  interleaveTracks({}, out);
  EXPECT_TRUE(out.empty());
}

}  // namespace
}  // namespace rc::rtp
