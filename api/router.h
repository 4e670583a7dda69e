// Transport-independent HTTP request/response types and the route table. The Beast
// server (http_server.cpp) converts to and from these, so handlers and their tests
// never include Beast.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace rc::api {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

struct HttpRequest {
  std::string method;                         // upper case, as received ("GET", "POST", ...)
  std::string target;                         // raw request-target ("/whep/room?participant=x")
  std::string path;                           // target without the query, not decoded
  std::map<std::string, std::string> query;   // decoded (application/x-www-form-urlencoded)
  std::map<std::string, std::string> params;  // decoded path parameters, set by the router
  HeaderList headers;
  std::string body;
  std::string remoteAddress;  // client IP as text ("" when unknown, e.g. fuzz/tests)
  std::string requestId;      // X-Request-Id received or generated; set by the router

  // Case-insensitive header lookup (RFC 9110 §5.1); first occurrence.
  std::optional<std::string_view> header(std::string_view name) const;
  std::string param(const std::string& name) const;
  std::optional<std::string> queryParam(const std::string& name) const;
};

struct HttpResponse {
  int status = 200;
  HeaderList headers;
  std::string body;

  HttpResponse& set(std::string name, std::string value);  // replaces an existing header
  std::optional<std::string_view> header(std::string_view name) const;

  static HttpResponse text(int status, std::string body);
  static HttpResponse error(int status, std::string message);  // text/plain, message + "\n"
  static HttpResponse json(int status, std::string body);
};

using Handler = std::function<HttpResponse(const HttpRequest&)>;

struct RouteOptions {
  // Adds CORS headers (Fetch standard §3.2; RFC 9725 §4.6) to every response of the route,
  // and answers its OPTIONS preflight.
  bool cors = false;
  // A route that admits a new participant (WHIP/WHEP POST, /get-token): subject to the
  // admission gate (drain -> 503, per-IP rate limit -> 429).
  bool admission = false;
};

// Decides about a request to an admission route: nullopt lets it through, a response refuses.
using AdmissionGate = std::function<std::optional<HttpResponse>(const HttpRequest&)>;
// Sees every dispatched request with its response and the matched route pattern
// ("/whip/{room}"; "unmatched" for 404s): access log and request metrics.
using RequestObserver =
    std::function<void(const HttpRequest&, const HttpResponse&, const std::string& route)>;

class Router {
 public:
  // Pattern segments in braces are parameters: "/whip/{room}/{id}". A parameter matches one
  // non-empty path segment, percent-decoded.
  void add(std::string method, std::string pattern, Handler handler, RouteOptions options = {});

  // Never throws: 404 unknown path, 405 (with Allow) wrong method, OPTIONS answered from the
  // table, an exception from a handler becomes 500 (logged). Every response carries
  // X-Request-Id (the request's, when it is a sane token, else a generated one).
  HttpResponse dispatch(HttpRequest request) const;

  void setAdmissionGate(AdmissionGate gate) { gate_ = std::move(gate); }
  void setObserver(RequestObserver observer) { observer_ = std::move(observer); }

 private:
  struct Route {
    std::string pattern;
    std::string method;
    std::vector<std::string> segments;
    Handler handler;
    RouteOptions options;
  };
  static bool match(const Route& route, const std::vector<std::string>& parts,
                    std::map<std::string, std::string>* params);
  HttpResponse options(const HttpRequest& req, const std::vector<const Route*>& routes) const;
  HttpResponse route(HttpRequest& req, std::string& label) const;
  HttpResponse invoke(const Route& route, const HttpRequest& req) const;
  std::vector<Route> routes_;
  AdmissionGate gate_;
  RequestObserver observer_;
};

// Percent-decoding (RFC 3986 §2.1); `plusIsSpace` for query strings. nullopt on bad escapes.
std::optional<std::string> percentDecode(std::string_view in, bool plusIsSpace);
// Percent-encodes everything but RFC 3986 §2.3 unreserved characters.
std::string percentEncode(std::string_view in);
// Splits "a=1&b=2" into a decoded map (later duplicates are ignored).
std::map<std::string, std::string> parseQuery(std::string_view query);
// Fills path and query from target.
void splitTarget(HttpRequest& request);

// The X-Request-Id to use: `received` when it is 1..128 visible ASCII characters, else a new
// random 16-hex-digit id.
std::string requestIdFor(std::optional<std::string_view> received);

// Adds Access-Control-Allow-Origin (the request's Origin, or *) and -Expose-Headers.
void addCorsHeaders(const HttpRequest& request, HttpResponse& response);

}  // namespace rc::api
