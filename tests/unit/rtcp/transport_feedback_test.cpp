#include <gtest/gtest.h>

#include <array>
#include <map>
#include <vector>

#include "engine/rtcp/rtcp.h"

namespace rc::rtcp {
namespace {

RtcpPacketView view(std::span<const uint8_t> b, size_t n) {
  auto v = parseRtcpHeader(b.first(n));
  EXPECT_TRUE(v);
  return *v;
}

std::vector<TwccPacketStatus> statuses(const TransportFeedback& fb) {
  std::vector<TwccPacketStatus> out;
  fb.forEachPacket([&](const TwccPacketStatus& s) { out.push_back(s); });
  return out;
}

// Hand-made packet with all three chunk kinds (draft-holmer-...-01 §3.1.3, §3.1.4).
const std::array<uint8_t, 36> kHandMade = {
    0x8F, 205,  0,  8,                  // V=2 FMT=15 RTPFB, length 8
    0,    0,    0,  1,  0,   0, 0,  2,  // sender, media SSRC
    0xFF, 0xFE, 0,  20,                 // base seq 65534, status count 20
    0,    0,    16, 5,                  // reference time 16 (1.024 s), fb count 5
    0x20, 0x03,                         // run-length: 3 x small delta (65534, 65535, 0)
    0xAC, 0x01,                         // 1-bit vector: seqs 1..14, received 1, 3, 4, 14
    0xE1, 0x00,                         // 2-bit vector: 15 large, 16 lost, 17 small
    4,    8,    1,  0,  255, 2, 10, 0xFF, 0xD8, 5};

TEST(TransportFeedback, ParsesAllChunkKinds) {
  auto fb = parseTransportFeedback(view(kHandMade, kHandMade.size()));
  ASSERT_TRUE(fb);
  EXPECT_EQ(fb->senderSsrc, 1u);
  EXPECT_EQ(fb->mediaSsrc, 2u);
  EXPECT_EQ(fb->baseSeq, 65534);
  EXPECT_EQ(fb->statusCount, 20);
  EXPECT_EQ(fb->referenceTime, 16);
  EXPECT_EQ(fb->referenceTimeUs(), 1'024'000);
  EXPECT_EQ(fb->fbPktCount, 5);
  const auto s = statuses(*fb);
  ASSERT_EQ(s.size(), 20u);
  std::map<uint16_t, int64_t> got;
  for (const auto& x : s) {
    if (x.received) got[x.seq] = x.arrivalUs;
  }
  const std::map<uint16_t, int64_t> want = {
      {65534, 1'025'000}, {65535, 1'027'000}, {0, 1'027'250},  {1, 1'027'250}, {3, 1'091'000},
      {4, 1'091'500},     {14, 1'094'000},    {15, 1'084'000}, {17, 1'085'250}};
  EXPECT_EQ(got, want);
  EXPECT_EQ(s[17].seq, 15);
  EXPECT_EQ(s[17].deltaTicks, -40);
  EXPECT_EQ(s[17].deltaUs, -10'000);
  EXPECT_EQ(s[18].seq, 16);
  EXPECT_FALSE(s[18].received);
  EXPECT_EQ(s[19].seq, 17);  // statuses past the count (chunk tail) are not reported
}

TEST(TransportFeedback, RejectsMalformed) {
  auto shortDeltas = kHandMade;
  shortDeltas[3] = 7;  // cut the last word: deltas no longer fit
  EXPECT_FALSE(parseTransportFeedback(view(shortDeltas, 32)));
  auto moreStatuses = kHandMade;
  moreStatuses[15] = 25;  // chunks cover only 24 statuses
  EXPECT_FALSE(parseTransportFeedback(view(moreStatuses, moreStatuses.size())));
  auto reserved = kHandMade;
  reserved[20] = 0x60;  // run-length with reserved symbol 3
  EXPECT_FALSE(parseTransportFeedback(view(reserved, reserved.size())));
  auto zero = kHandMade;
  zero[14] = zero[15] = 0;
  EXPECT_FALSE(parseTransportFeedback(view(zero, zero.size())));
  std::array<uint8_t, 16> tiny = {0x8F, 205, 0, 3, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 1};
  EXPECT_FALSE(parseTransportFeedback(view(tiny, tiny.size())));
}

TEST(TransportFeedback, WriterRoundTrip) {
  std::vector<TwccEntry> e;
  for (int i = 0; i < 30; ++i) e.push_back({true, 4});   // run of received
  for (int i = 0; i < 20; ++i) e.push_back({false, 0});  // losses
  e.push_back({true, 4000});                             // large delta (1 s)
  e.push_back({true, -8});                               // reordered
  e.push_back({false, 0});
  e.push_back({true, 1});
  std::array<uint8_t, 256> buf{};
  const TwccHeader h{11, 22, 65520, -3, 200};
  const size_t n = writeTransportFeedback(buf, h, e);
  ASSERT_GT(n, 0u);
  EXPECT_EQ(n % 4, 0u);
  EXPECT_EQ(n, transportFeedbackSize(e));
  auto fb = parseTransportFeedback(view(buf, n));
  ASSERT_TRUE(fb);
  EXPECT_EQ(fb->referenceTime, -3);
  EXPECT_EQ(fb->fbPktCount, 200);
  EXPECT_EQ(fb->statusCount, e.size());
  const auto s = statuses(*fb);
  ASSERT_EQ(s.size(), e.size());
  for (size_t i = 0; i < e.size(); ++i) {
    EXPECT_EQ(s[i].seq, static_cast<uint16_t>(65520 + i));
    EXPECT_EQ(s[i].received, e[i].received) << i;
    if (e[i].received) {
      EXPECT_EQ(s[i].deltaTicks, e[i].deltaTicks) << i;
    }
  }
  const TwccEntry bad[] = {{true, 40000}};
  EXPECT_EQ(writeTransportFeedback(buf, h, bad), 0u);
  EXPECT_EQ(writeTransportFeedback(buf, h, {}), 0u);
  EXPECT_EQ(writeTransportFeedback(std::span<uint8_t>(buf.data(), n - 1), h, e), 0u);
}

// Runs the builder until nothing is pending and returns every reported arrival.
std::map<uint16_t, int64_t> drain(TransportFeedbackBuilder& b, size_t* packets = nullptr,
                                  std::vector<TransportFeedback>* fbs = nullptr) {
  static std::array<uint8_t, 1500> buf;
  std::map<uint16_t, int64_t> got;
  size_t count = 0;
  while (b.hasPending()) {
    const size_t n = b.build(buf, 1, 2);
    EXPECT_GT(n, 0u);
    if (n == 0) break;
    auto fb = parseTransportFeedback(view(buf, n));
    EXPECT_TRUE(fb);
    if (!fb) break;
    fb->forEachPacket([&](const TwccPacketStatus& s) {
      if (s.received) got[s.seq] = s.arrivalUs;
    });
    if (fbs) fbs->push_back(*fb);
    ++count;
  }
  if (packets) *packets = count;
  return got;
}

void expectWithinQuantization(const std::map<uint16_t, int64_t>& got,
                              const std::map<uint16_t, int64_t>& sent) {
  ASSERT_EQ(got.size(), sent.size());
  for (const auto& [seq, arrival] : sent) {
    auto it = got.find(seq);
    ASSERT_NE(it, got.end()) << seq;
    EXPECT_LE(it->second, arrival) << seq;
    EXPECT_GT(it->second, arrival - kTwccDeltaUnitUs) << seq;
  }
}

TEST(TransportFeedbackBuilder, RoundTripWithLossLargeDeltaReorderAndWrap) {
  TransportFeedbackBuilder b;
  std::map<uint16_t, int64_t> sent;
  auto arrive = [&](uint16_t seq, int64_t us) {
    b.onPacket(seq, us);
    sent[seq] = us;
  };
  int64_t t = 5'000'123;
  for (uint16_t s = 65525; s != 3; ++s) arrive(s, t += 1'100);  // run across the wrap
  // 3, 4 lost
  arrive(5, t += 100'000);  // large delta (100 ms)
  arrive(7, t += 900);
  arrive(6, t += 300);  // reordered: negative delta for 7
  arrive(8, t += 70'000'000 / 10'000);
  EXPECT_TRUE(b.hasPending());
  size_t packets = 0;
  std::vector<TransportFeedback> fbs;
  expectWithinQuantization(drain(b, &packets, &fbs), sent);
  ASSERT_EQ(packets, 1u);
  EXPECT_EQ(fbs[0].baseSeq, 65525);
  EXPECT_EQ(fbs[0].statusCount, 65536 - 65525 + 9);
  EXPECT_FALSE(b.hasPending());
  EXPECT_EQ(b.feedbackCount(), 1);
  b.onPacket(4, t + 10);  // older than the last reported base: ignored
  EXPECT_FALSE(b.hasPending());
}

TEST(TransportFeedbackBuilder, DeltaBeyondRangeSplits) {
  TransportFeedbackBuilder b;
  std::map<uint16_t, int64_t> sent = {{10, 1'000'000}, {11, 1'000'250}, {12, 20'000'000}};
  for (auto [s, us] : sent) b.onPacket(s, us);
  size_t packets = 0;
  std::vector<TransportFeedback> fbs;
  expectWithinQuantization(drain(b, &packets, &fbs), sent);
  ASSERT_EQ(packets, 2u);
  EXPECT_EQ(fbs[0].fbPktCount, 0);
  EXPECT_EQ(fbs[1].fbPktCount, 1);
  EXPECT_EQ(fbs[1].baseSeq, 12);
}

TEST(TransportFeedbackBuilder, TooManyForOnePacketSplits) {
  TransportFeedbackBuilder b(200);
  std::map<uint16_t, int64_t> sent;
  for (uint16_t s = 0; s < 600; ++s) {
    if (s % 3 == 0) continue;  // mixed losses force vector chunks
    const int64_t us = 2'000'000 + int64_t{s} * 2'000 + (s % 7) * 300;
    b.onPacket(s, us);
    sent[s] = us;
  }
  size_t packets = 0;
  std::vector<TransportFeedback> fbs;
  expectWithinQuantization(drain(b, &packets, &fbs), sent);
  EXPECT_GT(packets, 2u);
  for (size_t i = 1; i < fbs.size(); ++i) {
    EXPECT_EQ(fbs[i].baseSeq, static_cast<uint16_t>(fbs[i - 1].baseSeq + fbs[i - 1].statusCount));
    EXPECT_EQ(fbs[i].fbPktCount, static_cast<uint8_t>(fbs[i - 1].fbPktCount + 1));
  }
}

TEST(TransportFeedbackBuilder, LongLossRunIsCompact) {
  TransportFeedbackBuilder b;
  b.onPacket(100, 1'000'000);
  b.onPacket(1100, 1'050'000);
  std::array<uint8_t, 1500> buf{};
  const size_t n = b.build(buf, 1, 2);
  EXPECT_LE(n, 36u);  // run-length chunks, not 1000 status bits
  auto fb = parseTransportFeedback(view(buf, n));
  ASSERT_TRUE(fb);
  EXPECT_EQ(fb->statusCount, 1001);
  EXPECT_EQ(b.build(buf, 1, 2), 0u);
  EXPECT_EQ(b.build(std::span<uint8_t>(buf.data(), 8), 1, 2), 0u);
}

TEST(TransportFeedbackBuilder, TooSmallBufferKeepsPending) {
  TransportFeedbackBuilder b;
  b.onPacket(1, 1000);
  std::array<uint8_t, 16> tiny{};
  EXPECT_EQ(b.build(tiny, 1, 2), 0u);
  EXPECT_TRUE(b.hasPending());
  EXPECT_EQ(b.feedbackCount(), 0);
}

}  // namespace
}  // namespace rc::rtcp
