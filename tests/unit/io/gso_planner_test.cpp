// The GSO planner: one turn's sends grouped per destination in queue order, cut into
// runs the kernel accepts (equal segments, a shorter last one, <= 64 segments, < 64 KiB).
#include <gtest/gtest.h>

#include <vector>

#include "io/gso.h"

namespace rc::io {
namespace {

const SocketAddress kA = SocketAddress::ipv4("127.0.0.1", 1000);
const SocketAddress kB = SocketAddress::ipv4("127.0.0.1", 2000);
const SocketAddress kC = SocketAddress::ipv4("127.0.0.2", 1000);

struct Plan {
  std::vector<std::vector<uint32_t>> runs;  // slots of each run
  std::vector<uint16_t> segmentSizes;
};

Plan plan(GsoPlanner& p, const std::vector<QueuedSend>& sends, bool gso = true) {
  p.plan(sends, gso);
  Plan out;
  for (const SendRun& r : p.runs()) {
    std::vector<uint32_t> slots;
    for (uint32_t i = r.first; i < r.first + r.count; ++i)
      slots.push_back(sends[p.order()[i]].slot);
    out.runs.push_back(slots);
    out.segmentSizes.push_back(r.segmentSize);
  }
  return out;
}

std::vector<QueuedSend> queue(const std::vector<std::pair<SocketAddress, uint32_t>>& items) {
  std::vector<QueuedSend> q;
  for (const auto& [to, len] : items) q.push_back({static_cast<uint32_t>(q.size()), len, to});
  return q;
}

TEST(GsoPlanner, InterleavedDestinationsAreGroupedInQueueOrder) {
  GsoPlanner p(64);
  // A frame of three packets fanned out to A, B, C packet by packet.
  auto q = queue({{kA, 1200},
                  {kB, 1200},
                  {kC, 1200},
                  {kA, 1200},
                  {kB, 1200},
                  {kC, 1200},
                  {kA, 700},
                  {kB, 700},
                  {kC, 700}});
  Plan r = plan(p, q);
  ASSERT_EQ(r.runs.size(), 3u);
  EXPECT_EQ(r.runs[0], (std::vector<uint32_t>{0, 3, 6}));
  EXPECT_EQ(r.runs[1], (std::vector<uint32_t>{1, 4, 7}));
  EXPECT_EQ(r.runs[2], (std::vector<uint32_t>{2, 5, 8}));
  EXPECT_EQ(r.segmentSizes, (std::vector<uint16_t>{1200, 1200, 1200}));
}

TEST(GsoPlanner, ShorterSegmentEndsTheRunAndLongerStartsANewOne) {
  GsoPlanner p(64);
  auto q = queue({{kA, 1000}, {kA, 1000}, {kA, 400}, {kA, 1000}, {kA, 1100}, {kA, 1100}});
  Plan r = plan(p, q);
  ASSERT_EQ(r.runs.size(), 3u);
  EXPECT_EQ(r.runs[0], (std::vector<uint32_t>{0, 1, 2}));  // 400 is the short last one
  EXPECT_EQ(r.runs[1], (std::vector<uint32_t>{3}));        // 1100 > 1000 cannot join
  EXPECT_EQ(r.runs[2], (std::vector<uint32_t>{4, 5}));
  EXPECT_EQ(r.segmentSizes[2], 1100);
}

TEST(GsoPlanner, RunsRespectTheSegmentAndByteLimits) {
  GsoPlanner p(256);
  std::vector<std::pair<SocketAddress, uint32_t>> items(150, {kA, 100});
  Plan r = plan(p, queue(items));
  ASSERT_EQ(r.runs.size(), 3u);
  EXPECT_EQ(r.runs[0].size(), kMaxGsoSegments);
  EXPECT_EQ(r.runs[1].size(), kMaxGsoSegments);
  EXPECT_EQ(r.runs[2].size(), 150 - 2 * kMaxGsoSegments);

  std::vector<std::pair<SocketAddress, uint32_t>> big(60, {kB, 1500});
  Plan b = plan(p, queue(big));
  for (const auto& run : b.runs) EXPECT_LE(run.size() * 1500, kMaxGsoBytes);
  size_t total = 0;
  for (const auto& run : b.runs) total += run.size();
  EXPECT_EQ(total, 60u);
}

TEST(GsoPlanner, WithoutGsoEverySendIsItsOwnRunInQueueOrder) {
  GsoPlanner p(16);
  auto q = queue({{kA, 1200}, {kB, 1200}, {kA, 1200}});
  Plan r = plan(p, q, false);
  ASSERT_EQ(r.runs.size(), 3u);
  for (uint32_t i = 0; i < 3; ++i) EXPECT_EQ(r.runs[i], std::vector<uint32_t>{i});
}

TEST(GsoPlanner, SuccessivePlansDoNotLeakDestinations) {
  GsoPlanner p(16);
  plan(p, queue({{kA, 1200}, {kB, 1200}}));
  Plan r = plan(p, queue({{kB, 1200}, {kB, 1200}}));
  ASSERT_EQ(r.runs.size(), 1u);
  EXPECT_EQ(r.runs[0], (std::vector<uint32_t>{0, 1}));
}

TEST(GsoPlanner, IPv6DestinationsAreDistinguished) {
  GsoPlanner p(16);
  auto v6a = SocketAddress::parse("::1", 1000);
  auto v6b = SocketAddress::parse("::1", 1001);
  Plan r = plan(p, queue({{v6a, 500}, {v6b, 500}, {v6a, 500}}));
  ASSERT_EQ(r.runs.size(), 2u);
  EXPECT_EQ(r.runs[0], (std::vector<uint32_t>{0, 2}));
  EXPECT_EQ(r.runs[1], (std::vector<uint32_t>{1}));
}

}  // namespace
}  // namespace rc::io
