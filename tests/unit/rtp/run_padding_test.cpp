#include "engine/rtp/run_padding.h"

#include <gtest/gtest.h>

#include <array>
#include <vector>

#include "engine/rtp/rtp_packet.h"

namespace rc::rtp {
namespace {

std::vector<uint16_t> plan(const std::vector<RunPaddingInput>& in) {
  std::vector<uint16_t> out(in.size());
  planRunPadding(in, out);
  return out;
}

std::vector<RunPaddingInput> sized(std::initializer_list<uint16_t> sizes, uint16_t shape = 0) {
  std::vector<RunPaddingInput> in;
  for (uint16_t s : sizes) in.push_back({s, shape});
  return in;
}

TEST(RunPadding, AboutEqualSplitBecomesOneRun) {
  // libwebrtc's split: the last packets are one byte larger.
  EXPECT_EQ(plan(sized({1000, 1000, 1001, 1001})), (std::vector<uint16_t>{1001, 1001, 1001, 1001}));
  // A larger remainder on the last packet (our load generator's split).
  EXPECT_EQ(plan(sized({1150, 1150, 1150, 1170})), (std::vector<uint16_t>{1170, 1170, 1170, 1170}));
}

TEST(RunPadding, TheShortLastPacketIsLeftAlone) {
  EXPECT_EQ(plan(sized({1200, 1200, 300})), (std::vector<uint16_t>{1200, 1200, 300}));
  EXPECT_EQ(plan(sized({1190, 1200, 300})), (std::vector<uint16_t>{1200, 1200, 300}));
}

TEST(RunPadding, NothingIsPaddedBeyondTheLimit) {
  const uint16_t far = 1000 + kMaxRunPadding + 1;
  EXPECT_EQ(plan(sized({1000, far})), (std::vector<uint16_t>{1000, far}));
  // A packet far smaller than the run ends it; the next frame starts a new group.
  EXPECT_EQ(plan(sized({1200, 1199, 400, 1100, 1101})),
            (std::vector<uint16_t>{1200, 1200, 400, 1101, 1101}));
  EXPECT_EQ(plan(sized({1000, 1000 + kMaxRunPadding})),
            (std::vector<uint16_t>{1000 + kMaxRunPadding, 1000 + kMaxRunPadding}));
}

TEST(RunPadding, HeaderShapesNeverShareARun) {
  std::vector<RunPaddingInput> in{{1000, 1}, {1001, 2}, {1001, 2}};
  EXPECT_EQ(plan(in), (std::vector<uint16_t>{1000, 1001, 1001}));
}

TEST(RunPadding, GroupsAreBounded) {
  std::vector<RunPaddingInput> in(kMaxPaddedRun + 2, RunPaddingInput{1000, 0});
  in.back().payloadSize = 1001;
  in[kMaxPaddedRun].payloadSize = 1001;
  auto out = plan(in);
  // The first group ends before the larger packet at index kMaxPaddedRun; nothing in it grows.
  for (size_t i = 0; i < kMaxPaddedRun; ++i) EXPECT_EQ(out[i], 1000) << i;
  EXPECT_EQ(out[kMaxPaddedRun], 1001);
  EXPECT_EQ(out[kMaxPaddedRun + 1], 1001);
}

TEST(RunPadding, EmptyAndSingle) {
  EXPECT_TRUE(plan({}).empty());
  EXPECT_EQ(plan(sized({77})), (std::vector<uint16_t>{77}));
}

TEST(RunPadding, AppendedPaddingParsesBack) {  // RFC 3550 §5.1
  std::array<uint8_t, 64> buf{};
  size_t n = writeHeader(buf, RtpHeaderFields{false, 96, 7, 9000, 0x1234}, {});
  for (uint8_t b : {1, 2, 3}) buf[n++] = b;
  for (size_t bytes : {size_t{1}, size_t{5}}) {
    std::array<uint8_t, 64> copy = buf;
    size_t padded = appendRtpPadding(copy, n, bytes);
    ASSERT_EQ(padded, n + bytes);
    auto pkt = RtpPacket::parse(std::span<const uint8_t>(copy.data(), padded));
    ASSERT_TRUE(pkt) << bytes;
    EXPECT_EQ(pkt->paddingSize(), bytes);
    ASSERT_EQ(pkt->payload().size(), 3u);
    EXPECT_EQ(pkt->payload()[2], 3);
  }
}

}  // namespace
}  // namespace rc::rtp
