#include "engine/rtp/packet_cache.h"

#include <gtest/gtest.h>

namespace rc::rtp {
namespace {

TEST(PacketCache, InsertFindEvict) {
  PacketCache<int> c(100);
  EXPECT_EQ(c.capacity(), 128u);
  EXPECT_EQ(c.insert(5, 50), 0);
  ASSERT_NE(c.find(5), nullptr);
  EXPECT_EQ(*c.find(5), 50);
  EXPECT_EQ(c.find(5 + 128), nullptr);  // same slot, other seq
  EXPECT_EQ(c.find(6), nullptr);
  EXPECT_EQ(c.insert(5 + 128, 60), 50);  // evicts the older one
  EXPECT_EQ(c.find(5), nullptr);
  EXPECT_EQ(*c.find(133), 60);
  EXPECT_EQ(c.insert(5, 70), 70);  // older than what the slot holds: refused
  EXPECT_EQ(*c.find(133), 60);
  EXPECT_EQ(c.insert(133, 61), 60);  // same seq again replaces
}

TEST(PacketCache, WrapAround) {
  PacketCache<int> c(4);
  c.insert(65534, 1);
  c.insert(65535, 2);
  c.insert(0, 3);
  c.insert(1, 4);
  EXPECT_EQ(c.insert(2, 5), 1);  // evicts 65534
  EXPECT_EQ(c.find(65534), nullptr);
  EXPECT_EQ(*c.find(65535), 2);
  EXPECT_EQ(*c.find(2), 5);
}

TEST(PacketCache, TakeAndClear) {
  PacketCache<int*> c(8);
  int a = 1, b = 2;
  c.insert(1, &a);
  c.insert(2, &b);
  EXPECT_EQ(c.take(1), &a);
  EXPECT_EQ(c.find(1), nullptr);
  EXPECT_EQ(c.take(1), nullptr);
  int released = 0;
  c.clear([&](int*&& p) { released += *p; });
  EXPECT_EQ(released, 2);
  EXPECT_EQ(c.find(2), nullptr);
  c.insert(3, &a);
  c.clear();
  EXPECT_EQ(c.find(3), nullptr);
}

}  // namespace
}  // namespace rc::rtp
