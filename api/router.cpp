#include "api/router.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstdio>
#include <exception>
#include <random>

namespace rc::api {
namespace {

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c; };
           return lower(x) == lower(y);
         });
}

std::optional<std::string_view> findHeader(const HeaderList& headers, std::string_view name) {
  for (const auto& [k, v] : headers) {
    if (iequals(k, name)) return std::string_view(v);
  }
  return std::nullopt;
}

std::vector<std::string> splitPath(std::string_view path) {
  std::vector<std::string> parts;
  if (path.empty() || path.front() != '/') return parts;
  size_t pos = 1;
  while (true) {
    size_t slash = path.find('/', pos);
    parts.emplace_back(path.substr(pos, slash == std::string_view::npos ? slash : slash - pos));
    if (slash == std::string_view::npos) break;
    pos = slash + 1;
  }
  return parts;
}

int hexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

constexpr const char* kCorsMethods = "GET, POST, PATCH, DELETE, OPTIONS";
constexpr const char* kCorsHeaders = "Authorization, Content-Type, If-Match, X-Request-Id";
constexpr const char* kCorsExpose = "Location, Link, ETag, X-Request-Id, Retry-After";

}  // namespace

std::optional<std::string_view> HttpRequest::header(std::string_view name) const {
  return findHeader(headers, name);
}

std::string HttpRequest::param(const std::string& name) const {
  auto it = params.find(name);
  return it == params.end() ? std::string() : it->second;
}

std::optional<std::string> HttpRequest::queryParam(const std::string& name) const {
  auto it = query.find(name);
  if (it == query.end()) return std::nullopt;
  return it->second;
}

HttpResponse& HttpResponse::set(std::string name, std::string value) {
  for (auto& [k, v] : headers) {
    if (iequals(k, name)) {
      v = std::move(value);
      return *this;
    }
  }
  headers.emplace_back(std::move(name), std::move(value));
  return *this;
}

std::optional<std::string_view> HttpResponse::header(std::string_view name) const {
  return findHeader(headers, name);
}

HttpResponse HttpResponse::text(int status, std::string body) {
  HttpResponse r;
  r.status = status;
  r.body = std::move(body);
  r.set("Content-Type", "text/plain; charset=utf-8");
  return r;
}

HttpResponse HttpResponse::error(int status, std::string message) {
  return text(status, std::move(message) + "\n");
}

HttpResponse HttpResponse::json(int status, std::string body) {
  HttpResponse r;
  r.status = status;
  r.body = std::move(body);
  r.set("Content-Type", "application/json");
  return r;
}

std::optional<std::string> percentDecode(std::string_view in, bool plusIsSpace) {
  std::string out;
  out.reserve(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    char c = in[i];
    if (c == '%') {
      if (i + 2 >= in.size()) return std::nullopt;
      int hi = hexValue(in[i + 1]), lo = hexValue(in[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      out.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else {
      out.push_back(plusIsSpace && c == '+' ? ' ' : c);
    }
  }
  return out;
}

std::string percentEncode(std::string_view in) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : in) {
    bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                      c == '-' || c == '.' || c == '_' || c == '~';
    if (unreserved) {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

std::map<std::string, std::string> parseQuery(std::string_view query) {
  std::map<std::string, std::string> out;
  size_t pos = 0;
  while (pos < query.size()) {
    size_t amp = query.find('&', pos);
    std::string_view item = query.substr(pos, amp == std::string_view::npos ? amp : amp - pos);
    pos = amp == std::string_view::npos ? query.size() : amp + 1;
    if (item.empty()) continue;
    size_t eq = item.find('=');
    auto key = percentDecode(item.substr(0, eq), true);
    auto value = eq == std::string_view::npos ? std::optional<std::string>("")
                                              : percentDecode(item.substr(eq + 1), true);
    if (key && value) out.emplace(std::move(*key), std::move(*value));
  }
  return out;
}

void splitTarget(HttpRequest& request) {
  std::string_view target = request.target;
  size_t q = target.find('?');
  request.path = std::string(target.substr(0, q));
  request.query = q == std::string_view::npos ? std::map<std::string, std::string>{}
                                              : parseQuery(target.substr(q + 1));
}

void addCorsHeaders(const HttpRequest& request, HttpResponse& response) {
  auto origin = request.header("Origin");
  if (origin && !origin->empty()) {
    response.set("Access-Control-Allow-Origin", std::string(*origin));
    response.set("Vary", "Origin");
  } else {
    response.set("Access-Control-Allow-Origin", "*");
  }
  response.set("Access-Control-Expose-Headers", kCorsExpose);
}

std::string requestIdFor(std::optional<std::string_view> received) {
  bool sane =
      received && !received->empty() && received->size() <= 128 &&
      std::all_of(received->begin(), received->end(), [](char c) { return c > 32 && c < 127; });
  if (sane) return std::string(*received);
  thread_local std::mt19937_64 rng{std::random_device{}()};
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(rng()));
  return buf;
}

void Router::add(std::string method, std::string pattern, Handler handler, RouteOptions options) {
  auto segments = splitPath(pattern);
  routes_.push_back(Route{std::move(pattern), std::move(method), std::move(segments),
                          std::move(handler), options});
}

bool Router::match(const Route& route, const std::vector<std::string>& parts,
                   std::map<std::string, std::string>* params) {
  if (route.segments.size() != parts.size()) return false;
  for (size_t i = 0; i < parts.size(); ++i) {
    const std::string& seg = route.segments[i];
    if (seg.size() >= 2 && seg.front() == '{' && seg.back() == '}') {
      auto decoded = percentDecode(parts[i], false);
      if (!decoded || decoded->empty()) return false;
      if (params) (*params)[seg.substr(1, seg.size() - 2)] = std::move(*decoded);
    } else if (seg != parts[i]) {
      return false;
    }
  }
  return true;
}

HttpResponse Router::options(const HttpRequest& req,
                             const std::vector<const Route*>& routes) const {
  std::string allow;
  bool cors = false;
  for (const Route* r : routes) {
    allow += r->method + ", ";
    cors = cors || r->options.cors;
  }
  allow += "OPTIONS";
  HttpResponse res;
  res.status = 204;
  res.set("Allow", allow);
  if (cors) {
    // Fetch standard, CORS-preflight response; RFC 9725 §4.6.
    addCorsHeaders(req, res);
    res.set("Access-Control-Allow-Methods", kCorsMethods);
    res.set("Access-Control-Allow-Headers", kCorsHeaders);
    res.set("Access-Control-Max-Age", "86400");
  }
  return res;
}

HttpResponse Router::dispatch(HttpRequest req) const {
  if (req.path.empty()) splitTarget(req);
  req.requestId = requestIdFor(req.header("X-Request-Id"));
  std::string label = "unmatched";
  HttpResponse res = route(req, label);
  res.set("X-Request-Id", req.requestId);
  if (observer_) observer_(req, res, label);
  return res;
}

HttpResponse Router::route(HttpRequest& req, std::string& label) const {
  auto parts = splitPath(req.path);
  std::vector<const Route*> pathMatches;
  for (const Route& r : routes_) {
    if (match(r, parts, nullptr)) pathMatches.push_back(&r);
  }
  if (pathMatches.empty()) return HttpResponse::error(404, "not found: " + req.path);
  label = pathMatches.front()->pattern;
  if (req.method == "OPTIONS") return options(req, pathMatches);
  const Route* route = nullptr;
  for (const Route* r : pathMatches) {
    if (r->method == req.method) route = r;
  }
  HttpResponse res;
  if (!route) {
    res = options(req, pathMatches);
    std::string allow(*res.header("Allow"));
    res =
        HttpResponse::error(405, "method " + req.method + " not allowed (allowed: " + allow + ")");
    res.set("Allow", allow);
    if (pathMatches.front()->options.cors) addCorsHeaders(req, res);
    return res;
  }
  label = route->pattern;
  match(*route, parts, &req.params);
  std::optional<HttpResponse> refused;
  if (route->options.admission && gate_) refused = gate_(req);
  res = refused ? std::move(*refused) : invoke(*route, req);
  if (route->options.cors) addCorsHeaders(req, res);
  return res;
}

HttpResponse Router::invoke(const Route& route, const HttpRequest& req) const {
  try {
    return route.handler(req);
  } catch (const std::exception& e) {
    spdlog::error("{} {}: handler failed: {} request_id={}", req.method, req.path, e.what(),
                  req.requestId);
    return HttpResponse::error(500, std::string("internal error: ") + e.what());
  } catch (...) {
    spdlog::error("{} {}: handler failed with a non-standard exception request_id={}", req.method,
                  req.path, req.requestId);
    return HttpResponse::error(500, "internal error");
  }
}

}  // namespace rc::api
