#include "engine/rtp/header_extensions.h"

#include <gtest/gtest.h>

#include <array>

namespace rc::rtp {
namespace {

TEST(AbsSendTime, FixedPointConversion) {
  EXPECT_EQ(absSendTimeFromUs(0), 0u);
  EXPECT_EQ(absSendTimeFromUs(1'000'000), 1u << 18);
  EXPECT_EQ(absSendTimeFromUs(500'000), 1u << 17);
  EXPECT_EQ(absSendTimeFromUs(64'000'000), 0u);  // wraps every 64 s
  EXPECT_EQ(absSendTimeFromUs(65'500'000), (1u << 18) + (1u << 17));
  EXPECT_EQ(absSendTimeToUs(1u << 18), 1'000'000);
  for (int64_t us : {int64_t{0}, int64_t{3}, int64_t{123'456}, int64_t{63'999'000}}) {
    EXPECT_NEAR(absSendTimeToUs(absSendTimeFromUs(us)) % 64'000'000, us % 64'000'000, 4);
  }
  EXPECT_EQ(absSendTimeFromUs(-5), 0u);
  // Huge clock values do not overflow.
  EXPECT_LT(absSendTimeFromUs(INT64_MAX), 1u << 24);
}

TEST(AbsSendTime, DeltaAcrossWrap) {
  const uint32_t before = absSendTimeFromUs(63'900'000);
  const uint32_t after = absSendTimeFromUs(64'100'000);
  EXPECT_NEAR(absSendTimeDeltaUs(after, before), 200'000, 8);
  EXPECT_NEAR(absSendTimeDeltaUs(before, after), -200'000, 8);
}

TEST(AbsSendTime, ReadWrite) {
  std::array<uint8_t, 3> buf{};
  EXPECT_EQ(writeAbsSendTime(buf, 0x123456), 3u);
  EXPECT_EQ(buf, (std::array<uint8_t, 3>{0x12, 0x34, 0x56}));
  EXPECT_EQ(parseAbsSendTime(buf), 0x123456u);
  EXPECT_FALSE(parseAbsSendTime(std::span<const uint8_t>(buf.data(), 2)));
  EXPECT_EQ(writeAbsSendTime(std::span<uint8_t>(buf.data(), 2), 1), 0u);
}

TEST(TransportSequence, ReadWrite) {
  std::array<uint8_t, 2> buf{};
  EXPECT_EQ(writeTransportSequence(buf, 0xBEEF), 2u);
  EXPECT_EQ(parseTransportSequence(buf), 0xBEEF);
  EXPECT_FALSE(parseTransportSequence(std::span<const uint8_t>(buf.data(), 1)));
}

TEST(AudioLevel, ReadWrite) {  // RFC 6464 §3
  std::array<uint8_t, 1> buf{};
  EXPECT_EQ(writeAudioLevel(buf, AudioLevel{true, 30}), 1u);
  EXPECT_EQ(buf[0], 0x80 | 30);
  auto a = parseAudioLevel(buf);
  ASSERT_TRUE(a);
  EXPECT_TRUE(a->voiceActivity);
  EXPECT_EQ(a->levelDbov, 30);
  buf[0] = 127;
  EXPECT_FALSE(parseAudioLevel(buf)->voiceActivity);
  EXPECT_FALSE(parseAudioLevel({}));
}

TEST(StringValue, MidAndRid) {
  std::array<uint8_t, 16> buf{};
  EXPECT_EQ(writeStringValue(buf, "q"), 1u);
  EXPECT_EQ(parseStringValue(std::span<const uint8_t>(buf.data(), 1)), "q");
  const uint8_t padded[] = {'h', 'i', 0, 0};
  EXPECT_EQ(parseStringValue(padded), "hi");
  const uint8_t zeros[] = {0, 0};
  EXPECT_FALSE(parseStringValue(zeros));
  EXPECT_EQ(writeStringValue(buf, ""), 0u);
  EXPECT_EQ(writeStringValue(std::span<uint8_t>(buf.data(), 2), "abc"), 0u);
}

}  // namespace
}  // namespace rc::rtp
