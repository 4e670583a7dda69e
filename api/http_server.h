// HTTP/1.1 server (Boost.Beast) for the control plane. One control thread, at lowered
// priority (nice +5), runs its own io_context; the media workers never wait on it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "api/router.h"

namespace rc::api {

inline constexpr size_t kMaxBodyBytes = 1 << 20;  // larger bodies get 413
inline constexpr size_t kMaxHeaderBytes = 16 * 1024;

struct HttpServerOptions {
  std::string bindAddress = "0.0.0.0";
  uint16_t port = 7880;  // 0 = pick a free port (see HttpServer::port())
  size_t bodyLimit = kMaxBodyBytes;
  int idleTimeoutSec = 60;  // keep-alive connections idle longer than this are closed
  int niceIncrement = 5;    // applied to the control thread only
  // Both set: every connection is TLS (HTTPS) with this PEM certificate chain and key.
  std::string tlsCertFile, tlsKeyFile;
};

class HttpServer {
 public:
  // `router` must outlive the server.
  HttpServer(const Router& router, HttpServerOptions options);
  ~HttpServer();  // stops
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds and listens (throws std::system_error / std::runtime_error on failure, also for an
  // unreadable or mismatching TLS certificate/key), then starts the control thread. Returns
  // the bound port.
  uint16_t start();
  // Closes the listener and all connections and joins the control thread. Idempotent.
  void stop();
  uint16_t port() const;
  bool tls() const;
  // Loads the certificate and key files again (SIGHUP). New connections use the new pair;
  // existing ones keep theirs. On failure the error is logged, the old pair stays in use and
  // false is returned. Any thread.
  bool reloadTls();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Parses one complete HTTP/1.1 request from `raw` with the same limits and conversion as the
// server, dispatches it, and returns the serialized response (400 for unparseable input,
// 413 over the body limit). Used by the fuzz target and tests.
std::string serveRawRequest(const Router& router, std::string_view raw,
                            size_t bodyLimit = kMaxBodyBytes);

}  // namespace rc::api
