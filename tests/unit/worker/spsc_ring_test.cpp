// SpscRing: single-thread semantics (capacity, full -> drop counter, FIFO across index
// wrap-around) and a two-thread producer/consumer stress run checking order and no loss.
#include "engine/worker/spsc_ring.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <thread>

#include "tests/unit/worker/sanitizer.h"

namespace rc::engine {
namespace {

TEST(SpscRing, EmptyRingPopsNothing) {
  SpscRing<int> ring(8);
  int out = -1;
  EXPECT_FALSE(ring.pop(out));
  EXPECT_EQ(out, -1);
  EXPECT_EQ(ring.sizeApprox(), 0u);
  EXPECT_EQ(ring.drops(), 0u);
}

TEST(SpscRing, FullRingRejectsPushAndCountsDrops) {
  SpscRing<int> ring(8);
  EXPECT_EQ(ring.capacity(), 8u);
  for (int i = 0; i < 8; ++i) EXPECT_TRUE(ring.push(i)) << i;
  EXPECT_EQ(ring.sizeApprox(), 8u);
  EXPECT_FALSE(ring.push(100));
  EXPECT_FALSE(ring.push(101));
  EXPECT_EQ(ring.drops(), 2u);
  EXPECT_EQ(ring.sizeApprox(), 8u);

  for (int i = 0; i < 8; ++i) {
    int out = -1;
    ASSERT_TRUE(ring.pop(out));
    EXPECT_EQ(out, i);  // FIFO, the rejected values never appear
  }
  int out = -1;
  EXPECT_FALSE(ring.pop(out));
  EXPECT_EQ(ring.drops(), 2u);
}

TEST(SpscRing, OneFreeSlotAcceptsOnePush) {
  SpscRing<int> ring(4);
  for (int i = 0; i < 4; ++i) ASSERT_TRUE(ring.push(i));
  int out = 0;
  ASSERT_TRUE(ring.pop(out));
  EXPECT_TRUE(ring.push(4));
  EXPECT_FALSE(ring.push(5));
  EXPECT_EQ(ring.drops(), 1u);
  for (int expected = 1; expected <= 4; ++expected) {
    ASSERT_TRUE(ring.pop(out));
    EXPECT_EQ(out, expected);
  }
}

TEST(SpscRing, CapacityOne) {
  SpscRing<int> ring(1);
  EXPECT_EQ(ring.capacity(), 1u);
  EXPECT_TRUE(ring.push(7));
  EXPECT_FALSE(ring.push(8));
  int out = 0;
  ASSERT_TRUE(ring.pop(out));
  EXPECT_EQ(out, 7);
  EXPECT_FALSE(ring.pop(out));
}

TEST(SpscRing, FifoAcrossManyWrapArounds) {
  SpscRing<uint32_t> ring(16);
  uint32_t nextPush = 0, nextPop = 0;
  // Alternate bursts of different lengths so head and tail wrap at every offset.
  for (int round = 0; round < 1000; ++round) {
    int burst = 1 + round % 16;
    for (int i = 0; i < burst; ++i) {
      if (ring.push(nextPush)) ++nextPush;
    }
    int drain = 1 + (round * 7) % 16;
    uint32_t out = 0;
    for (int i = 0; i < drain && ring.pop(out); ++i) ASSERT_EQ(out, nextPop++);
    ASSERT_EQ(ring.sizeApprox(), nextPush - nextPop);
  }
  uint32_t out = 0;
  while (ring.pop(out)) ASSERT_EQ(out, nextPop++);
  EXPECT_EQ(nextPop, nextPush);
  EXPECT_GT(nextPush, 5000u);
}

TEST(SpscRing, CarriesPointers) {
  int values[3] = {1, 2, 3};
  SpscRing<int*> ring(4);
  for (int* p = values; p != values + 3; ++p) ASSERT_TRUE(ring.push(p));
  int* out = nullptr;
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(ring.pop(out));
    EXPECT_EQ(out, &values[i]);
  }
}

// The producer retries a full push (a real worker would drop and count instead); the
// consumer must see every sequence number exactly once, in order, and drops() must equal
// the producer's failed attempts.
TEST(SpscRingThreaded, ProducerConsumerKeepsOrderWithoutLoss) {
  constexpr uint64_t kItems = RC_TEST_TSAN ? 1'000'000 : 10'000'000;
  SpscRing<uint64_t> ring(1024);
  uint64_t failedPushes = 0;
  std::thread producer([&] {
    for (uint64_t i = 0; i < kItems; ++i) {
      while (!ring.push(i)) {
        ++failedPushes;
        std::this_thread::yield();
      }
    }
  });

  uint64_t expected = 0, outOfOrder = 0;
  while (expected < kItems) {
    uint64_t value = 0;
    if (!ring.pop(value)) {
      std::this_thread::yield();
      continue;
    }
    if (value != expected) ++outOfOrder;
    expected = value + 1;
  }
  producer.join();

  EXPECT_EQ(outOfOrder, 0u);
  EXPECT_EQ(expected, kItems);
  EXPECT_EQ(ring.drops(), failedPushes);
  EXPECT_EQ(ring.sizeApprox(), 0u);
  uint64_t extra = 0;
  EXPECT_FALSE(ring.pop(extra));
}

}  // namespace
}  // namespace rc::engine
