// The recording tap ring: order, bounded capacity with counted drops, oversized packets,
// and a producer/consumer pair on two threads (run under TSan/ASan in the sanitizer trees).
#include "record/record_tap.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

namespace rc::record {
namespace {

std::vector<uint8_t> packet(uint32_t n, size_t size = 12) {
  std::vector<uint8_t> p(size, 0);
  for (int i = 0; i < 4; ++i) p[size_t(i)] = uint8_t(n >> (8 * i));
  return p;
}

uint32_t numberOf(const TapSlot& s) {
  uint32_t n = 0;
  for (int i = 0; i < 4; ++i) n |= uint32_t(s.bytes[i]) << (8 * i);
  return n;
}

TEST(RecordTap, KeepsOrderKindAndArrivalTime) {
  RecordTap tap(3, 8);
  EXPECT_EQ(tap.trackIndex(), 3u);
  ASSERT_TRUE(tap.push(TapKind::Rtp, packet(1), 100));
  ASSERT_TRUE(tap.push(TapKind::SenderReport, packet(2, 28), 200));
  const TapSlot* s = tap.front();
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(numberOf(*s), 1u);
  EXPECT_EQ(s->kind, TapKind::Rtp);
  EXPECT_EQ(s->arrivalUs, 100);
  tap.release();
  s = tap.front();
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->kind, TapKind::SenderReport);
  EXPECT_EQ(s->data().size(), 28u);
  tap.release();
  EXPECT_EQ(tap.front(), nullptr);
}

TEST(RecordTap, FullRingDropsAndCounts) {
  RecordTap tap(0, 4);
  for (uint32_t i = 0; i < 4; ++i) EXPECT_TRUE(tap.push(TapKind::Rtp, packet(i), 0));
  EXPECT_FALSE(tap.push(TapKind::Rtp, packet(9), 0));
  EXPECT_FALSE(tap.push(TapKind::Rtp, packet(10), 0));
  EXPECT_EQ(tap.drops(), 2u);
  ASSERT_NE(tap.front(), nullptr);
  EXPECT_EQ(numberOf(*tap.front()), 0u);  // the oldest kept, the newest dropped
  tap.release();
  EXPECT_TRUE(tap.push(TapKind::Rtp, packet(11), 0));
}

TEST(RecordTap, OversizedPacketIsDropped) {
  RecordTap tap(0, 4);
  EXPECT_FALSE(tap.push(TapKind::Rtp, packet(1, TapSlot::kCapacity + 1), 0));
  EXPECT_TRUE(tap.push(TapKind::Rtp, packet(2, TapSlot::kCapacity), 0));
  EXPECT_EQ(tap.drops(), 1u);
}

TEST(RecordTap, ProducerAndConsumerThreadsSeeEveryPacketInOrder) {
  RecordTap tap(0, 64);
  constexpr uint32_t kPackets = 200000;
  std::thread producer([&] {
    for (uint32_t i = 0; i < kPackets;) {
      if (tap.push(TapKind::Rtp, packet(i, 64), i))
        ++i;
      else
        std::this_thread::yield();
    }
  });
  uint32_t expected = 0;
  while (expected < kPackets) {
    const TapSlot* s = tap.front();
    if (!s) {
      std::this_thread::yield();
      continue;
    }
    ASSERT_EQ(numberOf(*s), expected);
    ASSERT_EQ(s->arrivalUs, int64_t(expected));
    tap.release();
    ++expected;
  }
  producer.join();
  EXPECT_EQ(tap.front(), nullptr);
}

}  // namespace
}  // namespace rc::record
