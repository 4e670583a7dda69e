#include "bench/loadgen/server_metrics.h"

#include <sstream>

#include "bench/loadgen/http_client.h"

namespace rc::bench {
namespace {

// The body of GET /metrics, "" when it cannot be read.
std::string metricsText(const std::string& baseUrl) {
  try {
    HttpResult res = httpRequest({"GET", baseUrl + "/metrics", {}, {}, {}});
    return res.status == 200 ? res.body : std::string();
  } catch (const std::exception&) {
    return {};
  }
}

}  // namespace

std::map<std::string, double> readServerSeries(const std::string& baseUrl,
                                               const std::vector<std::string>& prefixes) {
  std::map<std::string, double> out;
  std::istringstream lines(metricsText(baseUrl));
  std::string line;
  while (std::getline(lines, line)) {
    if (line.empty() || line[0] == '#') continue;
    size_t space = line.rfind(' ');
    if (space == std::string::npos) continue;
    std::string name = line.substr(0, space);
    for (const auto& prefix : prefixes) {
      if (name.rfind(prefix, 0) != 0) continue;
      try {
        out[name] = std::stod(line.substr(space + 1));
      } catch (const std::exception&) {
      }
    }
  }
  return out;
}

std::map<std::string, double> readServerCounters(const std::string& baseUrl) {
  // series `family{label="value"}` -> key `renamed + value`
  const std::pair<std::string, std::string> families[] = {
      {"ringcast_media_total{counter=\"", ""},
      {"ringcast_worker_busy_seconds_total{worker=\"", "busy_seconds/"}};
  std::map<std::string, double> counters;
  for (const auto& [series, value] :
       readServerSeries(baseUrl, {families[0].first, families[1].first})) {
    for (const auto& [prefix, renamed] : families) {
      if (series.starts_with(prefix) && series.ends_with("\"}"))
        counters[renamed + series.substr(prefix.size(), series.size() - prefix.size() - 2)] = value;
    }
  }
  return counters;
}

}  // namespace rc::bench
