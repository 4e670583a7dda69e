#include <gtest/gtest.h>

#include <array>
#include <vector>

#include "engine/rtcp/rtcp.h"

namespace rc::rtcp {
namespace {

using Seqs = std::vector<uint16_t>;

RtcpPacketView view(std::span<const uint8_t> b, size_t n) {
  auto v = parseRtcpHeader(b.first(n));
  EXPECT_TRUE(v);
  return *v;
}

Seqs lostOf(const Nack& n) {
  return Seqs(n.lost.begin(), n.lost.end());
}

TEST(Nack, ParsesPidAndBlp) {  // RFC 4585 §6.2.1
  const std::array<uint8_t, 20> b = {0x81, 205,  0, 4,   0, 0,   0,    1,
                                     0,    0,    0, 2,   0, 100, 0x80, 0x01,  // 100, 101, 116
                                     0xFF, 0xFF, 0, 0x02};                    // 65535, 1
  auto nack = parseNack(view(b, b.size()));
  ASSERT_TRUE(nack);
  EXPECT_EQ(nack->senderSsrc, 1u);
  EXPECT_EQ(nack->mediaSsrc, 2u);
  EXPECT_EQ(lostOf(*nack), (Seqs{100, 101, 116, 65535, 1}));
  EXPECT_FALSE(nack->truncated);
}

TEST(Nack, RoundTripPacksBlp) {
  const Seqs seqs = {10, 11, 13, 26, 27, 65534, 65535, 0, 3};
  std::array<uint8_t, 64> buf{};
  const size_t n = writeNack(buf, 7, 8, seqs);
  // 10 covers 11,13,26 (d<=16); 27 starts a new FCI (d=17); 65534 starts another (covers
  // 65535,0,3).
  ASSERT_EQ(n, 12u + 3 * 4);
  auto back = parseNack(view(buf, n));
  ASSERT_TRUE(back);
  EXPECT_EQ(back->mediaSsrc, 8u);
  EXPECT_EQ(lostOf(*back), seqs);
  EXPECT_EQ(writeNack(buf, 7, 8, {}), 0u);
  EXPECT_EQ(writeNack(std::span<uint8_t>(buf.data(), 15), 7, 8, seqs), 0u);
}

TEST(Nack, RejectsBadFci) {
  std::array<uint8_t, 14> b = {0x81, 205, 0, 2, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0};
  EXPECT_FALSE(parseNack(view(b, 12)));  // no FCI
  std::array<uint8_t, 16> wrongFmt = {0x82, 205, 0, 3, 0, 0, 0, 1, 0, 0, 0, 2, 0, 1, 0, 0};
  EXPECT_FALSE(parseNack(view(wrongFmt, 16)));
}

TEST(Pli, RoundTrip) {  // RFC 4585 §6.3.1
  std::array<uint8_t, 12> buf{};
  ASSERT_EQ(writePli(buf, 0x10, 0x20), 12u);
  auto pli = parsePli(view(buf, 12));
  ASSERT_TRUE(pli);
  EXPECT_EQ(pli->senderSsrc, 0x10u);
  EXPECT_EQ(pli->mediaSsrc, 0x20u);
  EXPECT_FALSE(parseFir(view(buf, 12)));
  EXPECT_FALSE(parseNack(view(buf, 12)));
  EXPECT_EQ(writePli(std::span<uint8_t>(buf.data(), 11), 1, 2), 0u);
}

TEST(Fir, RoundTrip) {  // RFC 5104 §4.3.1
  std::array<uint8_t, 20> buf{};
  ASSERT_EQ(writeFir(buf, 0x10, 0x20, 7), 20u);
  EXPECT_EQ(buf[8] | buf[9] | buf[10] | buf[11], 0);  // media SSRC field is 0
  auto fir = parseFir(view(buf, 20));
  ASSERT_TRUE(fir);
  EXPECT_EQ(fir->senderSsrc, 0x10u);
  ASSERT_EQ(fir->entries.size(), 1u);
  EXPECT_EQ(fir->entries[0].ssrc, 0x20u);
  EXPECT_EQ(fir->entries[0].seqNr, 7);
  EXPECT_FALSE(parsePli(view(buf, 20)));
  buf[3] = 3;  // length 16: half an FCI entry
  EXPECT_FALSE(parseFir(view(buf, 16)));
}

TEST(Remb, Parses) {  // draft-alvestrand-rmcat-remb-03 §2.2
  // exp 3, mantissa 0x2_0000 + 0x1234 -> (0x21234 << 3) bps, 2 SSRCs.
  const std::array<uint8_t, 28> b = {
      0x8F, 206,          0,    6,    0, 0, 0, 9, 0, 0, 0, 0, 'R', 'E', 'M', 'B',
      2,    (3 << 2) | 2, 0x12, 0x34, 0, 0, 0, 1, 0, 0, 0, 2};
  auto remb = parseRemb(view(b, b.size()));
  ASSERT_TRUE(remb);
  EXPECT_EQ(remb->senderSsrc, 9u);
  EXPECT_EQ(remb->bitrateBps, uint64_t{0x21234} << 3);
  ASSERT_EQ(remb->ssrcs.size(), 2u);
  EXPECT_EQ(remb->ssrcs[1], 2u);
  auto bad = b;
  bad[12] = 'X';
  EXPECT_FALSE(parseRemb(view(bad, bad.size())));
  auto tooMany = b;
  tooMany[16] = 3;
  EXPECT_FALSE(parseRemb(view(tooMany, tooMany.size())));
  auto huge = b;
  huge[17] = 63 << 2;
  EXPECT_EQ(parseRemb(view(huge, huge.size()))->bitrateBps, UINT64_MAX);
}

}  // namespace
}  // namespace rc::rtcp
