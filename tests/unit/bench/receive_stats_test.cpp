#include "bench/loadgen/receive_stats.h"

#include <gtest/gtest.h>

namespace rc::bench {
namespace {

struct Counts {
  uint64_t packets, expected, unique, duplicates, reordered;
};

Counts counts(const LoopCounters& c) {
  return {c.packets.load(), c.expected.load(), c.unique.load(), c.duplicates.load(),
          c.reordered.load()};
}

TEST(StreamStats, CountsGapsAsLoss) {
  LoopCounters c;
  StreamStats s(1);
  for (uint16_t seq : {10, 11, 14, 15}) s.onPacket(seq, 0, 100, c);
  Counts n = counts(c);
  EXPECT_EQ(n.expected, 6u);
  EXPECT_EQ(n.unique, 4u);
  EXPECT_EQ(n.reordered, 0u);
  EXPECT_EQ(c.bytes.load(), 400u);
}

TEST(StreamStats, LateArrivalIsReorderNotLoss) {
  LoopCounters c;
  StreamStats s(1);
  for (uint16_t seq : {10, 12, 11, 13}) s.onPacket(seq, 0, 100, c);
  Counts n = counts(c);
  EXPECT_EQ(n.expected, 4u);
  EXPECT_EQ(n.unique, 4u);
  EXPECT_EQ(n.reordered, 1u);
  EXPECT_EQ(n.duplicates, 0u);
}

TEST(StreamStats, DuplicatesAreCountedApart) {
  LoopCounters c;
  StreamStats s(1);
  for (uint16_t seq : {10, 11, 11, 12, 10}) s.onPacket(seq, 0, 100, c);
  Counts n = counts(c);
  EXPECT_EQ(n.packets, 5u);
  EXPECT_EQ(n.unique, 3u);
  EXPECT_EQ(n.duplicates, 2u);
  EXPECT_EQ(n.expected, 3u);
}

TEST(StreamStats, SequenceWrapIsContinuous) {
  LoopCounters c;
  StreamStats s(1);
  for (uint16_t seq : {65534, 65535, 0, 1}) s.onPacket(seq, 0, 100, c);
  EXPECT_EQ(c.expected.load(), 4u);
  EXPECT_EQ(c.unique.load(), 4u);
}

TEST(StreamStats, NewTimestampStartsAFrame) {
  LoopCounters c;
  StreamStats s(1);
  EXPECT_TRUE(s.onPacket(1, 1000, 100, c));
  EXPECT_FALSE(s.onPacket(2, 1000, 100, c));
  EXPECT_TRUE(s.onPacket(3, 4000, 100, c));
}

TEST(LatencyHistogram, Percentiles) {
  LatencyHistogram h;
  for (int i = 1; i <= 100; ++i) h.add(int64_t{i} * 1'000'000);  // 1..100 ms
  EXPECT_NEAR(h.percentileMs(50), 50.0, 1.0);
  EXPECT_NEAR(h.percentileMs(99), 99.0, 1.0);
  EXPECT_DOUBLE_EQ(h.maxMs(), 100.0);
  LatencyHistogram other;
  other.add(2'000'000'000);  // beyond the buckets: reported as the max
  h.merge(other);
  EXPECT_EQ(h.count(), 101u);
  EXPECT_DOUBLE_EQ(h.percentileMs(100), 2000.0);
}

}  // namespace
}  // namespace rc::bench
