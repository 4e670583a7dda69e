#include "engine/rtp/seq.h"

#include <gtest/gtest.h>

namespace rc::rtp {
namespace {

TEST(Seq, Newer) {
  EXPECT_TRUE(seqNewer(2, 1));
  EXPECT_FALSE(seqNewer(1, 2));
  EXPECT_FALSE(seqNewer(5, 5));
  EXPECT_TRUE(seqNewer(0, 65535));
  EXPECT_TRUE(seqNewer(100, 65500));
  EXPECT_FALSE(seqNewer(65500, 100));
  EXPECT_NE(seqNewer(0x8000, 0), seqNewer(0, 0x8000));  // asymmetric at half range
  EXPECT_EQ(seqDelta(1, 65535), 2);
  EXPECT_EQ(seqDelta(65535, 1), -2);
  EXPECT_TRUE(tsNewer(5, 0xFFFFFFF0u));
}

TEST(Seq, UnwrapForwardAndWrap) {
  SeqUnwrapper u;
  EXPECT_EQ(u.unwrap(65534), 65534);
  EXPECT_EQ(u.unwrap(65535), 65535);
  EXPECT_EQ(u.unwrap(0), 65536);
  EXPECT_EQ(u.unwrap(1), 65537);
  EXPECT_EQ(u.unwrap(65535), 65535);  // reordered across the wrap
  EXPECT_EQ(u.unwrap(2), 65538);
  EXPECT_EQ(u.highest(), 65538);
}

TEST(Seq, UnwrapManyCycles) {
  SeqUnwrapper u;
  int64_t expected = 100;
  u.unwrap(100);
  for (int i = 0; i < 5 * 65536; i += 1000) {
    expected += 1000;
    EXPECT_EQ(u.unwrap(static_cast<uint16_t>(expected)), expected);
  }
}

}  // namespace
}  // namespace rc::rtp
