// `ringcast-bench compare`: medians, spreads and ratios of two sets of run results.
#include "bench/loadgen/compare.h"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <stdexcept>

namespace rc::bench {
namespace {

using nlohmann::json;

std::string number(double v) {
  char buf[32];
  double mag = v < 0 ? -v : v;
  if (mag != 0 && mag < 0.01) {
    std::snprintf(buf, sizeof buf, "%.2e", v);
  } else {
    std::snprintf(buf, sizeof buf, mag < 100 ? "%.3g" : "%.0f", v);
  }
  return buf;
}

std::string describe(const std::optional<Spread>& s) {
  if (!s) return "n/a";
  if (s->samples == 1) return number(s->median);
  return number(s->median) + " [" + number(s->min) + "-" + number(s->max) + "]";
}

std::string ratio(const std::optional<Spread>& a, const std::optional<Spread>& b) {
  if (!a || !b) return "n/a";
  if (b->median == 0) return a->median == 0 ? "1" : "inf";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3g", a->median / b->median);
  return buf;
}

std::string label(const std::vector<json>& results, const char* fallback) {
  if (!results.empty() && results[0].contains("server") && results[0]["server"].is_string()) {
    return results[0]["server"].get<std::string>();
  }
  return fallback;
}

std::string loadOf(const json& r) {
  auto text = [&](const char* k) { return r.contains(k) ? r[k].dump() : std::string("?"); };
  return text("scenario") + ", " + text("publishers") + " publishers, " + text("subscribers") +
         " subscribers";
}

std::string header(const std::vector<json>& a, const std::vector<json>& b) {
  std::string load = a.empty() ? "?" : loadOf(a[0]);
  std::string out = "load: " + load + "; " + std::to_string(a.size()) + " vs " +
                    std::to_string(b.size()) + " runs\n";
  for (const auto* side : {&a, &b}) {
    for (const json& r : *side) {
      if (loadOf(r) != load) out += "WARNING: runs differ in load: " + loadOf(r) + "\n";
    }
  }
  return out;
}

std::string row(const std::string& cells0, const std::string& cells1, const std::string& cells2,
                const std::string& cells3, const std::string& cells4) {
  char buf[256];
  std::snprintf(buf, sizeof buf, "%-26s %-28s %-28s %-8s %s\n", cells0.c_str(), cells1.c_str(),
                cells2.c_str(), cells3.c_str(), cells4.c_str());
  return buf;
}

}  // namespace

std::vector<json> readResults(const std::vector<std::string>& paths) {
  std::vector<json> results;
  for (const auto& path : paths) {
    std::ifstream in(path);
    if (!in) throw std::runtime_error("cannot read " + path);
    json result = json::parse(in, nullptr, false);
    if (result.is_discarded() || !result.is_object()) {
      throw std::runtime_error(path + " is not a JSON object");
    }
    results.push_back(std::move(result));
  }
  return results;
}

double median(std::vector<double> values) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  size_t n = values.size();
  return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

std::optional<double> metricValue(const json& result, const std::string& dottedKey) {
  const json* node = &result;
  std::stringstream keys(dottedKey);
  for (std::string key; std::getline(keys, key, '.');) {
    if (!node->is_object()) return std::nullopt;
    auto found = node->find(key);
    if (found == node->end()) return std::nullopt;
    node = &*found;
  }
  if (!node->is_number()) return std::nullopt;
  return node->get<double>();
}

std::optional<Spread> spreadOf(const std::vector<json>& results, const std::string& dottedKey) {
  std::vector<double> values;
  for (const json& r : results) {
    if (auto v = metricValue(r, dottedKey)) values.push_back(*v);
  }
  if (values.empty()) return std::nullopt;
  auto [low, high] = std::minmax_element(values.begin(), values.end());
  return Spread{static_cast<int>(values.size()), median(values), *low, *high};
}

const std::vector<CompareMetric>& comparedMetrics() {
  static const std::vector<CompareMetric> metrics = {
      {"server_cpu_us_per_packet", true}, {"server_cpu_percent", true}, {"forwarded_pps", false},
      {"forwarded_bps", false},           {"loss_ratio", true},         {"latency_ms.p50", true},
      {"latency_ms.p99", true},           {"latency_ms.max", true},     {"server_rss_kib", true},
      {"rss_kib_per_subscriber", true},   {"joins_per_s", false},       {"join_failures", true},
      {"generator_cpu_percent", true},
  };
  return metrics;
}

std::string formatComparison(const std::vector<json>& a, const std::vector<json>& b) {
  std::string nameA = label(a, "A"), nameB = label(b, "B");
  std::string out = header(a, b);
  out += row("metric", nameA + " median [min-max]", nameB + " median [min-max]",
             nameA + "/" + nameB, "better");
  for (const auto& metric : comparedMetrics()) {
    out += row(metric.key, describe(spreadOf(a, metric.key)), describe(spreadOf(b, metric.key)),
               ratio(spreadOf(a, metric.key), spreadOf(b, metric.key)),
               metric.lowerIsBetter ? "lower" : "higher");
  }
  return out;
}

void addCompareCommand(CLI::App& app) {
  auto a = std::make_shared<std::vector<std::string>>();
  auto b = std::make_shared<std::vector<std::string>>();
  CLI::App* cmd =
      app.add_subcommand("compare", "ratio table of run results: A.json... --vs B.json...");
  cmd->add_option("results", *a, "results of A (e.g. ringcast), from `run --json`")->required();
  cmd->add_option("--vs", *b, "results of B (e.g. Janus)")->required()->expected(1, -1);
  cmd->callback([a, b] {
    try {
      std::cout << formatComparison(readResults(*a), readResults(*b)) << std::flush;
    } catch (const std::exception& e) {
      std::fprintf(stderr, "ringcast-bench compare: %s\n", e.what());
      throw CLI::RuntimeError(1);
    }
  });
}

}  // namespace rc::bench
