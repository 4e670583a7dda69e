#include "bench/loadgen/server_metrics.h"

#include <sstream>

#include "bench/loadgen/http_client.h"

namespace rc::bench {

std::map<std::string, double> readServerDrops(const std::string& baseUrl) {
  std::map<std::string, double> drops;
  HttpResult res;
  try {
    res = httpRequest({"GET", baseUrl + "/metrics", {}, {}, {}});
  } catch (const std::exception&) {
    return drops;
  }
  if (res.status != 200) return drops;
  // Prometheus text format: name{labels} value
  const std::string prefix = "ringcast_media_total{counter=\"drop_";
  std::istringstream lines(res.body);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.rfind(prefix, 0) != 0) continue;
    size_t close = line.find("\"}", prefix.size());
    if (close == std::string::npos) continue;
    try {
      drops["drop_" + line.substr(prefix.size(), close - prefix.size())] =
          std::stod(line.substr(close + 2));
    } catch (const std::exception&) {
    }
  }
  return drops;
}

}  // namespace rc::bench
