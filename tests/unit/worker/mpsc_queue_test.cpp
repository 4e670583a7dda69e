// MpscQueue: single-thread FIFO, move-only payloads, leftover items freed by the
// destructor, and 4 producers x 200k items into one consumer (exactly once, per-producer
// order preserved).
#include "engine/worker/mpsc_queue.h"

#include <gtest/gtest.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <thread>
#include <vector>

namespace rc::engine {
namespace {

TEST(MpscQueue, EmptyQueuePopsNothing) {
  MpscQueue<int> q;
  int out = -1;
  EXPECT_FALSE(q.pop(out));
  EXPECT_FALSE(q.pop(out));
  EXPECT_EQ(out, -1);
}

TEST(MpscQueue, SingleThreadFifo) {
  MpscQueue<int> q;
  for (int i = 0; i < 100; ++i) q.push(i);
  int out = -1;
  for (int i = 0; i < 100; ++i) {
    ASSERT_TRUE(q.pop(out));
    EXPECT_EQ(out, i);
  }
  EXPECT_FALSE(q.pop(out));
  // Usable again after running dry (the stub node is re-inserted).
  q.push(7);
  ASSERT_TRUE(q.pop(out));
  EXPECT_EQ(out, 7);
  EXPECT_FALSE(q.pop(out));
}

TEST(MpscQueue, InterleavedPushPop) {
  MpscQueue<int> q;
  int next = 0, expected = 0, out = 0;
  for (int round = 0; round < 200; ++round) {
    for (int i = 0; i < round % 5; ++i) q.push(next++);
    for (int i = 0; i < round % 3 && q.pop(out); ++i) ASSERT_EQ(out, expected++);
  }
  while (q.pop(out)) ASSERT_EQ(out, expected++);
  EXPECT_EQ(expected, next);
}

TEST(MpscQueue, MoveOnlyPayloads) {
  MpscQueue<std::unique_ptr<int>> q;
  q.push(std::make_unique<int>(1));
  q.push(std::make_unique<int>(2));
  std::unique_ptr<int> out;
  ASSERT_TRUE(q.pop(out));
  ASSERT_NE(out, nullptr);
  EXPECT_EQ(*out, 1);
  ASSERT_TRUE(q.pop(out));
  EXPECT_EQ(*out, 2);
  EXPECT_FALSE(q.pop(out));
}

TEST(MpscQueue, DestructorReleasesQueuedItems) {
  auto tracked = std::make_shared<int>(0);
  {
    MpscQueue<std::shared_ptr<int>> q;
    for (int i = 0; i < 10; ++i) q.push(tracked);
    EXPECT_EQ(tracked.use_count(), 11);
  }
  EXPECT_EQ(tracked.use_count(), 1);
}

// Item = producer id in the top 16 bits, sequence number in the rest.
TEST(MpscQueueThreaded, FourProducersOneConsumerExactlyOnceInOrder) {
  constexpr int kProducers = 4;
  constexpr uint64_t kPerProducer = 200'000;
  constexpr uint64_t kSeqMask = (uint64_t(1) << 48) - 1;
  MpscQueue<uint64_t> q;
  std::atomic<bool> go{false};
  std::vector<std::thread> producers;
  for (int p = 0; p < kProducers; ++p) {
    producers.emplace_back([&q, &go, p] {
      while (!go.load(std::memory_order_acquire)) std::this_thread::yield();
      for (uint64_t i = 0; i < kPerProducer; ++i) q.push((uint64_t(p) << 48) | i);
    });
  }
  go.store(true, std::memory_order_release);

  std::vector<uint64_t> next(kProducers, 0);
  uint64_t received = 0, errors = 0;
  while (received < kProducers * kPerProducer) {
    uint64_t item = 0;
    if (!q.pop(item)) {
      std::this_thread::yield();
      continue;
    }
    const uint64_t p = item >> 48, seq = item & kSeqMask;
    if (p >= kProducers || seq != next[p]) {
      if (++errors < 5) ADD_FAILURE() << "producer " << p << " seq " << seq;
    } else {
      ++next[p];
    }
    ++received;
  }
  for (auto& t : producers) t.join();

  EXPECT_EQ(errors, 0u);
  for (int p = 0; p < kProducers; ++p) EXPECT_EQ(next[p], kPerProducer) << "producer " << p;
  uint64_t extra = 0;
  EXPECT_FALSE(q.pop(extra)) << "an item arrived twice";
}

}  // namespace
}  // namespace rc::engine
