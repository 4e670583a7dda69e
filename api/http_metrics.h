// Control-plane request counters and the Prometheus text rendering helpers (exposition
// format 0.0.4) used by GET /metrics.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <utility>

namespace rc::api {

// ringcast_http_requests_total{route,code}: `route` is the matched route pattern (bounded
// cardinality), "unmatched" for unknown paths. Thread-safe.
class HttpMetrics {
 public:
  void record(const std::string& route, int code);
  uint64_t count(const std::string& route, int code) const;
  void render(std::string& out) const;

 private:
  mutable std::mutex mu_;
  std::map<std::pair<std::string, int>, uint64_t> requests_;
};

namespace prom {
// Writes "# HELP" and "# TYPE" lines.
void header(std::string& out, const std::string& name, const char* type, const char* help);
// name{labels} value; `labels` without braces ("" for none).
void sample(std::string& out, const std::string& name, const std::string& labels, double value);
void sample(std::string& out, const std::string& name, const std::string& labels, uint64_t value);
// Escapes a label value (backslash, quote, newline).
std::string escape(const std::string& value);
}  // namespace prom

}  // namespace rc::api
