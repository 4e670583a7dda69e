// writeForwardedRtp with run padding (engine/worker/forward_packet.h, engine/rtp/run_padding.h):
// a subscriber's copies of about-equal packets come out the same size, and strip back to the
// publisher's payload.
#include "engine/worker/forward_packet.h"

#include <gtest/gtest.h>

#include <array>
#include <vector>

namespace rc::engine {
namespace {

std::vector<uint8_t> sourcePacket(size_t payload, uint16_t seq) {
  std::vector<uint8_t> p(12 + payload);
  rtp::writeHeader(p, rtp::RtpHeaderFields{false, 96, seq, 9000, 0x1234}, {});
  for (size_t i = 0; i < payload; ++i) p[12 + i] = static_cast<uint8_t>(i * 7 + seq);
  return p;
}

struct Subscriber {
  PublishedTrack source;
  DownTrack down{100, 5000};
  Subscriber() {
    down.source = &source;
    down.ssrc = 0xabcd;
    down.mid = "1";
    down.ext.mid = 1;
  }
  std::array<uint8_t, 1600> slot{};
  size_t write(const std::vector<uint8_t>& data, size_t padTo) {
    auto pkt = rtp::RtpPacket::parse(data);
    auto out = down.rewriter.rewrite(pkt->sequenceNumber(), pkt->timestamp());
    return writeForwardedRtp(down, *pkt, 102, *out, slot, padTo);
  }
};

TEST(ForwardPacket, PaddedCopiesAreEqualSizeAndStripBack) {
  Subscriber s;
  auto small = sourcePacket(1000, 1), large = sourcePacket(1003, 2);
  std::vector<uint16_t> padTo(2);
  const rtp::RunPaddingInput in[] = {{1000, 0}, {1003, 0}};
  rtp::planRunPadding(in, padTo);
  size_t first = s.write(small, padTo[0]);
  auto copy = std::vector<uint8_t>(s.slot.begin(), s.slot.begin() + first);
  size_t second = s.write(large, padTo[1]);
  ASSERT_GT(first, 0u);
  EXPECT_EQ(first, second);
  auto parsed = rtp::RtpPacket::parse(copy);
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->paddingSize(), 3u);
  EXPECT_EQ(parsed->ssrc(), 0xabcdu);
  auto payload = parsed->payload();
  ASSERT_EQ(payload.size(), 1000u);
  EXPECT_TRUE(std::equal(payload.begin(), payload.end(), small.begin() + 12));
}

TEST(ForwardPacket, NoPaddingWhenNotAsked) {
  Subscriber s;
  auto data = sourcePacket(500, 1);
  size_t n = s.write(data, 0);
  auto parsed = rtp::RtpPacket::parse(std::span<const uint8_t>(s.slot.data(), n));
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->paddingSize(), 0u);
  EXPECT_EQ(s.slot[0] & 0x20, 0);
  EXPECT_EQ(parsed->payload().size(), 500u);
}

TEST(ForwardPacket, PaddingThatDoesNotFitIsRefused) {
  Subscriber s;
  auto data = sourcePacket(1540, 1);  // with the trailer and padding, over the 1600-byte slot
  EXPECT_GT(s.write(data, 0), 0u);
  EXPECT_EQ(s.write(data, 1540 + 32), 0u);
}

}  // namespace
}  // namespace rc::engine
