// A small blocking HTTP/1.1 client (Boost.Beast) for the load generator's signalling: one
// connection per request, loopback servers only. Shared by the WHIP/WHEP and Janus clients.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace rc::bench {

struct HttpUrl {
  std::string host;
  std::string port;
  std::string target;  // path and query, "/" when absent
};

// Accepts "http://host[:port][/path]"; throws std::runtime_error for anything else.
HttpUrl parseHttpUrl(const std::string& url);

struct HttpResult {
  int status = 0;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  // First header named `name` (case-insensitive), "" when absent.
  std::string header(const std::string& name) const;
};

struct HttpCall {
  std::string method;  // "GET", "POST", "DELETE", ...
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::string contentType;  // sent when body is non-empty
};

// Throws std::runtime_error when the connection or the exchange fails (not on 4xx/5xx).
HttpResult httpRequest(const HttpCall& call);

}  // namespace rc::bench
