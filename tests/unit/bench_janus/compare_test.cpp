// `ringcast-bench compare`. The results below are hand-made test fixtures, not measurements.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

#include "bench/loadgen/compare.h"

namespace rc::bench {
namespace {

using nlohmann::json;

json fixture(const char* server, double usPerPacket, double pps, json p99 = 1.0) {
  return {{"scenario", "livestream"},
          {"server", server},
          {"publishers", 1},
          {"subscribers", 100},
          {"server_cpu_us_per_packet", usPerPacket},
          {"forwarded_pps", pps},
          {"loss_ratio", 0.0},
          {"server_rss_kib", nullptr},
          {"latency_ms", {{"p50", 0.5}, {"p99", p99}, {"max", 3.0}}}};
}

TEST(Compare, MedianAndSpreadIgnoreMissingValues) {
  std::vector<json> runs = {fixture("ringcast", 3, 1), fixture("ringcast", 1, 1),
                            fixture("ringcast", 2, 1), fixture("ringcast", 10, 1)};
  runs[3].erase("server_cpu_us_per_packet");
  auto s = spreadOf(runs, "server_cpu_us_per_packet");
  ASSERT_TRUE(s);
  EXPECT_EQ(s->samples, 3);
  EXPECT_DOUBLE_EQ(s->median, 2);
  EXPECT_DOUBLE_EQ(s->min, 1);
  EXPECT_DOUBLE_EQ(s->max, 3);
  EXPECT_FALSE(spreadOf(runs, "server_rss_kib"));
  EXPECT_DOUBLE_EQ(median({4, 1, 3, 2}), 2.5);
}

TEST(Compare, DottedKeysReachNestedMetrics) {
  json r = fixture("janus", 1, 1, 7.5);
  EXPECT_EQ(metricValue(r, "latency_ms.p99"), 7.5);
  EXPECT_FALSE(metricValue(r, "latency_ms.p999"));
  EXPECT_FALSE(metricValue(r, "scenario"));  // not a number
  EXPECT_FALSE(metricValue(r, "scenario.x"));
}

TEST(Compare, TableShowsRatioOfMedians) {
  std::vector<json> a = {fixture("ringcast", 1, 3000), fixture("ringcast", 2, 5000)};
  std::vector<json> b = {fixture("janus", 6, 4000), fixture("janus", 6, 4000),
                         fixture("janus", 12, 4000)};
  std::string table = formatComparison(a, b);
  EXPECT_NE(table.find("ringcast/janus"), std::string::npos) << table;
  // us per packet: median 1.5 [1-2] vs 6 [6-12] -> 0.25.
  EXPECT_NE(table.find("1.5 [1-2]"), std::string::npos) << table;
  EXPECT_NE(table.find("6 [6-12]"), std::string::npos) << table;
  EXPECT_NE(table.find("0.25"), std::string::npos) << table;
  EXPECT_NE(table.find("n/a"), std::string::npos) << table;  // server_rss_kib is null
  EXPECT_EQ(table.find("WARNING"), std::string::npos) << table;
}

TEST(Compare, WarnsWhenLoadsDiffer) {
  std::vector<json> a = {fixture("ringcast", 1, 1)};
  std::vector<json> b = {fixture("janus", 1, 1)};
  b[0]["subscribers"] = 200;
  EXPECT_NE(formatComparison(a, b).find("WARNING"), std::string::npos);
}

TEST(Compare, ReadResultsNamesTheBadFile) {
  std::string good = testing::TempDir() + "compare_good.json";
  std::string bad = testing::TempDir() + "compare_bad.json";
  std::ofstream(good) << fixture("ringcast", 1, 1).dump();
  std::ofstream(bad) << "{not json";
  EXPECT_EQ(readResults({good}).size(), 1u);
  try {
    readResults({good, bad});
    FAIL() << "no exception";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("compare_bad.json"), std::string::npos);
  }
  EXPECT_THROW(readResults({testing::TempDir() + "absent.json"}), std::runtime_error);
  std::remove(good.c_str());
  std::remove(bad.c_str());
}

}  // namespace
}  // namespace rc::bench
