// The only load generator translation unit that includes Beast (compile time).
#include "bench/loadgen/http_client.h"

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <strings.h>
#include <stdexcept>

namespace rc::bench {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

http::request<http::string_body> toBeast(const HttpCall& call, const HttpUrl& url) {
  http::request<http::string_body> req;
  req.method_string(call.method);
  req.target(url.target);
  req.version(11);
  req.set(http::field::host, url.host + ":" + url.port);
  req.set(http::field::connection, "close");
  for (const auto& [name, value] : call.headers) req.set(name, value);
  if (!call.body.empty()) {
    req.set(http::field::content_type, call.contentType);
    req.body() = call.body;
  }
  req.prepare_payload();
  return req;
}

}  // namespace

HttpUrl parseHttpUrl(const std::string& url) {
  const std::string scheme = "http://";
  if (url.compare(0, scheme.size(), scheme) != 0)
    throw std::runtime_error("only http:// URLs are supported: " + url);
  std::string rest = url.substr(scheme.size());
  size_t slash = rest.find('/');
  std::string authority = rest.substr(0, slash);
  HttpUrl out;
  out.target = slash == std::string::npos ? "/" : rest.substr(slash);
  size_t colon = authority.rfind(':');
  out.host = colon == std::string::npos ? authority : authority.substr(0, colon);
  out.port = colon == std::string::npos ? "80" : authority.substr(colon + 1);
  if (out.host.empty()) throw std::runtime_error("no host in URL: " + url);
  return out;
}

std::string HttpResult::header(const std::string& name) const {
  for (const auto& [n, v] : headers) {
    if (strcasecmp(n.c_str(), name.c_str()) == 0) return v;
  }
  return {};
}

HttpResult httpRequest(const HttpCall& call) {
  HttpUrl url = parseHttpUrl(call.url);
  try {
    asio::io_context io;
    tcp::resolver resolver(io);
    beast::tcp_stream stream(io);
    stream.connect(resolver.resolve(url.host, url.port));
    http::write(stream, toBeast(call, url));
    beast::flat_buffer buffer;
    http::response<http::string_body> res;
    http::read(stream, buffer, res);
    beast::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
    HttpResult out;
    out.status = static_cast<int>(res.result_int());
    for (const auto& field : res) {
      out.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
    }
    out.body = std::move(res.body());
    return out;
  } catch (const boost::system::system_error& e) {
    throw std::runtime_error(call.method + " " + call.url + ": " + e.what());
  }
}

}  // namespace rc::bench
