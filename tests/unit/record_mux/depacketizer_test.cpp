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

// A publisher that never ends its frame: the unit stops growing at kMaxAccessUnitBytes, is
// counted as malformed and dropped; the next frame still comes through.
struct EndlessFrame {
  MediaCodec codec;
  Bytes first, middle, next;  // the frame's first packet, its endless middle, a whole frame
};

class NeverEndingFrame : public ::testing::TestWithParam<EndlessFrame> {};

TEST_P(NeverEndingFrame, IsBoundedAndDropped) {
  const EndlessFrame& c = GetParam();
  auto d = make(c.codec);
  ASSERT_TRUE(d);
  EXPECT_FALSE(push(*d, c.first, 1000, false));
  size_t pushed = 0;
  for (; pushed < 2 * kMaxAccessUnitBytes; pushed += c.middle.size())
    EXPECT_FALSE(push(*d, c.middle, 1000, false));
  auto end = push(*d, c.middle, 1000, true);
  EXPECT_TRUE(!end || end->bytes.size() <= kMaxAccessUnitBytes);
  EXPECT_GE(d->stats().malformed, 1u) << pushed << " bytes pushed";
  auto next = push(*d, c.next, 4000, true);
  ASSERT_TRUE(next) << "the next frame is assembled again";
  EXPECT_LT(next->bytes.size(), 64u);
}

Bytes filled(Bytes head, size_t n) {
  head.resize(head.size() + n, 0x11);
  return head;
}

INSTANTIATE_TEST_SUITE_P(
    Codecs, NeverEndingFrame,
    ::testing::Values(
        // RFC 7741: S=1 PID=0 starts, then S=0 packets.
        EndlessFrame{MediaCodec::VP8, filled({0x10}, 1000), filled({0x00}, 1000),
                     filled({0x10}, 10)},
        // RFC 6184 §5.8: FU-A start (S=1, IDR), then middle fragments; a single NAL next.
        EndlessFrame{MediaCodec::H264, filled({0x7c, 0x85}, 1000), filled({0x7c, 0x05}, 1000),
                     filled({0x65}, 10)},
        // RFC 9628: B=1 begins the frame, then packets with neither B nor E; B+E next.
        EndlessFrame{MediaCodec::VP9, filled({0x08}, 1000), filled({0x00}, 1000),
                     filled({0x0c}, 10)},
        // AV1 RTP: W=1, Y=1 (the OBU continues), then Z=1 Y=1 continuations; a whole
        // OBU_FRAME_HEADER (type 3, has_size_field=0) with a one-byte payload next.
        EndlessFrame{MediaCodec::AV1, filled({0x50, 0x18}, 1000), filled({0xd0}, 1000),
                     Bytes{0x10, 0x18, 0x00}}),
    [](const auto& info) {
      switch (info.param.codec) {
        case MediaCodec::VP8:
          return std::string("vp8");
        case MediaCodec::H264:
          return std::string("h264");
        case MediaCodec::VP9:
          return std::string("vp9");
        default:
          return std::string("av1");
      }
    });

TEST(Depacketizer, EveryNegotiableCodecHasOne) {
  for (auto c :
       {MediaCodec::Opus, MediaCodec::VP8, MediaCodec::VP9, MediaCodec::H264, MediaCodec::AV1})
    EXPECT_NE(make(c), nullptr);
}

// RFC 9628 §4.2: I|P|L|F|B|E|V|Z. Payload bytes 0x80 / 0x84 are VP9 uncompressed headers of
// a key frame / a non-key frame (frame_marker 2, profile 0, frame_type bit).
TEST(Vp9Depacketizer, AssemblesAFrameFromBToEAndMarker) {
  auto d = make(MediaCodec::VP9);
  EXPECT_FALSE(push(*d, {0x88, 0x81, 0x23, 0x80, 1}, 3000, false));  // I B, 15-bit picture id
  EXPECT_FALSE(push(*d, {0x80, 0x81, 0x23, 2, 3}, 3000, false));
  auto au = push(*d, {0x84, 0x81, 0x23, 4}, 3000, true);  // I E
  ASSERT_TRUE(au);
  EXPECT_EQ(au->bytes, (Bytes{0x80, 1, 2, 3, 4}));
  EXPECT_EQ(au->rtpTimestamp, 3000u);
  EXPECT_TRUE(au->keyframe);
  auto delta = push(*d, {0xcc, 0x24, 0x84, 9}, 6000, true);  // I P B E, 7-bit id
  ASSERT_TRUE(delta);
  EXPECT_FALSE(delta->keyframe);
  auto intraOnly = push(*d, {0x0c, 0x84, 9}, 9000, true);  // P=0 but frame_type = 1
  ASSERT_TRUE(intraOnly);
  EXPECT_FALSE(intraOnly->keyframe) << "an intra-only frame is not a keyframe";
  EXPECT_EQ(d->stats().malformed, 0u);
}

TEST(Vp9Depacketizer, ScalabilityStructureGivesTheSize) {
  auto d = make(MediaCodec::VP9);
  // I B E V; SS: N_S = 2 (three layers), Y, G; 320x180, 640x360, 1280x720; one picture
  // group entry with one P_DIFF.
  Bytes p = {0x8e, 0x05, 0x58, 0x01, 0x40, 0x00, 0xb4, 0x02, 0x80, 0x01,
             0x68, 0x05, 0x00, 0x02, 0xd0, 0x01, 0x04, 0x01, 0x80, 0x07};
  auto au = push(*d, p, 90, true);
  ASSERT_TRUE(au);
  EXPECT_EQ(au->width, 1280);
  EXPECT_EQ(au->height, 720);
  EXPECT_EQ(au->bytes, (Bytes{0x80, 0x07}));
}

// Two spatial layers in flexible mode: one sample with a superframe index (VP9 Annex B).
TEST(Vp9Depacketizer, SpatialLayersBecomeASuperframe) {
  auto d = make(MediaCodec::VP9);
  EXPECT_FALSE(push(*d, {0xbc, 0x01, 0x00, 0x80, 1, 2}, 100, false));  // SID 0, no marker
  auto au = push(*d, {0xbc, 0x01, 0x03, 0x84, 3}, 100, true);          // SID 1, D
  ASSERT_TRUE(au);
  EXPECT_EQ(au->bytes, (Bytes{0x80, 1, 2, 0x84, 3, 0xc1, 3, 2, 0xc1}));
  EXPECT_TRUE(au->keyframe);
  // I P L F B E with one reference (P_DIFF 1, N = 0).
  auto delta = push(*d, {0xfc, 0x02, 0x00, 0x02, 0x84, 4}, 200, true);
  ASSERT_TRUE(delta);
  EXPECT_EQ(delta->bytes, (Bytes{0x84, 4}));
  EXPECT_FALSE(delta->keyframe);
  EXPECT_FALSE(push(*d, {0xbc, 0x03, 0x02, 0x84, 5}, 300, false));  // SID 1
  EXPECT_FALSE(push(*d, {0xbc, 0x03, 0x00, 0x84, 6}, 300, true)) << "layers out of order";
  EXPECT_EQ(d->stats().malformed, 1u);
}

TEST(Vp9Depacketizer, LossDropsThePicture) {
  auto d = make(MediaCodec::VP9);
  EXPECT_FALSE(push(*d, {0x08, 0x80, 1}, 3000, false));
  EXPECT_FALSE(push(*d, {0x04, 3}, 3000, true, /*gap=*/true));
  EXPECT_EQ(d->stats().droppedFrames, 1u);
  EXPECT_FALSE(push(*d, {0x04, 4}, 6000, true)) << "an end without its start";
  EXPECT_FALSE(push(*d, {0x08, 0x80, 1}, 9000, false));
  EXPECT_TRUE(push(*d, {0x0c, 0x84, 1}, 12000, true)) << "the picture at 9000 had no marker";
  EXPECT_EQ(d->stats().droppedFrames, 2u);
  EXPECT_FALSE(push(*d, {0x4c, 0x84, 5}, 15000, true, /*gap=*/true)->keyframe);
}

TEST(Vp9Depacketizer, MalformedDescriptorsAreCounted) {
  auto d = make(MediaCodec::VP9);
  EXPECT_FALSE(push(*d, {}, 1, true));
  EXPECT_FALSE(push(*d, {0x8c}, 2, true)) << "I without picture id";
  EXPECT_FALSE(push(*d, {0x8c, 0x01}, 3, true)) << "no VP9 payload";
  EXPECT_FALSE(push(*d, {0x0e, 0x10, 0x01}, 4, true)) << "SS resolutions cut short";
  EXPECT_FALSE(push(*d, {0x5c, 0x01, 0x03, 0x05, 0x07, 0x84}, 5, true)) << "four P_DIFFs";
  EXPECT_EQ(d->stats().malformed, 5u);
  EXPECT_FALSE(push(*d, {0x08, 0x80, 1}, 6, true)) << "marker without E";
  EXPECT_EQ(d->stats().malformed, 6u);
}

Bytes leb(size_t n) {
  return {static_cast<uint8_t>(n)};
}  // lengths below 128 here

Bytes cat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const auto& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

// OBU headers without size field: sequence header 0x08, frame 0x30, temporal delimiter 0x10.
// A frame payload starting 0x00 is a shown KEY_FRAME, 0x20 an INTER_FRAME.
const Bytes kSeq = {0x08, 0x00, 0x11}, kKey = {0x30, 0x00, 0xaa}, kInter = {0x30, 0x20, 1};

TEST(Av1Depacketizer, AggregatedObusBecomeALowOverheadTemporalUnit) {
  auto d = make(MediaCodec::AV1);
  auto au = push(*d, cat({{0x28}, leb(kSeq.size()), kSeq, kKey}), 3000, true);  // W=2, N
  ASSERT_TRUE(au);
  EXPECT_EQ(au->bytes, (Bytes{0x0a, 2, 0x00, 0x11, 0x32, 2, 0x00, 0xaa}));
  EXPECT_TRUE(au->keyframe);
  Bytes td = {0x10};
  auto inter = push(*d, cat({{0x00}, leb(1), td, leb(3), kInter}), 6000, true);  // W=0
  ASSERT_TRUE(inter);
  EXPECT_EQ(inter->bytes, (Bytes{0x32, 2, 0x20, 1})) << "temporal delimiter dropped";
  EXPECT_FALSE(inter->keyframe);
  auto keyNoSeq = push(*d, cat({{0x10}, kKey}), 9000, true);
  ASSERT_TRUE(keyNoSeq);
  EXPECT_FALSE(keyNoSeq->keyframe) << "no sequence header to start the file with";
}

TEST(Av1Depacketizer, FragmentsAcrossPacketsAndSizeFields) {
  auto d = make(MediaCodec::AV1);
  EXPECT_FALSE(push(*d, {0x50, 0x30, 0x00, 1}, 100, false));  // Y, W=1
  EXPECT_FALSE(push(*d, {0xd0, 2, 3}, 100, false));           // Z Y
  auto au = push(*d, {0x90, 4}, 100, true);                   // Z
  ASSERT_TRUE(au);
  EXPECT_EQ(au->bytes, (Bytes{0x32, 5, 0x00, 1, 2, 3, 4}));
  // An OBU that already has its size field, and one with an extension header.
  auto sized = push(*d, {0x20, 4, 0x32, 2, 0x20, 9, 0x34, 0x08, 0x20, 7}, 200, true);
  ASSERT_TRUE(sized);
  EXPECT_EQ(sized->bytes, (Bytes{0x32, 2, 0x20, 9, 0x36, 0x08, 2, 0x20, 7}));
}

TEST(Av1Depacketizer, LossDropsTheTemporalUnit) {
  auto d = make(MediaCodec::AV1);
  EXPECT_FALSE(push(*d, {0x50, 0x30, 0x00, 1}, 100, false));
  EXPECT_FALSE(push(*d, {0x90, 4}, 100, true, /*gap=*/true));
  EXPECT_FALSE(push(*d, {0x90, 4}, 200, true, /*gap=*/true)) << "continuation of a lost OBU";
  EXPECT_FALSE(push(*d, {0x10, 0x30, 0x20}, 300, false));
  EXPECT_TRUE(push(*d, {0x10, 0x30, 0x20}, 400, true)) << "a new timestamp starts a new unit";
  EXPECT_EQ(d->stats().droppedFrames, 3u);
  EXPECT_EQ(d->stats().malformed, 0u) << "losses are not malformed input";
}

TEST(Av1Depacketizer, MalformedPayloadsAreCounted) {
  auto d = make(MediaCodec::AV1);
  EXPECT_FALSE(push(*d, {0x10}, 1, true)) << "aggregation header only";
  EXPECT_FALSE(push(*d, {0x20, 9, 0x30, 0x00}, 2, true)) << "length past the payload";
  EXPECT_FALSE(push(*d, {0x10, 0xb0, 0x00}, 3, true)) << "obu_forbidden_bit";
  EXPECT_FALSE(push(*d, {0x90, 0x30, 0x00}, 4, true)) << "Z without a fragment";
  EXPECT_FALSE(push(*d, {0x10, 0x32, 5, 0x00}, 5, true)) << "size field past the element";
  EXPECT_FALSE(push(*d, {0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01}, 6, true));
  EXPECT_FALSE(push(*d, {0x50, 0x30, 0x00}, 7, true)) << "Y on the last packet";
  EXPECT_EQ(d->stats().malformed, 6u);
  EXPECT_EQ(d->stats().droppedFrames, 7u);
}

}  // namespace
}  // namespace rc::record
