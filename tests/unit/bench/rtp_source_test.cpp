#include "bench/loadgen/rtp_source.h"

#include <gtest/gtest.h>

#include <vector>

namespace rc::bench {
namespace {

struct Frame {
  std::vector<std::vector<uint8_t>> packets;
};

Frame nextFrame(VideoSource& v, uint64_t now) {
  std::vector<uint8_t> storage(64 * 1500);
  std::vector<PacketSlot> slots;
  for (size_t i = 0; i < 64; ++i) slots.push_back({storage.data() + i * 1500, 1500});
  size_t n = v.nextFrame(slots, now);
  Frame f;
  for (size_t i = 0; i < n; ++i)
    f.packets.emplace_back(slots[i].data, slots[i].data + slots[i].length);
  return f;
}

TEST(VideoSource, AverageBitrateAndKeyframeEveryTwoSeconds) {
  VideoSource v(0x1234, 96, 1200, 7);
  size_t bytes = 0;
  std::vector<size_t> frameBytes;
  for (int i = 0; i < 120; ++i) {
    Frame f = nextFrame(v, 1000);
    size_t size = 0;
    for (const auto& p : f.packets) size += p.size() - kRtpHeaderSize - 4;
    frameBytes.push_back(size);
    bytes += size;
  }
  double kbps = static_cast<double>(bytes) * 8 / 4.0 / 1000;  // 120 frames = 4 s
  EXPECT_NEAR(kbps, 1200, 120);
  EXPECT_EQ(v.keyframes(), 2u);
  EXPECT_GT(frameBytes[0], 3 * frameBytes[1]);
  EXPECT_GT(frameBytes[60], 3 * frameBytes[61]);
}

TEST(VideoSource, PacketsAreBoundedMarkedAndDescribed) {
  VideoSource v(0x1234, 96, 1200, 7);
  Frame key = nextFrame(v, 42);
  ASSERT_GT(key.packets.size(), 3u);
  for (size_t i = 0; i < key.packets.size(); ++i) {
    const auto& p = key.packets[i];
    EXPECT_LE(p.size() - kRtpHeaderSize, kMaxRtpPayload);
    EXPECT_EQ(p[0], 0x80);
    EXPECT_EQ((p[1] & 0x80) != 0, i + 1 == key.packets.size()) << "marker on the last only";
    EXPECT_EQ((p[kRtpHeaderSize] & 0x10) != 0, i == 0) << "VP8 S bit on the first only";
    uint64_t stamp = 0;
    for (int b = 0; b < 8; ++b) stamp = stamp << 8 | p[kRtpHeaderSize + kSendTimeOffset + b];
    EXPECT_EQ(stamp, 42u);
  }
  // RFC 6386 §9.1: key frame bit 0, then the start code.
  const uint8_t* vp8 = key.packets[0].data() + kRtpHeaderSize + 4;
  EXPECT_EQ(vp8[0] & 1, 0);
  EXPECT_EQ(vp8[3], 0x9d);
  Frame delta = nextFrame(v, 43);
  EXPECT_EQ(delta.packets[0][kRtpHeaderSize + 4] & 1, 1);
}

TEST(AudioSource, OpusSizesAndSequence) {
  AudioSource a(0x99, 111, 3);
  std::vector<uint8_t> buf(1500);
  uint16_t lastSeq = 0;
  for (int i = 0; i < 50; ++i) {
    PacketSlot slot{buf.data(), buf.size()};
    size_t len = a.nextPacket(slot, 5);
    ASSERT_GE(len, kRtpHeaderSize + 80);
    ASSERT_LE(len, kRtpHeaderSize + 120);
    uint16_t seq = static_cast<uint16_t>(buf[2] << 8 | buf[3]);
    if (i > 0) EXPECT_EQ(seq, static_cast<uint16_t>(lastSeq + 1));
    lastSeq = seq;
  }
}

}  // namespace
}  // namespace rc::bench
