#include <gtest/gtest.h>

#include <array>

#include "engine/rtcp/rtcp.h"

namespace rc::rtcp {
namespace {

RtcpPacketView view(std::span<const uint8_t> b, size_t n) {
  auto v = parseRtcpHeader(b.first(n));
  EXPECT_TRUE(v);
  return *v;
}

ReportBlock block(uint32_t ssrc, int32_t lost) {
  ReportBlock b;
  b.ssrc = ssrc;
  b.fractionLost = 25;
  b.cumulativeLost = lost;
  b.extendedHighestSeq = 0x00010005;
  b.jitter = 77;
  b.lastSr = compactNtp(0x12345678, 0x9ABCDEF0);
  b.delaySinceLastSr = 65536;
  return b;
}

TEST(Reports, SenderReportRoundTrip) {  // RFC 3550 §6.4.1
  SenderReport sr;
  sr.ssrc = 0xCAFEBABE;
  sr.ntpSec = 0xE0000001;
  sr.ntpFrac = 0x80000000;
  sr.rtpTs = 123456789;
  sr.packetCount = 1000;
  sr.octetCount = 1'200'000;
  sr.reports.push_back(block(1, 5));
  sr.reports.push_back(block(2, -3));
  std::array<uint8_t, 128> buf{};
  const size_t n = writeSenderReport(buf, sr);
  ASSERT_EQ(n, 28u + 48);
  EXPECT_EQ(writeSenderReport(std::span<uint8_t>(buf.data(), n - 1), sr), 0u);
  auto back = parseSenderReport(view(buf, n));
  ASSERT_TRUE(back);
  EXPECT_EQ(back->ssrc, sr.ssrc);
  EXPECT_EQ(back->ntpSec, sr.ntpSec);
  EXPECT_EQ(back->ntpFrac, sr.ntpFrac);
  EXPECT_EQ(back->rtpTs, sr.rtpTs);
  EXPECT_EQ(back->packetCount, 1000u);
  EXPECT_EQ(back->octetCount, 1'200'000u);
  ASSERT_EQ(back->reports.size(), 2u);
  EXPECT_EQ(back->reports[0].cumulativeLost, 5);
  EXPECT_EQ(back->reports[1].cumulativeLost, -3);
  EXPECT_EQ(back->reports[1].ssrc, 2u);
  EXPECT_EQ(back->reports[0].fractionLost, 25);
  EXPECT_EQ(back->reports[0].extendedHighestSeq, 0x00010005u);
  EXPECT_EQ(back->reports[0].jitter, 77u);
  EXPECT_EQ(back->reports[0].lastSr, 0x56789ABCu);
  EXPECT_EQ(back->reports[0].delaySinceLastSr, 65536u);
  EXPECT_FALSE(parseReceiverReport(view(buf, n)));
}

TEST(Reports, ReceiverReportRoundTrip) {  // RFC 3550 §6.4.2
  ReceiverReport rr;
  rr.ssrc = 9;
  std::array<uint8_t, 64> buf{};
  size_t n = writeReceiverReport(buf, rr);
  ASSERT_EQ(n, 8u);  // empty RR is legal
  auto empty = parseReceiverReport(view(buf, n));
  ASSERT_TRUE(empty);
  EXPECT_EQ(empty->ssrc, 9u);
  EXPECT_TRUE(empty->reports.empty());
  rr.reports.push_back(block(77, 0x7FFFFF + 10));  // clamped to 24 bits
  n = writeReceiverReport(buf, rr);
  auto back = parseReceiverReport(view(buf, n));
  ASSERT_TRUE(back);
  ASSERT_EQ(back->reports.size(), 1u);
  EXPECT_EQ(back->reports[0].ssrc, 77u);
  EXPECT_EQ(back->reports[0].cumulativeLost, 0x7FFFFF);
}

TEST(Reports, RejectsMissingBlocks) {
  ReceiverReport rr;
  rr.reports.push_back(block(1, 1));
  std::array<uint8_t, 64> buf{};
  const size_t n = writeReceiverReport(buf, rr);
  buf[0] = 0x82;  // claims 2 blocks
  EXPECT_FALSE(parseReceiverReport(view(buf, n)));
  std::array<uint8_t, 8> shortSr = {0x80, 200, 0, 1, 0, 0, 0, 1};
  EXPECT_FALSE(parseSenderReport(view(shortSr, 8)));
}

TEST(Reports, RewriteSenderReportInPlace) {
  SenderReport sr;
  sr.ssrc = 1;
  sr.rtpTs = 0xFFFFFFF0;
  sr.packetCount = 5;
  sr.octetCount = 6;
  sr.reports.push_back(block(3, 1));
  std::array<uint8_t, 64> buf{};
  const size_t n = writeSenderReport(buf, sr);
  ASSERT_TRUE(rewriteSenderReportInPlace(std::span<uint8_t>(buf.data(), n), 0xABCD, 0x20, 50, 60));
  auto back = parseSenderReport(view(buf, n));
  ASSERT_TRUE(back);
  EXPECT_EQ(back->ssrc, 0xABCDu);
  EXPECT_EQ(back->rtpTs, 0x10u);  // wraps
  EXPECT_EQ(back->packetCount, 50u);
  EXPECT_EQ(back->octetCount, 60u);
  EXPECT_EQ(back->reports.size(), 1u);
  std::array<uint8_t, 12> pli{};
  writePli(pli, 1, 2);
  EXPECT_FALSE(rewriteSenderReportInPlace(pli, 1, 1, 1, 1));
}

TEST(Sdes, CnameRoundTrip) {  // RFC 3550 §6.5
  std::array<uint8_t, 300> buf{};
  for (std::string_view cname : {"a", "ab", "abc", "abcd", "user@host-1234"}) {
    const size_t n = writeSdesCname(buf, 0x1234, cname);
    ASSERT_GT(n, 0u);
    EXPECT_EQ(n % 4, 0u);
    auto sdes = parseSdes(view(buf, n));
    ASSERT_TRUE(sdes);
    ASSERT_EQ(sdes->chunks.size(), 1u);
    EXPECT_EQ(sdes->chunks[0].ssrc, 0x1234u);
    EXPECT_EQ(sdes->chunks[0].cname, cname);
  }
  EXPECT_EQ(writeSdesCname(buf, 1, ""), 0u);
  EXPECT_EQ(writeSdesCname(std::span<uint8_t>(buf.data(), 12), 1, "abcd"), 0u);
}

TEST(Sdes, RejectsUnterminatedChunk) {
  std::array<uint8_t, 12> b = {0x81, 202, 0, 2, 0, 0, 0, 1, 1, 2, 'x', 'y'};  // no END octet
  EXPECT_FALSE(parseSdes(view(b, 12)));
}

TEST(Bye, RoundTrip) {  // RFC 3550 §6.6
  std::array<uint8_t, 64> buf{};
  const uint32_t ssrcs[] = {1, 2};
  size_t n = writeBye(buf, ssrcs, "bye now");
  ASSERT_EQ(n, 4u + 8 + 8);
  auto bye = parseBye(view(buf, n));
  ASSERT_TRUE(bye);
  ASSERT_EQ(bye->ssrcs.size(), 2u);
  EXPECT_EQ(bye->ssrcs[1], 2u);
  EXPECT_EQ(bye->reason, "bye now");
  n = writeBye(buf, std::span<const uint32_t>(ssrcs, 1));
  bye = parseBye(view(buf, n));
  ASSERT_TRUE(bye);
  EXPECT_EQ(bye->ssrcs.size(), 1u);
  EXPECT_TRUE(bye->reason.empty());
  buf[0] = 0x83;  // claims 3 SSRCs in 1 word
  EXPECT_FALSE(parseBye(view(buf, n)));
}

}  // namespace
}  // namespace rc::rtcp
