// `ringcast-bench capacity`. The results below are hand-made test fixtures, not measurements.
#include <gtest/gtest.h>

#include <unistd.h>
#include <cstdio>
#include <cstdlib>

#include <fstream>

#include "bench/loadgen/capacity.h"

namespace rc::bench {
namespace {

using nlohmann::json;

// A livestream run whose CPU follows cpu% = 2 + 0.01 * subscribers, 175 packets/s each.
json livestream(int subscribers) {
  double pps = 175.0 * subscribers;
  double cpu = 2 + 0.01 * subscribers;
  return {{"scenario", "livestream"},
          {"server", "ringcast"},
          {"subscribers", subscribers},
          {"forwarded_pps", pps},
          {"forwarded_bps", pps * 8 * 1000},
          {"server_cpu_percent", cpu},
          {"server_cpu_us_per_packet", cpu * 1e4 / pps},
          {"loss_ratio", 0.0}};
}

TEST(Capacity, FitsALineOverSeveralLoads) {
  auto models = buildModels({livestream(100), livestream(400), livestream(1000)});
  ASSERT_EQ(models.size(), 1u);
  const ScenarioModel& m = models[0];
  EXPECT_TRUE(m.fitted);
  EXPECT_NEAR(m.fixedPercent, 2, 1e-9);
  EXPECT_NEAR(m.percentPerUnit, 0.01, 1e-12);
  EXPECT_NEAR(m.ppsPerUnit, 175, 1e-9);
  EXPECT_NEAR(maxSubscribers(m, 80, 1), 7800, 1);   // (80 - 2) / 0.01
  EXPECT_NEAR(maxSubscribers(m, 80, 4), 31200, 1);  // each core pays the fixed cost
  EXPECT_EQ(maxSubscribers(m, 1, 1), 0);            // fixed cost alone is over the limit
}

TEST(Capacity, OneLoadUsesThePerPacketCost) {
  json run = livestream(100);  // 3% CPU, 17500 pps: 1.714 us per packet
  auto m = buildModels({run})[0];
  EXPECT_FALSE(m.fitted);
  EXPECT_DOUBLE_EQ(m.fixedPercent, 0);
  EXPECT_NEAR(m.percentPerUnit, 0.03, 1e-9);
  EXPECT_NEAR(maxSubscribers(m, 60, 1), 2000, 1);
}

TEST(Capacity, MeetingCountsParticipantsByStreamPairs) {
  json a = livestream(10), b = livestream(20);
  a["scenario"] = b["scenario"] = "meeting";
  a["forwarded_pps"] = 175.0 * 10 * 9;
  b["forwarded_pps"] = 175.0 * 20 * 19;
  a["server_cpu_percent"] = 1 + 0.01 * 90;
  b["server_cpu_percent"] = 1 + 0.01 * 380;
  auto m = buildModels({a, b})[0];
  EXPECT_NEAR(m.percentPerUnit, 0.01, 1e-12);
  EXPECT_NEAR(m.ppsPerUnit, 175, 1e-9);
  EXPECT_NEAR(maxSubscribers(m, 80, 1), 89, 1);  // 89 * 88 = 7832 <= 7900 < 90 * 89
}

TEST(Capacity, LeavesLossyRunsOutOfTheFit) {
  json saturated = livestream(5000);
  saturated["loss_ratio"] = 0.4;
  saturated["server_cpu_percent"] = 100.0;
  auto m = buildModels({livestream(100), livestream(1000), saturated})[0];
  EXPECT_EQ(m.runs, 3);
  EXPECT_EQ(m.excluded, 1);
  EXPECT_NEAR(m.percentPerUnit, 0.01, 1e-12);
  EXPECT_EQ(m.points.size(), 3u);
  EXPECT_THROW(buildModels({saturated}), std::runtime_error);
  EXPECT_NO_THROW(buildModels({saturated}, 0.5));
}

TEST(Capacity, PlansForTheSentRateNotTheDelivered) {
  json run = livestream(100);  // 3% CPU for 17500 delivered packets/s
  run["sent_pps"] = 350.0;     // half of what was sent arrived
  run["loss_ratio"] = 0.0;
  auto m = buildModels({run})[0];
  EXPECT_NEAR(m.ppsPerUnit, 350, 1e-9);
  EXPECT_NEAR(m.percentPerUnit, 0.06, 1e-9);
}

TEST(Capacity, RejectsRunsWithoutServerFigures) {
  json run = livestream(100);
  run["server_cpu_percent"] = nullptr;
  EXPECT_THROW(buildModels({run}), std::runtime_error);
}

TEST(Capacity, ReportListsEverySizeAndAssumption) {
  auto models = buildModels({livestream(100), livestream(1000)});
  std::string report = formatCapacity(models, 80);
  for (const auto& size : ec2Sizes()) EXPECT_NE(report.find(size.name), std::string::npos);
  EXPECT_NE(report.find("one core"), std::string::npos) << report;
  EXPECT_NE(report.find("2 vCPUs per core"), std::string::npos);
}

TEST(Capacity, PlotIsAPng) {
  if (std::system("command -v gnuplot >/dev/null 2>&1") != 0) GTEST_SKIP() << "no gnuplot";
  std::string png = testing::TempDir() + "capacity_test_" + std::to_string(getpid()) + ".png";
  writeCapacityPlot(buildModels({livestream(100), livestream(1000)}), 80, png);
  std::ifstream in(png, std::ios::binary);
  char magic[8] = {};
  in.read(magic, 8);
  EXPECT_EQ(std::string(magic + 1, 3), "PNG");
  std::remove(png.c_str());
}

}  // namespace
}  // namespace rc::bench
