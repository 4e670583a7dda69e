#include "record/mux/reorder_buffer.h"

#include <gtest/gtest.h>

#include <vector>

namespace rc::record {
namespace {

struct Out {
  std::vector<uint8_t> firstBytes;
  std::vector<bool> gaps;
};

Out drain(ReorderBuffer& b, int64_t nowUs) {
  Out o;
  b.release(nowUs, [&](std::span<const uint8_t> p, bool gap) {
    o.firstBytes.push_back(p[0]);
    o.gaps.push_back(gap);
  });
  return o;
}

void put(ReorderBuffer& b, uint16_t seq, int64_t atUs) {
  uint8_t byte = static_cast<uint8_t>(seq);
  b.insert(seq, std::span<const uint8_t>(&byte, 1), atUs);
}

TEST(ReorderBuffer, ReordersWithinTheWait) {
  ReorderBuffer b(100'000);
  put(b, 10, 0);
  put(b, 12, 1);
  put(b, 11, 2);
  Out o = drain(b, 3);
  EXPECT_EQ(o.firstBytes, (std::vector<uint8_t>{10, 11, 12}));
  EXPECT_EQ(o.gaps, (std::vector<bool>{false, false, false}));
  EXPECT_EQ(b.lost(), 0u);
}

TEST(ReorderBuffer, GapWaitsThenCountsTheLoss) {
  ReorderBuffer b(100'000);
  put(b, 1, 0);
  put(b, 4, 1000);
  EXPECT_EQ(drain(b, 2000).firstBytes, (std::vector<uint8_t>{1})) << "4 waits for 2 and 3";
  put(b, 2, 50'000);  // a retransmission arrives in time
  EXPECT_EQ(drain(b, 60'000).firstBytes, (std::vector<uint8_t>{2}));
  Out o = drain(b, 101'000);  // 3 never comes
  EXPECT_EQ(o.firstBytes, (std::vector<uint8_t>{4}));
  EXPECT_EQ(o.gaps, (std::vector<bool>{true}));
  EXPECT_EQ(b.lost(), 1u);
  put(b, 3, 102'000);
  EXPECT_EQ(b.duplicates(), 1u) << "too late: already given up";
}

TEST(ReorderBuffer, DuplicatesAndWrap) {
  ReorderBuffer b(100'000);
  put(b, 65534, 0);
  put(b, 65534, 0);
  put(b, 0, 1);
  put(b, 65535, 2);
  Out o = drain(b, 3);
  EXPECT_EQ(o.firstBytes, (std::vector<uint8_t>{254, 255, 0}));
  EXPECT_EQ(b.duplicates(), 1u);
  EXPECT_EQ(b.lost(), 0u);
}

TEST(ReorderBuffer, FullBufferReleasesWithoutWaiting) {
  ReorderBuffer b(10'000'000, 4);
  put(b, 1, 0);
  drain(b, 0);
  for (uint16_t s = 3; s <= 7; ++s) put(b, s, 0);
  Out o = drain(b, 1);
  EXPECT_EQ(o.firstBytes.front(), 3);
  EXPECT_TRUE(o.gaps.front());
  EXPECT_EQ(b.lost(), 1u);
}

}  // namespace
}  // namespace rc::record
