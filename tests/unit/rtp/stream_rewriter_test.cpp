#include "engine/rtp/stream_rewriter.h"

#include <gtest/gtest.h>

namespace rc::rtp {
namespace {

TEST(StreamRewriter, SequenceContinuityAndTimestampOffset) {
  StreamRewriter r(1000, 50000);
  auto a = r.rewrite(7000, 900000);
  ASSERT_TRUE(a);
  EXPECT_EQ(a->seq, 1000);
  EXPECT_EQ(a->ts, 50000u);
  EXPECT_EQ(r.tsOffset(), 50000u - 900000u);
  for (uint16_t i = 1; i < 100; ++i) {
    auto o = r.rewrite(static_cast<uint16_t>(7000 + i), 900000 + 3000u * i);
    ASSERT_TRUE(o);
    EXPECT_EQ(o->seq, 1000 + i);
    EXPECT_EQ(o->ts, 50000u + 3000u * i);
  }
  EXPECT_EQ(r.lastOutSeq(), 1099);
  EXPECT_EQ(r.lastOutTs(), 50000u + 3000u * 99);
}

TEST(StreamRewriter, InputSequenceAndTimestampWrap) {
  StreamRewriter r(10, 10);
  r.rewrite(65534, 0xFFFFFF00u);
  auto b = r.rewrite(65535, 0xFFFFFFF0u);
  auto c = r.rewrite(0, 0x00000010u);  // both input seq and ts wrap
  auto d = r.rewrite(1, 0x00000100u);
  ASSERT_TRUE(b && c && d);
  EXPECT_EQ(b->seq, 11);
  EXPECT_EQ(c->seq, 12);
  EXPECT_EQ(d->seq, 13);
  EXPECT_EQ(c->ts, 10u + 0x110u);
  EXPECT_EQ(d->ts, 10u + 0x200u);
}

TEST(StreamRewriter, OutputSequenceAndTimestampWrap) {
  StreamRewriter r(65534, 0xFFFFFFFEu);
  EXPECT_EQ(r.rewrite(100, 1000)->seq, 65534);
  auto b = r.rewrite(101, 1001);
  auto c = r.rewrite(102, 1002);
  auto d = r.rewrite(103, 1003);
  EXPECT_EQ(b->seq, 65535);
  EXPECT_EQ(b->ts, 0xFFFFFFFFu);
  EXPECT_EQ(c->seq, 0);
  EXPECT_EQ(c->ts, 0u);
  EXPECT_EQ(d->seq, 1);
  EXPECT_EQ(d->ts, 1u);
  // Long run through several input and output wraps stays continuous.
  uint16_t expected = 1;
  for (int i = 0; i < 200000; ++i) {
    ++expected;
    auto o = r.rewrite(static_cast<uint16_t>(104 + i), 1004u + static_cast<uint32_t>(i));
    ASSERT_TRUE(o);
    ASSERT_EQ(o->seq, expected);
  }
}

TEST(StreamRewriter, ReorderingAndRetransmission) {
  StreamRewriter r(500, 0);
  r.rewrite(10, 100);
  auto p12 = r.rewrite(12, 300);  // 11 late
  auto p11 = r.rewrite(11, 200);
  ASSERT_TRUE(p12 && p11);
  EXPECT_EQ(p12->seq, 502);
  EXPECT_EQ(p11->seq, 501);
  EXPECT_EQ(p11->ts, 100u);        // offset -100 from the anchor (in ts 100 -> out 0)
  EXPECT_EQ(r.lastOutSeq(), 502);  // the late packet does not move lastOut back
  EXPECT_EQ(r.lastOutTs(), 200u);
  for (uint16_t s = 13; s < 40; ++s) r.rewrite(s, 100u * (s - 9));
  auto again = r.rewrite(11, 200);  // retransmission of an older packet
  ASSERT_TRUE(again);
  EXPECT_EQ(again->seq, p11->seq);
  EXPECT_EQ(again->ts, p11->ts);
  EXPECT_FALSE(r.rewrite(9, 0));  // before the anchor
}

TEST(StreamRewriter, SwitchSourceContinuity) {
  StreamRewriter r(100, 1000);
  r.rewrite(5000, 70000);
  r.rewrite(5001, 73000);  // out 101, ts 4000
  r.switchSource(6000);
  EXPECT_FALSE(r.anchored());
  auto first = r.rewrite(30000, 123456);  // new layer, unrelated numbering
  ASSERT_TRUE(first);
  EXPECT_EQ(first->seq, 102);
  EXPECT_EQ(first->ts, 4000u + 6000u);
  auto second = r.rewrite(30001, 123456 + 3000);
  EXPECT_EQ(second->seq, 103);
  EXPECT_EQ(second->ts, 13000u);
  EXPECT_FALSE(r.rewrite(29990, 100000));  // from before the anchor
  r.switchSource(0);                       // gap at least 1
  auto third = r.rewrite(7, 0);
  EXPECT_EQ(third->seq, 104);
  EXPECT_EQ(third->ts, 13001u);
}

TEST(StreamRewriter, SkipShiftsLaterPackets) {
  StreamRewriter r(0, 0);
  r.rewrite(100, 0);  // out 0
  r.rewrite(101, 1);  // out 1
  r.skip(102);        // padding only
  r.skip(103);
  auto a = r.rewrite(104, 2);
  ASSERT_TRUE(a);
  EXPECT_EQ(a->seq, 2);
  r.skip(106);  // 105 not yet arrived
  auto late = r.rewrite(105, 3);
  ASSERT_TRUE(late);
  EXPECT_EQ(late->seq, 3);
  auto b = r.rewrite(107, 4);
  EXPECT_EQ(b->seq, 4);
  // Retransmissions before and after the skips keep their mapping; skipped ones map to nothing.
  EXPECT_EQ(r.rewrite(101, 1)->seq, 1);
  EXPECT_EQ(r.rewrite(104, 2)->seq, 2);
  EXPECT_FALSE(r.rewrite(102, 0));
  EXPECT_FALSE(r.rewrite(106, 0));
  // Skipping an already-passed packet is ignored.
  r.skip(103);
  r.skip(100);
  EXPECT_EQ(r.rewrite(108, 5)->seq, 5);
  EXPECT_EQ(r.lastOutSeq(), 5);
}

TEST(StreamRewriter, SkipAcrossSwitchAndWrap) {
  StreamRewriter r(65535, 0);
  r.rewrite(65535, 0);  // out 65535
  r.skip(0);
  EXPECT_EQ(r.rewrite(1, 10)->seq, 0);
  r.switchSource(90);
  r.skip(500);  // before the new anchor: ignored
  EXPECT_EQ(r.rewrite(501, 0)->seq, 1);
  EXPECT_EQ(r.rewrite(502, 0)->seq, 2);
}

TEST(StreamRewriter, ForgottenSkipHistoryRefusesOldPackets) {
  StreamRewriter r(0, 0);
  uint16_t in = 0;
  r.rewrite(in++, 0);
  const uint16_t early = in;
  r.rewrite(in++, 0);
  for (size_t i = 0; i < 70; ++i) {  // 70 separate skip runs > the 64 remembered
    r.skip(in++);
    r.rewrite(in++, 0);
  }
  EXPECT_EQ(r.lastOutSeq(), 71);
  EXPECT_FALSE(r.rewrite(early, 0));         // cannot be mapped reliably any more
  EXPECT_EQ(r.rewrite(in - 1, 0)->seq, 71);  // recent ones still map
}

}  // namespace
}  // namespace rc::rtp
