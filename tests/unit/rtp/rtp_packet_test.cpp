#include "engine/rtp/rtp_packet.h"

#include <gtest/gtest.h>

#include <array>
#include <map>
#include <vector>

namespace rc::rtp {
namespace {

using Bytes = std::vector<uint8_t>;

// V=2, PT 96, seq 0x1234, ts 0xDEADBEEF, SSRC 0x01020304.
Bytes fixedHeader(uint8_t b0 = 0x80, uint8_t b1 = 96) {
  return {b0, b1, 0x12, 0x34, 0xDE, 0xAD, 0xBE, 0xEF, 0x01, 0x02, 0x03, 0x04};
}

void append(Bytes& v, std::initializer_list<uint8_t> more) {
  v.insert(v.end(), more);
}

TEST(RtpPacket, ParsesFixedHeader) {
  Bytes b = fixedHeader(0x80, 0x80 | 111);
  append(b, {0xAA, 0xBB});
  auto p = RtpPacket::parse(b);
  ASSERT_TRUE(p);
  EXPECT_TRUE(p->marker());
  EXPECT_EQ(p->payloadType(), 111);
  EXPECT_EQ(p->sequenceNumber(), 0x1234);
  EXPECT_EQ(p->timestamp(), 0xDEADBEEFu);
  EXPECT_EQ(p->ssrc(), 0x01020304u);
  EXPECT_EQ(p->csrcCount(), 0);
  EXPECT_FALSE(p->hasExtension());
  EXPECT_EQ(p->headerSize(), 12u);
  ASSERT_EQ(p->payload().size(), 2u);
  EXPECT_EQ(p->payload()[0], 0xAA);
  EXPECT_EQ(p->paddingSize(), 0u);
  EXPECT_EQ(p->bytes().size(), 14u);
  EXPECT_FALSE(p->extension(1));
}

TEST(RtpPacket, Csrcs) {
  Bytes b = fixedHeader(0x82);
  append(b, {0, 0, 0, 7, 0xFF, 0xFF, 0xFF, 0xFF, 0x55});
  auto p = RtpPacket::parse(b);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->csrcCount(), 2);
  EXPECT_EQ(p->csrc(0), 7u);
  EXPECT_EQ(p->csrc(1), 0xFFFFFFFFu);
  EXPECT_EQ(p->csrc(2), 0u);
  EXPECT_EQ(p->headerSize(), 20u);
  EXPECT_EQ(p->payload().size(), 1u);
  b.resize(19);  // CSRC list truncated
  EXPECT_FALSE(RtpPacket::parse(b));
}

TEST(RtpPacket, Padding) {  // RFC 3550 §5.1 P bit
  Bytes b = fixedHeader(0xA0);
  append(b, {1, 2, 3, 0, 0, 3});
  auto p = RtpPacket::parse(b);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->paddingSize(), 3u);
  EXPECT_EQ(p->payload().size(), 3u);
  b.back() = 0;  // zero count
  EXPECT_FALSE(RtpPacket::parse(b));
  b.back() = 7;  // more padding than payload
  EXPECT_FALSE(RtpPacket::parse(b));
  b.back() = 6;  // padding-only packet
  auto q = RtpPacket::parse(b);
  ASSERT_TRUE(q);
  EXPECT_TRUE(q->payload().empty());
}

TEST(RtpPacket, RejectsMalformed) {
  Bytes b = fixedHeader();
  EXPECT_FALSE(RtpPacket::parse(std::span<const uint8_t>(b.data(), 11)));  // truncated
  Bytes v1 = fixedHeader(0x40);
  EXPECT_FALSE(RtpPacket::parse(v1));  // version 1
  Bytes v3 = fixedHeader(0xC0);
  EXPECT_FALSE(RtpPacket::parse(v3));
  Bytes ext = fixedHeader(0x90);
  append(ext, {0xBE, 0xDE, 0x00, 0x02, 0x10, 0xAA, 0, 0});  // claims 8 bytes, has 4
  EXPECT_FALSE(RtpPacket::parse(ext));
  Bytes extHdr = fixedHeader(0x90);
  append(extHdr, {0xBE, 0xDE});  // extension header cut
  EXPECT_FALSE(RtpPacket::parse(extHdr));
}

TEST(RtpPacket, OneByteExtensions) {  // RFC 8285 §4.2
  Bytes b = fixedHeader(0x90);
  // id1 len1 [0x11]; padding byte; id3 len3 [a b c]; id 5 len 2 [x y]; padding to 12 bytes
  append(b, {0xBE, 0xDE, 0x00, 0x03, 0x10, 0x11, 0x00, 0x32, 'a', 'b', 'c', 0x51, 'x', 'y', 0, 0});
  append(b, {0x99});
  auto p = RtpPacket::parse(b);
  ASSERT_TRUE(p);
  EXPECT_TRUE(p->hasOneByteExtensions());
  EXPECT_EQ(p->extensionProfile(), 0xBEDE);
  EXPECT_EQ(p->headerSize(), 28u);
  ASSERT_EQ(p->payload().size(), 1u);
  auto e1 = p->extension(1);
  ASSERT_TRUE(e1);
  EXPECT_EQ(e1->size(), 1u);
  EXPECT_EQ((*e1)[0], 0x11);
  auto e3 = p->extension(3);
  ASSERT_TRUE(e3);
  EXPECT_EQ(e3->size(), 3u);
  EXPECT_EQ((*e3)[2], 'c');
  ASSERT_TRUE(p->extension(5));
  EXPECT_FALSE(p->extension(2));
  std::map<uint8_t, size_t> seen;
  p->forEachExtension([&](uint8_t id, std::span<const uint8_t> v) { seen[id] = v.size(); });
  EXPECT_EQ(seen, (std::map<uint8_t, size_t>{{1, 1}, {3, 3}, {5, 2}}));
}

TEST(RtpPacket, OneByteId15StopsAndOverrunIsIgnored) {
  Bytes b = fixedHeader(0x90);
  append(b, {0xBE, 0xDE, 0x00, 0x01, 0x10, 0x11, 0xF0, 0x22});  // id 15 stops processing
  auto p = RtpPacket::parse(b);
  ASSERT_TRUE(p);
  EXPECT_TRUE(p->extension(1));
  size_t count = 0;
  p->forEachExtension([&](uint8_t, std::span<const uint8_t>) { ++count; });
  EXPECT_EQ(count, 1u);
  Bytes c = fixedHeader(0x90);
  append(c, {0xBE, 0xDE, 0x00, 0x01, 0x10, 0x11, 0x23, 0x00});  // id 2 len 3 overruns block
  auto q = RtpPacket::parse(c);
  ASSERT_TRUE(q);
  EXPECT_TRUE(q->extension(1));
  EXPECT_FALSE(q->extension(2));
}

TEST(RtpPacket, TwoByteExtensions) {  // RFC 8285 §4.3
  Bytes b = fixedHeader(0x90);
  // id 1 len 0; padding; id 20 len 3; id 7 len 17 ... keep it simple: 1/0, 20/3
  append(b, {0x10, 0x00, 0x00, 0x02, 0x01, 0x00, 0x00, 0x14, 0x03, 'm', 'i', 'd'});
  auto p = RtpPacket::parse(b);
  ASSERT_TRUE(p);
  EXPECT_TRUE(p->hasTwoByteExtensions());
  auto e1 = p->extension(1);
  ASSERT_TRUE(e1);
  EXPECT_TRUE(e1->empty());
  auto e20 = p->extension(20);
  ASSERT_TRUE(e20);
  EXPECT_EQ(std::string(e20->begin(), e20->end()), "mid");
}

TEST(RtpPacket, UnknownProfileIsOpaque) {
  Bytes b = fixedHeader(0x90);
  append(b, {0x12, 0x34, 0x00, 0x01, 0x10, 0x11, 0, 0});
  auto p = RtpPacket::parse(b);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->extensionProfile(), 0x1234);
  EXPECT_FALSE(p->extension(1));
  EXPECT_EQ(p->extensionBlock().size(), 4u);
}

TEST(RtpPacket, WriteHeaderOneByteRoundTrip) {
  const uint8_t tw[] = {0x01, 0x02};
  const uint8_t ast[] = {0xAA, 0xBB, 0xCC};
  const ExtensionValue exts[] = {{3, tw}, {14, ast}};
  std::array<uint8_t, 64> buf{};
  const RtpHeaderFields h{true, 100, 65535, 0xFFFFFFFF, 42};
  const size_t n = writeHeader(buf, h, exts);
  ASSERT_EQ(n, 12u + 4 + 8);  // 3 + 4 bytes of elements padded to 8
  EXPECT_EQ(headerSizeFor(exts), n);
  auto p = RtpPacket::parse(std::span<const uint8_t>(buf.data(), n));
  ASSERT_TRUE(p);
  EXPECT_TRUE(p->hasOneByteExtensions());
  EXPECT_TRUE(p->marker());
  EXPECT_EQ(p->payloadType(), 100);
  EXPECT_EQ(p->sequenceNumber(), 65535);
  EXPECT_EQ(p->timestamp(), 0xFFFFFFFFu);
  EXPECT_EQ(p->ssrc(), 42u);
  auto v = p->extension(14);
  ASSERT_TRUE(v);
  EXPECT_EQ((*v)[1], 0xBB);
  EXPECT_TRUE(p->payload().empty());
}

TEST(RtpPacket, WriteHeaderFallsBackToTwoByteForm) {
  const uint8_t big[20] = {9};
  const uint8_t small[] = {1};
  std::array<uint8_t, 64> buf{};
  const RtpHeaderFields h{false, 96, 1, 2, 3};
  const ExtensionValue longValue[] = {{1, small}, {2, big}};
  size_t n = writeHeader(buf, h, longValue);
  ASSERT_GT(n, 0u);
  auto p = RtpPacket::parse(std::span<const uint8_t>(buf.data(), n));
  ASSERT_TRUE(p && p->hasTwoByteExtensions());
  EXPECT_EQ(p->extension(2)->size(), 20u);
  EXPECT_EQ(p->extension(1)->size(), 1u);
  const ExtensionValue highId[] = {{200, small}};
  n = writeHeader(buf, h, highId);
  p = RtpPacket::parse(std::span<const uint8_t>(buf.data(), n));
  ASSERT_TRUE(p && p->hasTwoByteExtensions());
  EXPECT_TRUE(p->extension(200));
  const ExtensionValue empty[] = {{4, {}}};
  n = writeHeader(buf, h, empty);
  p = RtpPacket::parse(std::span<const uint8_t>(buf.data(), n));
  ASSERT_TRUE(p && p->hasTwoByteExtensions());
  EXPECT_TRUE(p->extension(4) && p->extension(4)->empty());
}

TEST(RtpPacket, WriteHeaderRejects) {
  std::array<uint8_t, 64> buf{};
  const uint8_t v[] = {1};
  const ExtensionValue idZero[] = {{0, v}};
  const RtpHeaderFields h{false, 96, 1, 2, 3};
  EXPECT_EQ(writeHeader(buf, h, idZero), 0u);
  EXPECT_EQ(writeHeader(std::span<uint8_t>(buf.data(), 11), h, {}), 0u);
  const ExtensionValue ok[] = {{1, v}};
  EXPECT_EQ(writeHeader(std::span<uint8_t>(buf.data(), 19), h, ok), 0u);
  EXPECT_EQ(writeHeader(std::span<uint8_t>(buf.data(), 20), h, ok), 20u);
  EXPECT_EQ(writeHeader(buf, RtpHeaderFields{false, 128, 1, 2, 3}, {}), 0u);
  EXPECT_EQ(writeHeader(buf, h, {}), 12u);
}

TEST(RtpPacket, InPlaceSetters) {
  Bytes b = fixedHeader(0x80, 0x80 | 96);
  setSequenceNumber(b, 7);
  setTimestamp(b, 8);
  setSsrc(b, 9);
  setPayloadType(b, 101);
  auto p = RtpPacket::parse(b);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->sequenceNumber(), 7);
  EXPECT_EQ(p->timestamp(), 8u);
  EXPECT_EQ(p->ssrc(), 9u);
  EXPECT_EQ(p->payloadType(), 101);
  EXPECT_TRUE(p->marker());
  setMarker(b, false);
  EXPECT_FALSE(RtpPacket::parse(b)->marker());
  Bytes tiny(4, 0);
  setSsrc(tiny, 1);  // no-op, no overflow
  EXPECT_EQ(tiny, Bytes(4, 0));
}

TEST(RtpPacket, MutableExtension) {
  const uint8_t tw[] = {0x00, 0x01};
  const ExtensionValue exts[] = {{5, tw}};
  std::array<uint8_t, 32> buf{};
  const size_t n = writeHeader(buf, RtpHeaderFields{false, 96, 1, 2, 3}, exts);
  auto span = mutableExtension(std::span<uint8_t>(buf.data(), n), 5);
  ASSERT_TRUE(span);
  (*span)[1] = 0x42;
  EXPECT_EQ((*RtpPacket::parse(std::span<const uint8_t>(buf.data(), n))->extension(5))[1], 0x42);
  EXPECT_FALSE(mutableExtension(std::span<uint8_t>(buf.data(), n), 6));
}

}  // namespace
}  // namespace rc::rtp

namespace rc::rtp {
namespace {

TEST(RtpPacket, OneByteIdZeroIsPaddingWhateverItsLength) {  // RFC 8285 §4.2, fuzz reproducer
  std::vector<uint8_t> b = {0x90, 96, 0,    1,    0,    0,    0,    1,    0,    0,
                            0,    1,  0xBE, 0xDE, 0x00, 0x01, 0x0F, 0x20, 0xAA, 0x00};
  auto p = RtpPacket::parse(b);
  ASSERT_TRUE(p);
  std::vector<uint8_t> ids;
  p->forEachExtension([&](uint8_t id, std::span<const uint8_t>) { ids.push_back(id); });
  EXPECT_EQ(ids, std::vector<uint8_t>{2});
}

}  // namespace
}  // namespace rc::rtp
