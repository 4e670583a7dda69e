#include "engine/room/sent_seq_map.h"

#include <gtest/gtest.h>

namespace rc::engine {
namespace {

TEST(SentSeqMap, DisabledMapKnowsNothing) {
  SentSeqMap m;
  m.record(7, 70);
  EXPECT_FALSE(m.enabled());
  EXPECT_FALSE(m.claimResend(7, 1000, 20));
}

TEST(SentSeqMap, ResendOncePerSpacing) {
  SentSeqMap m;
  m.enable();
  m.record(7, 70);
  EXPECT_EQ(m.claimResend(7, 1000, 20), 70);
  EXPECT_FALSE(m.claimResend(7, 1010, 20)) << "within the spacing";
  EXPECT_EQ(m.claimResend(7, 1020, 20), 70);
  EXPECT_FALSE(m.claimResend(8, 1020, 20)) << "never sent";
}

TEST(SentSeqMap, OverwrittenSlotAndWrap) {
  SentSeqMap m;
  m.enable();
  m.record(65535, 1);
  m.record(uint16_t(65535 + SentSeqMap::kSize), 2);  // wraps to the same slot
  EXPECT_FALSE(m.claimResend(65535, 5, 20)) << "slot now holds a newer packet";
  EXPECT_EQ(m.claimResend(uint16_t(65535 + SentSeqMap::kSize), 5, 20), 2);
  m.record(0, 9);
  EXPECT_EQ(m.claimResend(0, 0, 20), 9) << "seq 0 at time 0 is a real entry";
  m.clear();
  EXPECT_FALSE(m.claimResend(0, 100, 20));
}

TEST(SentSeqMap, ClockWrapKeepsSpacing) {
  SentSeqMap m;
  m.enable();
  m.record(3, 30);
  EXPECT_EQ(m.claimResend(3, 0xfffffff0u, 20), 30);
  EXPECT_FALSE(m.claimResend(3, 0x00000002u, 20)) << "18 ms later across the wrap";
  EXPECT_EQ(m.claimResend(3, 0x00000010u, 20), 30);
}

}  // namespace
}  // namespace rc::engine
