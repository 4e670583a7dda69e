#include <gtest/gtest.h>

#include <array>
#include <vector>

#include "engine/rtcp/rtcp.h"

namespace rc::rtcp {
namespace {

using Bytes = std::vector<uint8_t>;

Bytes compoundSrSdes() {
  std::array<uint8_t, 256> buf{};
  SenderReport sr;
  sr.ssrc = 0x11111111;
  size_t n = writeSenderReport(buf, sr);
  n += writeSdesCname(std::span<uint8_t>(buf).subspan(n), 0x11111111, "cname-x");
  return Bytes(buf.begin(), buf.begin() + static_cast<std::ptrdiff_t>(n));
}

TEST(CompoundReader, WalksPackets) {
  const Bytes b = compoundSrSdes();
  CompoundReader r(b);
  auto first = r.next();
  ASSERT_TRUE(first);
  EXPECT_EQ(first->version, 2);
  EXPECT_EQ(first->packetType, kSenderReport);
  EXPECT_EQ(first->countOrFmt, 0);
  EXPECT_EQ(first->lengthWords, 6);
  EXPECT_EQ(first->packet.size(), 28u);
  EXPECT_EQ(first->body.size(), 24u);
  auto second = r.next();
  ASSERT_TRUE(second);
  EXPECT_EQ(second->packetType, kSdes);
  EXPECT_FALSE(r.next());
  EXPECT_FALSE(r.malformed());
}

TEST(CompoundReader, ReducedSizeSinglePacket) {  // RFC 5506: a lone PLI is fine
  std::array<uint8_t, 12> buf{};
  ASSERT_EQ(writePli(buf, 1, 2), 12u);
  CompoundReader r(buf);
  auto v = r.next();
  ASSERT_TRUE(v);
  EXPECT_TRUE(parsePli(*v));
  EXPECT_FALSE(r.next());
  EXPECT_FALSE(r.malformed());
}

TEST(CompoundReader, Padding) {  // RFC 3550 §6.4.1: P bit, last octet = padding count
  std::array<uint8_t, 16> buf{};
  writePli(buf, 1, 2);
  buf[0] |= 0x20;
  buf[3] = 3;  // 16 bytes
  buf[15] = 4;
  auto v = parseRtcpHeader(buf);
  ASSERT_TRUE(v);
  EXPECT_TRUE(v->padding);
  EXPECT_EQ(v->body.size(), 8u);
  EXPECT_TRUE(parsePli(*v));
  buf[15] = 0;
  EXPECT_FALSE(parseRtcpHeader(buf));
  buf[15] = 13;  // more than the body
  EXPECT_FALSE(parseRtcpHeader(buf));
}

TEST(CompoundReader, RejectsMalformed) {
  Bytes b = compoundSrSdes();
  {
    Bytes truncated(b.begin(), b.end() - 1);
    CompoundReader r(truncated);
    EXPECT_TRUE(r.next());
    EXPECT_FALSE(r.next());
    EXPECT_TRUE(r.malformed());
  }
  {
    Bytes badLength = b;
    badLength[3] = 200;  // length beyond the buffer
    CompoundReader r(badLength);
    EXPECT_FALSE(r.next());
    EXPECT_TRUE(r.malformed());
  }
  {
    Bytes wrongVersion = b;
    wrongVersion[0] = 0x40;
    CompoundReader r(wrongVersion);
    EXPECT_FALSE(r.next());
    EXPECT_TRUE(r.malformed());
  }
  {
    Bytes tail = b;
    tail.push_back(0x80);  // 1 stray byte
    CompoundReader r(tail);
    while (r.next()) {
    }
    EXPECT_TRUE(r.malformed());
  }
  CompoundReader empty({});
  EXPECT_FALSE(empty.next());
  EXPECT_FALSE(empty.malformed());
}

}  // namespace
}  // namespace rc::rtcp
