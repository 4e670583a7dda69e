#include "engine/rtp/nack_generator.h"

#include <gtest/gtest.h>

namespace rc::rtp {
namespace {

using Seqs = std::vector<uint16_t>;

TEST(NackGenerator, GapProducesNacks) {
  NackGenerator g;
  g.onPacket(100, 0);
  g.onPacket(101, 0);
  g.onPacket(105, 10);
  EXPECT_EQ(g.pending(), 3u);
  EXPECT_EQ(g.collectNacks(10, 50), (Seqs{102, 103, 104}));
  EXPECT_TRUE(g.collectNacks(20, 50).empty());  // spacing not yet elapsed
}

TEST(NackGenerator, RetrySpacingAndLimit) {
  NackGenerator g;
  g.onPacket(1, 0);
  g.onPacket(3, 0);
  EXPECT_EQ(g.collectNacks(0, 5), Seqs{2});
  EXPECT_TRUE(g.collectNacks(19, 5).empty());  // spacing is max(rtt, 20 ms)
  EXPECT_EQ(g.collectNacks(20, 5), Seqs{2});
  EXPECT_TRUE(g.collectNacks(60, 100).empty());  // rtt 100 ms dominates
  EXPECT_EQ(g.collectNacks(120, 100), Seqs{2});
  int sent = 3;
  for (int64_t t = 140; t < 1000; t += 20) sent += static_cast<int>(g.collectNacks(t, 5).size());
  EXPECT_EQ(sent, 10);  // at most 10 requests
  EXPECT_EQ(g.pending(), 0u);
}

TEST(NackGenerator, ForgetsAfterOneSecond) {
  NackGenerator g;
  g.onPacket(1, 0);
  g.onPacket(3, 0);
  EXPECT_EQ(g.collectNacks(0, 400), Seqs{2});
  EXPECT_TRUE(g.collectNacks(1001, 400).empty());
  EXPECT_EQ(g.pending(), 0u);
}

TEST(NackGenerator, RecoveredPacketsAreRemoved) {
  NackGenerator g;
  g.onPacket(10, 0);
  g.onPacket(14, 0);
  g.onPacket(12, 5);  // late
  EXPECT_EQ(g.pending(), 2u);
  EXPECT_EQ(g.collectNacks(5, 20), (Seqs{11, 13}));
  g.onPacket(11, 30);  // via RTX (OSN)
  EXPECT_EQ(g.collectNacks(40, 20), Seqs{13});
}

TEST(NackGenerator, TooOldIsDropped) {
  NackGenerator g;
  g.onPacket(0, 0);
  g.onPacket(2, 0);  // 1 missing
  for (uint16_t s = 3; s <= 513; ++s) g.onPacket(s, 0);
  EXPECT_EQ(g.pending(), 1u);  // 1 is 512 behind: still tracked
  g.onPacket(514, 0);
  EXPECT_EQ(g.pending(), 0u);
  // A gap longer than 512 only tracks the newest 512.
  g.onPacket(1200, 0);
  EXPECT_EQ(g.pending(), 512u);
  auto n = g.collectNacks(0, 20);
  ASSERT_EQ(n.size(), 512u);
  EXPECT_EQ(n.front(), 1200 - 512);
  EXPECT_EQ(n.back(), 1199);
}

TEST(NackGenerator, WrapAround) {
  NackGenerator g;
  g.onPacket(65533, 0);
  g.onPacket(1, 0);
  EXPECT_EQ(g.collectNacks(0, 20), (Seqs{65534, 65535, 0}));
}

TEST(NackGenerator, HugeJumpResets) {
  NackGenerator g;
  g.onPacket(100, 0);
  g.onPacket(110, 0);
  EXPECT_EQ(g.pending(), 9u);
  g.onPacket(5000, 0);
  EXPECT_EQ(g.pending(), 0u);
  EXPECT_EQ(g.resets(), 1u);
  g.onPacket(5002, 0);
  EXPECT_EQ(g.collectNacks(0, 20), Seqs{5001});
}

TEST(NackGenerator, FixedBufferKeepsOverflowDue) {
  NackGenerator g;
  g.onPacket(0, 0);
  g.onPacket(6, 0);
  std::array<uint16_t, 3> buf{};
  EXPECT_EQ(g.collectNacks(0, 20, buf), 3u);
  EXPECT_EQ(buf, (std::array<uint16_t, 3>{1, 2, 3}));
  EXPECT_EQ(g.collectNacks(0, 20), (Seqs{4, 5}));
}

}  // namespace
}  // namespace rc::rtp
