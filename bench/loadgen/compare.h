// `ringcast-bench compare A.json... --vs B.json...`: the ratio table of two sets of
// `ringcast-bench run --json` results (bench/compare-janus: ringcast rounds vs Janus rounds),
// with the median and the spread (min-max) of every metric on each side.
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace rc::bench {

// Reads run results; throws std::runtime_error naming the file that cannot be read or parsed.
std::vector<nlohmann::json> readResults(const std::vector<std::string>& paths);

// The median of `values` (0 when empty).
double median(std::vector<double> values);

// A metric by its dotted key ("latency_ms.p99"); nullopt when absent, null or not a number.
std::optional<double> metricValue(const nlohmann::json& result, const std::string& dottedKey);

struct Spread {
  int samples = 0;  // results that had the metric
  double median = 0, min = 0, max = 0;
};
// nullopt when no result has the metric.
std::optional<Spread> spreadOf(const std::vector<nlohmann::json>& results,
                               const std::string& dottedKey);

struct CompareMetric {
  const char* key;
  bool lowerIsBetter;
};
// The metrics the table shows, in order.
const std::vector<CompareMetric>& comparedMetrics();

// The human table: one row per metric with both sides' median [min-max] and the ratio of the
// medians (A / B). Rows where a side has no value say "n/a". The header names the scenario and
// warns when the two sides ran different scenarios or loads.
std::string formatComparison(const std::vector<nlohmann::json>& a,
                             const std::vector<nlohmann::json>& b);

void addCompareCommand(CLI::App& app);

}  // namespace rc::bench
