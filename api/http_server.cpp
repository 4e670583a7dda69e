// The only translation unit that includes Beast (compile time).
#include "api/http_server.h"

#include <sys/resource.h>
#include <unistd.h>

#include <spdlog/spdlog.h>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include <array>
#include <cerrno>
#include <cstring>
#include <mutex>
#include <sstream>
#include <thread>

namespace rc::api {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
namespace ssl = asio::ssl;
using PlainStream = beast::tcp_stream;
using TlsStream = beast::ssl_stream<beast::tcp_stream>;
using BeastRequest = http::request<http::string_body>;
using BeastResponse = http::response<http::string_body>;

HttpRequest toRequest(BeastRequest&& req) {
  HttpRequest r;
  r.method = std::string(req.method_string());
  r.target = std::string(req.target());
  for (const auto& field : req) {
    r.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
  }
  r.body = std::move(req.body());
  splitTarget(r);
  return r;
}

HttpResponse dispatchSafe(const Router& router, BeastRequest&& req, std::string remote = {}) {
  try {
    HttpRequest r = toRequest(std::move(req));
    r.remoteAddress = std::move(remote);
    return router.dispatch(std::move(r));
  } catch (const std::exception& e) {
    spdlog::error("http: request failed: {}", e.what());
    return HttpResponse::error(500, std::string("internal error: ") + e.what());
  }
}

BeastResponse toBeast(HttpResponse&& res, unsigned version, bool keepAlive) {
  if (res.status < 200 || res.status > 599) {
    spdlog::error("http: handler produced invalid status {}", res.status);
    res = HttpResponse::error(500, "internal error: invalid status");
  }
  if (res.status == 204 || res.status == 304) res.body.clear();  // RFC 9110 §15.3.5
  BeastResponse out{static_cast<http::status>(res.status), version};
  out.set(http::field::server, "ringcast");
  for (auto& [name, value] : res.headers) out.insert(name, value);
  out.body() = std::move(res.body);
  out.keep_alive(keepAlive);
  out.prepare_payload();
  return out;
}

// Maps a parser failure to a response; nullopt when the peer simply went away.
std::optional<HttpResponse> parseFailure(const beast::error_code& ec) {
  if (ec == http::error::body_limit) return HttpResponse::error(413, "request body too large");
  if (ec == http::error::header_limit) return HttpResponse::error(431, "request header too large");
  if (ec == http::error::end_of_stream || ec == beast::error::timeout || ec == asio::error::eof ||
      ec == asio::error::connection_reset || ec == asio::error::operation_aborted) {
    return std::nullopt;
  }
  return HttpResponse::error(400, "bad request: " + ec.message());
}

bool wantsContinue(const BeastRequest& req) {
  return beast::iequals(req[http::field::expect], "100-continue");
}

// Builds a TLS server context from PEM files; throws on an unreadable or mismatching pair.
std::shared_ptr<ssl::context> makeTlsContext(const std::string& certFile,
                                             const std::string& keyFile) {
  auto ctx = std::make_shared<ssl::context>(ssl::context::tls_server);
  ctx->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                   ssl::context::no_sslv3 | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 |
                   ssl::context::single_dh_use);
  ctx->use_certificate_chain_file(certFile);
  ctx->use_private_key_file(keyFile, ssl::context::pem);
  if (SSL_CTX_check_private_key(ctx->native_handle()) != 1) {
    throw std::runtime_error("TLS key '" + keyFile + "' does not match certificate '" + certFile +
                             "'");
  }
  return ctx;
}

// One connection, plain (tcp_stream) or TLS (ssl_stream over tcp_stream).
template <class Stream>
class Session : public std::enable_shared_from_this<Session<Stream>> {
  static constexpr bool kTls = std::is_same_v<Stream, TlsStream>;

 public:
  Session(tcp::socket socket, const Router& router,
          const HttpServerOptions& options) requires(!kTls)
      : stream_(std::move(socket)), router_(router), options_(options) {}
  // `tls` stays alive as long as the connection: a reload never affects it.
  Session(tcp::socket socket, std::shared_ptr<ssl::context> tls, const Router& router,
          const HttpServerOptions& options) requires(kTls)
      : tls_(std::move(tls)),
        stream_(std::move(socket), *tls_),
        router_(router),
        options_(options) {}

  void start() {
    remote_ = remoteAddress();
    if constexpr (kTls) {
      lowest().expires_after(std::chrono::seconds(options_.idleTimeoutSec));
      stream_.async_handshake(
          ssl::stream_base::server, [self = this->shared_from_this()](beast::error_code ec) {
            if (ec) {
              spdlog::debug("https: handshake from {} failed: {}", self->remote_, ec.message());
              return self->close();
            }
            self->readHeader();
          });
    } else {
      readHeader();
    }
  }

 private:
  beast::tcp_stream& lowest() { return beast::get_lowest_layer(stream_); }

  std::string remoteAddress() {
    beast::error_code ec;
    auto ep = lowest().socket().remote_endpoint(ec);
    return ec ? std::string() : ep.address().to_string();
  }

  void readHeader() {
    parser_.emplace();
    parser_->body_limit(options_.bodyLimit);
    parser_->header_limit(kMaxHeaderBytes);
    lowest().expires_after(std::chrono::seconds(options_.idleTimeoutSec));
    http::async_read_header(
        stream_, buffer_, *parser_,
        [self = this->shared_from_this()](beast::error_code ec, size_t) { self->onHeader(ec); });
  }

  void onHeader(beast::error_code ec) {
    if (ec) return fail(ec);
    if (!wantsContinue(parser_->get()) || parser_->is_done()) return readBody();
    // RFC 9110 §10.1.1: tell the client to send the body (curl waits 1 s otherwise).
    auto cont = std::make_shared<http::response<http::empty_body>>(http::status::continue_, 11);
    http::async_write(stream_, *cont,
                      [self = this->shared_from_this(), cont](beast::error_code e, size_t) {
                        if (e) return self->close();
                        self->readBody();
                      });
  }

  void readBody() {
    http::async_read(stream_, buffer_, *parser_,
                     [self = this->shared_from_this()](beast::error_code ec, size_t) {
                       if (ec) return self->fail(ec);
                       self->respond();
                     });
  }

  void respond() {
    BeastRequest req = parser_->release();
    unsigned version = req.version();
    bool keepAlive = req.keep_alive();
    HttpResponse res = dispatchSafe(router_, std::move(req), remote_);
    write(toBeast(std::move(res), version, keepAlive));
  }

  void fail(beast::error_code ec) {
    auto res = parseFailure(ec);
    if (!res) return close();
    spdlog::debug("http: {} from {}", ec.message(), peer());
    write(toBeast(std::move(*res), 11, /*keepAlive=*/false));  // framing is lost: close after
  }

  void write(BeastResponse response) {
    auto res = std::make_shared<BeastResponse>(std::move(response));
    lowest().expires_after(std::chrono::seconds(options_.idleTimeoutSec));
    http::async_write(stream_, *res,
                      [self = this->shared_from_this(), res](beast::error_code ec, size_t) {
                        if (ec) return self->close();
                        if (!res->keep_alive()) return self->lingerClose();
                        self->readHeader();
                      });
  }

  // RFC 9112 §9.6: after a response that ends the connection (e.g. a 413 while the client is
  // still sending), half-close and discard what is in flight for a moment, so that the kernel
  // does not answer the unread bytes with a reset that destroys our response.
  void lingerClose() {
    beast::error_code ignored;
    lowest().socket().shutdown(tcp::socket::shutdown_send, ignored);
    lowest().expires_after(std::chrono::seconds(2));
    discard_ = 0;
    drain();
  }

  // Reads raw bytes (still encrypted under TLS) and throws them away.
  void drain() {
    lowest().async_read_some(asio::buffer(scratch_),
                             [self = this->shared_from_this()](beast::error_code ec, size_t n) {
                               self->discard_ += n;
                               if (ec || self->discard_ > 4 * kMaxBodyBytes) return self->close();
                               self->drain();
                             });
  }

  void close() {
    beast::error_code ignored;
    lowest().socket().shutdown(tcp::socket::shutdown_send, ignored);
    lowest().socket().close(ignored);
  }

  std::string peer() {
    beast::error_code ec;
    auto ep = lowest().socket().remote_endpoint(ec);
    return ec ? std::string("?") : ep.address().to_string() + ":" + std::to_string(ep.port());
  }

  std::shared_ptr<ssl::context> tls_;  // before stream_, which refers to it
  Stream stream_;
  std::string remote_;
  beast::flat_buffer buffer_;
  std::array<char, 16 * 1024> scratch_{};
  size_t discard_ = 0;
  std::optional<http::request_parser<http::string_body>> parser_;
  const Router& router_;
  const HttpServerOptions& options_;
};

void lowerThreadPriority(int increment) {
  if (increment <= 0) return;
  // Linux: PRIO_PROCESS with a thread id changes only that thread's nice value.
  auto tid = static_cast<id_t>(::gettid());
  errno = 0;
  int current = ::getpriority(PRIO_PROCESS, tid);
  if (current == -1 && errno != 0) return;
  if (::setpriority(PRIO_PROCESS, tid, current + increment) != 0) {
    spdlog::warn("http: cannot lower control thread priority: {}", std::strerror(errno));
  }
}

}  // namespace

struct HttpServer::Impl {
  Impl(const Router& r, HttpServerOptions o) : router(r), options(std::move(o)) {}

  void accept() {
    acceptor.async_accept(asio::make_strand(ioc), [this](beast::error_code ec, tcp::socket s) {
      if (ec == asio::error::operation_aborted || !acceptor.is_open()) return;
      if (!ec) {
        beast::error_code ignored;
        s.set_option(tcp::no_delay(true), ignored);
        if (auto ctx = currentTls()) {
          std::make_shared<Session<TlsStream>>(std::move(s), std::move(ctx), router, options)
              ->start();
        } else {
          std::make_shared<Session<PlainStream>>(std::move(s), router, options)->start();
        }
      } else {
        spdlog::warn("http: accept failed: {}", ec.message());
      }
      accept();
    });
  }

  void run() {
    lowerThreadPriority(options.niceIncrement);
    while (true) {
      try {
        ioc.run();
        return;
      } catch (const std::exception& e) {
        spdlog::error("http: control thread caught: {}", e.what());
      }
    }
  }

  std::shared_ptr<ssl::context> currentTls() {
    std::lock_guard lock(tlsMutex);
    return tlsContext;
  }

  const Router& router;
  HttpServerOptions options;
  std::mutex tlsMutex;
  std::shared_ptr<ssl::context> tlsContext;  // null: plain HTTP
  asio::io_context ioc{1};
  tcp::acceptor acceptor{ioc};
  std::thread thread;
  uint16_t port = 0;
};

HttpServer::HttpServer(const Router& router, HttpServerOptions options)
    : impl_(std::make_unique<Impl>(router, std::move(options))) {}

HttpServer::~HttpServer() {
  stop();
}

uint16_t HttpServer::start() {
  auto& im = *impl_;
  if (!im.options.tlsCertFile.empty()) {
    im.tlsContext = makeTlsContext(im.options.tlsCertFile, im.options.tlsKeyFile);
  }
  tcp::endpoint ep(asio::ip::make_address(im.options.bindAddress), im.options.port);
  im.acceptor.open(ep.protocol());
  im.acceptor.set_option(asio::socket_base::reuse_address(true));
  im.acceptor.bind(ep);
  im.acceptor.listen(asio::socket_base::max_listen_connections);
  im.port = im.acceptor.local_endpoint().port();
  im.accept();
  im.thread = std::thread([&im] { im.run(); });
  return im.port;
}

void HttpServer::stop() {
  auto& im = *impl_;
  if (!im.thread.joinable()) return;
  asio::post(im.ioc, [&im] {
    beast::error_code ignored;
    im.acceptor.close(ignored);
  });
  im.ioc.stop();
  im.thread.join();
}

uint16_t HttpServer::port() const {
  return impl_->port;
}

bool HttpServer::tls() const {
  return !impl_->options.tlsCertFile.empty();
}

bool HttpServer::reloadTls() {
  auto& im = *impl_;
  if (!tls()) return false;
  try {
    auto fresh = makeTlsContext(im.options.tlsCertFile, im.options.tlsKeyFile);
    std::lock_guard lock(im.tlsMutex);
    im.tlsContext = std::move(fresh);
  } catch (const std::exception& e) {
    spdlog::error("https: certificate reload failed, keeping the current one: {}", e.what());
    return false;
  }
  spdlog::info("https: certificate reloaded from {}", im.options.tlsCertFile);
  return true;
}

std::string serveRawRequest(const Router& router, std::string_view raw, size_t bodyLimit) {
  http::request_parser<http::string_body> parser;
  parser.eager(true);
  parser.body_limit(bodyLimit);
  parser.header_limit(kMaxHeaderBytes);
  beast::error_code ec;
  parser.put(asio::buffer(raw.data(), raw.size()), ec);
  if (ec == http::error::need_more || (!ec && !parser.is_done())) {
    // Beast asserts that put_eof() follows at least one parsed byte.
    if (parser.got_some()) {
      parser.put_eof(ec);
    } else {
      ec = http::error::partial_message;
    }
  }
  HttpResponse res;
  unsigned version = 11;
  if (ec || !parser.is_done()) {
    auto failure = parseFailure(ec ? ec : beast::error_code(http::error::partial_message));
    res = failure ? std::move(*failure) : HttpResponse::error(400, "bad request");
  } else {
    version = parser.get().version();
    res = dispatchSafe(router, parser.release());
  }
  std::ostringstream out;
  out << toBeast(std::move(res), version, false);
  return out.str();
}

}  // namespace rc::api
