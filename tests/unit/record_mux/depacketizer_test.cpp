#include "record/mux/depacketizer.h"

#include <gtest/gtest.h>

#include <vector>

namespace rc::record {
namespace {

using Bytes = std::vector<uint8_t>;

std::unique_ptr<Depacketizer> make(MediaCodec codec, uint8_t redPt = 0) {
  TrackSpec spec;
  spec.codec = codec;
  spec.redPayloadType = redPt;
  return makeDepacketizer(spec);
}

std::optional<AccessUnit> push(Depacketizer& d, const Bytes& p, uint32_t ts, bool marker,
                               bool gap = false) {
  return d.push(p, ts, marker, gap);
}

Bytes annexB(std::initializer_list<Bytes> nals) {
  Bytes out;
  for (const auto& n : nals) {
    out.insert(out.end(), {0, 0, 0, 1});
    out.insert(out.end(), n.begin(), n.end());
  }
  return out;
}

TEST(OpusDepacketizer, EveryPayloadIsAFrame) {
  auto d = make(MediaCodec::Opus);
  auto au = push(*d, {0xfc, 1, 2}, 960, false);
  ASSERT_TRUE(au);
  EXPECT_EQ(au->bytes, (Bytes{0xfc, 1, 2}));
  EXPECT_EQ(au->rtpTimestamp, 960u);
  EXPECT_TRUE(au->keyframe);
  EXPECT_FALSE(push(*d, {}, 1920, false)) << "an empty payload carries no frame";
}

TEST(OpusDepacketizer, RedYieldsThePrimaryBlock) {
  auto d = make(MediaCodec::Opus, 63);
  // One redundant block of 2 bytes (F=1, PT 111, offset 960, length 2), then the primary.
  Bytes red = {0x80 | 111, 0x0f, 0x00, 0x02, 111, 0xaa, 0xbb, 0xcc, 0xdd};
  auto au = push(*d, red, 1920, true);
  ASSERT_TRUE(au);
  EXPECT_EQ(au->bytes, (Bytes{0xcc, 0xdd}));
  EXPECT_FALSE(push(*d, {0x80 | 111, 0x0f, 0x00, 0x09, 111, 1}, 2880, true)) << "too short";
  EXPECT_FALSE(push(*d, {0x80 | 111, 0x0f}, 2880, true)) << "truncated header";
  EXPECT_EQ(d->stats().malformed, 2u);
}

// RFC 7741 §4.2 descriptors: first packet S=1 PID=0, then continuation packets.
TEST(Vp8Depacketizer, AssemblesAFrameUpToTheMarker) {
  auto d = make(MediaCodec::VP8);
  EXPECT_FALSE(push(*d, {0x10, 0x00, 1, 2}, 3000, false));  // key frame (P bit 0)
  EXPECT_FALSE(push(*d, {0x00, 3, 4}, 3000, false));
  auto au = push(*d, {0x00, 5}, 3000, true);
  ASSERT_TRUE(au);
  EXPECT_EQ(au->bytes, (Bytes{0x00, 1, 2, 3, 4, 5}));
  EXPECT_TRUE(au->keyframe);
  auto delta = push(*d, {0x10, 0x01, 9}, 6000, true);
  ASSERT_TRUE(delta);
  EXPECT_FALSE(delta->keyframe);
}

TEST(Vp8Depacketizer, ExtendedDescriptorIsSkipped) {
  auto d = make(MediaCodec::VP8);
  // X=1 S=1; I L T K all set; 15-bit PictureID (M=1).
  auto au = push(*d, {0x90, 0xf0, 0x80 | 0x12, 0x34, 0x07, 0x40, 0x00, 7}, 90, true);
  ASSERT_TRUE(au);
  EXPECT_EQ(au->bytes, (Bytes{0x00, 7}));
  EXPECT_FALSE(push(*d, {0x90, 0xf0, 0x80}, 180, true)) << "descriptor runs past the payload";
  EXPECT_EQ(d->stats().malformed, 1u);
}

TEST(Vp8Depacketizer, GapDropsTheFrameAndWaitsForTheNextStart) {
  auto d = make(MediaCodec::VP8);
  EXPECT_FALSE(push(*d, {0x10, 0x00, 1}, 3000, false));
  EXPECT_FALSE(push(*d, {0x00, 3}, 3000, true, /*gap=*/true));
  EXPECT_EQ(d->stats().droppedFrames, 1u);
  EXPECT_FALSE(push(*d, {0x00, 4}, 6000, true)) << "no start seen";
  EXPECT_TRUE(push(*d, {0x10, 0x01, 5}, 9000, true, /*gap=*/true)) << "a start after a gap";
}

TEST(H264Depacketizer, SingleNalAndStapA) {
  auto d = make(MediaCodec::H264);
  Bytes sps = {0x67, 0x42, 0x00}, pps = {0x68, 0xce}, idr = {0x65, 0x88, 0x80};
  Bytes stap = {0x78, 0, 3, 0x67, 0x42, 0x00, 0, 2, 0x68, 0xce};
  EXPECT_FALSE(push(*d, stap, 100, false));
  auto au = push(*d, idr, 100, true);
  ASSERT_TRUE(au);
  EXPECT_EQ(au->bytes, annexB({sps, pps, idr}));
  EXPECT_TRUE(au->keyframe);
  auto p = push(*d, {0x41, 0x9a}, 200, true);
  ASSERT_TRUE(p);
  EXPECT_FALSE(p->keyframe);
}

TEST(H264Depacketizer, FuAReassembles) {
  auto d = make(MediaCodec::H264);
  // FU indicator NRI=3 type 28; FU header S/E with type 5 (IDR).
  EXPECT_FALSE(push(*d, {0x7c, 0x85, 1, 2}, 100, false));
  EXPECT_FALSE(push(*d, {0x7c, 0x05, 3}, 100, false));
  auto au = push(*d, {0x7c, 0x45, 4}, 100, true);
  ASSERT_TRUE(au);
  EXPECT_EQ(au->bytes, annexB({{0x65, 1, 2, 3, 4}}));
  EXPECT_TRUE(au->keyframe);
}

TEST(H264Depacketizer, BrokenUnitsAreNotWritten) {
  auto d = make(MediaCodec::H264);
  EXPECT_FALSE(push(*d, {0x7c, 0x05, 3}, 100, true)) << "FU-A middle without its start";
  EXPECT_FALSE(push(*d, {0x78, 0, 9, 0x67}, 200, true)) << "STAP-A size past the end";
  EXPECT_FALSE(push(*d, {0xe5, 1}, 300, true)) << "forbidden bit";
  EXPECT_FALSE(push(*d, {0x65, 1}, 400, true, /*gap=*/true)) << "after a loss";
  EXPECT_TRUE(push(*d, {0x65, 1}, 500, true));
  EXPECT_EQ(d->stats().droppedFrames, 4u);
  EXPECT_FALSE(push(*d, {0x7a, 1}, 600, true)) << "STAP-B is not used by WebRTC";
  EXPECT_EQ(d->stats().unsupported, 1u);
}

TEST(H264Depacketizer, NewTimestampWithoutMarkerDropsTheOpenUnit) {
  auto d = make(MediaCodec::H264);
  EXPECT_FALSE(push(*d, {0x65, 1}, 100, false));
  auto au = push(*d, {0x41, 2}, 200, true);
  ASSERT_TRUE(au);
  EXPECT_EQ(au->bytes, annexB({{0x41, 2}}));
  EXPECT_EQ(d->stats().droppedFrames, 1u);
}

TEST(Depacketizer, CodecsNotWrittenYetHaveNone) {
  EXPECT_EQ(make(MediaCodec::VP9), nullptr);
  EXPECT_EQ(make(MediaCodec::AV1), nullptr);
}

}  // namespace
}  // namespace rc::record
