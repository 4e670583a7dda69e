#include "engine/rtp/rtx.h"

#include <gtest/gtest.h>

#include <array>
#include <vector>

namespace rc::rtp {
namespace {

TEST(Rtx, WrapAndUnwrap) {  // RFC 4588 §4
  // Original: one-byte extension (id 1), payload {7,8,9}, 2 bytes of padding.
  std::array<uint8_t, 64> buf{};
  const uint8_t tw[] = {0, 5};
  const ExtensionValue exts[] = {{1, tw}};
  size_t n = writeHeader(buf, RtpHeaderFields{true, 96, 1000, 5555, 0xAAAA}, exts);
  buf[0] |= 0x20;
  for (uint8_t b : {7, 8, 9, 0, 2}) buf[n++] = b;
  auto original = RtpPacket::parse(std::span<const uint8_t>(buf.data(), n));
  ASSERT_TRUE(original);
  ASSERT_EQ(original->payload().size(), 3u);

  std::array<uint8_t, 64> rtxBuf{};
  const size_t rn = writeRtxPacket(rtxBuf, *original, 97, 0xBBBB, 42);
  ASSERT_EQ(rn, original->headerSize() + 2 + 3);
  auto rtx = RtpPacket::parse(std::span<const uint8_t>(rtxBuf.data(), rn));
  ASSERT_TRUE(rtx);
  EXPECT_EQ(rtx->payloadType(), 97);
  EXPECT_EQ(rtx->ssrc(), 0xBBBBu);
  EXPECT_EQ(rtx->sequenceNumber(), 42);
  EXPECT_EQ(rtx->paddingSize(), 0u);
  EXPECT_TRUE(rtx->marker());
  EXPECT_TRUE(rtx->extension(1));

  uint16_t osn = 0;
  std::span<const uint8_t> payload;
  ASSERT_TRUE(unwrapRtx(*rtx, osn, payload));
  EXPECT_EQ(osn, 1000);
  EXPECT_EQ(std::vector<uint8_t>(payload.begin(), payload.end()), (std::vector<uint8_t>{7, 8, 9}));

  std::array<uint8_t, 64> restored{};
  const size_t on = restoreFromRtx(restored, *rtx, 96, 0xAAAA);
  auto back = RtpPacket::parse(std::span<const uint8_t>(restored.data(), on));
  ASSERT_TRUE(back);
  EXPECT_EQ(back->sequenceNumber(), 1000);
  EXPECT_EQ(back->payloadType(), 96);
  EXPECT_EQ(back->ssrc(), 0xAAAAu);
  EXPECT_EQ(back->timestamp(), 5555u);
  EXPECT_EQ(back->payload().size(), 3u);
}

TEST(Rtx, PrefixAndShortPayload) {
  std::array<uint8_t, 2> p{};
  EXPECT_EQ(writeRtxPayloadPrefix(p, 0x0102), 2u);
  EXPECT_EQ(p, (std::array<uint8_t, 2>{1, 2}));
  EXPECT_EQ(writeRtxPayloadPrefix(std::span<uint8_t>(p.data(), 1), 1), 0u);
  std::array<uint8_t, 13> buf{};
  writeHeader(buf, RtpHeaderFields{false, 97, 1, 2, 3}, {});
  auto rtx = RtpPacket::parse(buf);  // 1-byte payload: no OSN
  uint16_t osn = 0;
  std::span<const uint8_t> payload;
  EXPECT_FALSE(unwrapRtx(*rtx, osn, payload));
  std::array<uint8_t, 64> out{};
  EXPECT_EQ(restoreFromRtx(out, *rtx, 96, 1), 0u);
}

}  // namespace
}  // namespace rc::rtp
