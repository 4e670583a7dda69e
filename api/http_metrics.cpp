#include "api/http_metrics.h"

#include <cstdio>

namespace rc::api {

void HttpMetrics::record(const std::string& route, int code) {
  std::lock_guard lock(mu_);
  ++requests_[{route, code}];
}

uint64_t HttpMetrics::count(const std::string& route, int code) const {
  std::lock_guard lock(mu_);
  auto it = requests_.find({route, code});
  return it == requests_.end() ? 0 : it->second;
}

void HttpMetrics::render(std::string& out) const {
  prom::header(out, "ringcast_http_requests_total", "counter",
               "Control-plane HTTP requests by route pattern and status code.");
  std::lock_guard lock(mu_);
  for (const auto& [key, n] : requests_) {
    prom::sample(
        out, "ringcast_http_requests_total",
        "route=\"" + prom::escape(key.first) + "\",code=\"" + std::to_string(key.second) + "\"", n);
  }
}

namespace prom {

void header(std::string& out, const std::string& name, const char* type, const char* help) {
  out += "# HELP " + name + " " + help + "\n# TYPE " + name + " " + type + "\n";
}

void sample(std::string& out, const std::string& name, const std::string& labels, uint64_t value) {
  out += name;
  if (!labels.empty()) out += "{" + labels + "}";
  out += " " + std::to_string(value) + "\n";
}

void sample(std::string& out, const std::string& name, const std::string& labels, double value) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.6g", value);
  out += name;
  if (!labels.empty()) out += "{" + labels + "}";
  out += " " + std::string(buf) + "\n";
}

std::string escape(const std::string& value) {
  std::string out;
  for (char c : value) {
    if (c == '\\' || c == '"') out.push_back('\\');
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out.push_back(c);
  }
  return out;
}

}  // namespace prom
}  // namespace rc::api
