// BufferPool acquire/recycle/exhaustion and PacketBuffer reference counting.
#include "io/packet_buffer.h"

#include <gtest/gtest.h>

#include <atomic>
#include <cstdint>
#include <cstring>
#include <set>
#include <thread>
#include <vector>

namespace rc::io {
namespace {

TEST(BufferPool, StartsFullWithOwnerSet) {
  BufferPool pool(3, 8);
  EXPECT_EQ(pool.owner(), 3);
  EXPECT_EQ(pool.capacity(), 8u);
  EXPECT_EQ(pool.available(), 8u);
}

TEST(BufferPool, AcquireUntilExhaustedThenRecycle) {
  BufferPool pool(5, 4);
  std::set<PacketBuffer*> taken;
  for (int i = 0; i < 4; ++i) {
    PacketBuffer* b = pool.acquire();
    ASSERT_NE(b, nullptr);
    EXPECT_EQ(b->refs.load(), 1u);
    EXPECT_EQ(b->owner, 5);
    EXPECT_EQ(b->length, 0u);
    EXPECT_EQ(b->kind, PacketKind::Rtp);
    EXPECT_EQ(reinterpret_cast<uintptr_t>(b) % 64, 0u) << "PacketBuffer must be cache-line aligned";
    taken.insert(b);
  }
  EXPECT_EQ(taken.size(), 4u);
  EXPECT_EQ(pool.available(), 0u);
  EXPECT_EQ(pool.acquire(), nullptr);
  EXPECT_EQ(pool.acquire(), nullptr);

  PacketBuffer* back = *taken.begin();
  back->refs.store(0);
  pool.recycle(back);
  EXPECT_EQ(pool.available(), 1u);
  EXPECT_EQ(pool.acquire(), back);
  EXPECT_EQ(pool.acquire(), nullptr);
}

TEST(BufferPool, GrowAddsBuffersAndKeepsTheOldOnes) {
  BufferPool pool(7, 2);
  std::set<PacketBuffer*> taken{pool.acquire(), pool.acquire()};
  EXPECT_EQ(pool.acquire(), nullptr);
  pool.grow(3);
  EXPECT_EQ(pool.capacity(), 5u);
  EXPECT_EQ(pool.available(), 3u);
  for (int i = 0; i < 3; ++i) {
    PacketBuffer* b = pool.acquire();
    ASSERT_NE(b, nullptr);
    EXPECT_EQ(b->owner, 7);
    EXPECT_EQ(reinterpret_cast<uintptr_t>(b) % 64, 0u);
    taken.insert(b);
  }
  EXPECT_EQ(taken.size(), 5u) << "five distinct buffers from two slabs";
  EXPECT_EQ(pool.acquire(), nullptr);
  for (PacketBuffer* b : taken) {
    ASSERT_TRUE(dropRef(b));
    pool.recycle(b);
  }
  EXPECT_EQ(pool.available(), 5u);
  pool.grow(0);
  EXPECT_EQ(pool.capacity(), 5u);
}

TEST(BufferPool, AcquireResetsRecycledBuffer) {
  BufferPool pool(0, 1);
  PacketBuffer* b = pool.acquire();
  ASSERT_NE(b, nullptr);
  b->length = 1200;
  b->kind = PacketKind::SenderReport;
  b->data[0] = 0x80;
  ASSERT_TRUE(dropRef(b));
  pool.recycle(b);
  PacketBuffer* again = pool.acquire();
  ASSERT_EQ(again, b);
  EXPECT_EQ(again->refs.load(), 1u);
  EXPECT_EQ(again->length, 0u);
  EXPECT_EQ(again->kind, PacketKind::Rtp);
}

TEST(BufferPool, BuffersDoNotOverlap) {
  BufferPool pool(1, 16);
  std::vector<PacketBuffer*> all;
  while (PacketBuffer* b = pool.acquire()) all.push_back(b);
  ASSERT_EQ(all.size(), 16u);
  for (size_t i = 0; i < all.size(); ++i) std::memset(all[i]->data, int(i), kPacketCapacity);
  for (size_t i = 0; i < all.size(); ++i) {
    EXPECT_EQ(all[i]->data[0], uint8_t(i));
    EXPECT_EQ(all[i]->data[kPacketCapacity - 1], uint8_t(i));
  }
}

TEST(PacketBufferRefs, RetainAndDropRef) {
  BufferPool pool(0, 1);
  PacketBuffer* b = pool.acquire();
  retain(b);
  retain(b);
  EXPECT_EQ(b->refs.load(), 3u);
  EXPECT_FALSE(dropRef(b));
  EXPECT_FALSE(dropRef(b));
  EXPECT_TRUE(dropRef(b));  // the last holder returns it
  EXPECT_EQ(b->refs.load(), 0u);
  pool.recycle(b);
  EXPECT_EQ(pool.available(), 1u);
}

TEST(PacketBufferRefs, ExactlyOneThreadSeesTheLastDrop) {
  constexpr int kThreads = 4;
  constexpr int kRounds = 20;
  BufferPool pool(0, 1);
  for (int round = 0; round < kRounds; ++round) {
    PacketBuffer* b = pool.acquire();
    ASSERT_NE(b, nullptr);
    for (int i = 1; i < kThreads; ++i) retain(b);
    std::atomic<int> lasts{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < kThreads; ++i) {
      threads.emplace_back([&] {
        if (dropRef(b)) lasts.fetch_add(1);
      });
    }
    for (auto& t : threads) t.join();
    ASSERT_EQ(lasts.load(), 1);
    pool.recycle(b);
  }
}

}  // namespace
}  // namespace rc::io
