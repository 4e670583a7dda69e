// The router hooks of the operations layer: admission gate and request observer.
#include <spdlog/spdlog.h>

#include "api/logging.h"
#include "api/ops_routes.h"

namespace rc::api {

OpsState::OpsState(const Config& config)
    : drain(std::chrono::seconds(config.shutdown.drainTimeoutSec)),
      idle(std::chrono::seconds(config.idle.timeoutSec), config.idle.command),
      joinLimiter(config.limits.joinPerMinutePerIp) {}

namespace {

std::optional<HttpResponse> admit(OpsState& ops, const HttpRequest& req) {
  auto now = std::chrono::steady_clock::now();
  if (ops.drain.draining()) {
    // RFC 9110 §15.6.4: 503 with Retry-After; another instance should take the join.
    HttpResponse r = HttpResponse::error(503, "server is draining (shutting down): no new joins");
    r.set("Retry-After", std::to_string(ops.drain.secondsLeft(now)));
    return r;
  }
  if (int64_t wait = ops.joinLimiter.acquire(req.remoteAddress, now)) {
    // RFC 6585 §4: 429 Too Many Requests with Retry-After.
    HttpResponse r = HttpResponse::error(
        429, "too many join requests from " +
                 (req.remoteAddress.empty() ? std::string("this client") : req.remoteAddress) +
                 ": retry in " + std::to_string(wait) + " s");
    r.set("Retry-After", std::to_string(wait));
    return r;
  }
  return std::nullopt;
}

void observe(OpsState& ops, const HttpRequest& req, const HttpResponse& res,
             const std::string& route) {
  ops.http.record(route, res.status);
  auto level = res.status >= 500 ? spdlog::level::warn : spdlog::level::info;
  if (req.path == "/healthz" || req.path == "/readyz" || req.path == "/metrics") {
    level = res.status >= 500 ? spdlog::level::warn : spdlog::level::debug;  // probes: quiet
  }
  logFields(level, "http request",
            {{"method", req.method},
             {"path", req.path},
             {"status", std::to_string(res.status)},
             {"remote", req.remoteAddress},
             {"request_id", req.requestId},
             {"room", req.param("room")}});
}

}  // namespace

void installOpsHooks(Router& router, std::shared_ptr<OpsState> ops) {
  router.setAdmissionGate([ops](const HttpRequest& req) { return admit(*ops, req); });
  router.setObserver([ops](const HttpRequest& req, const HttpResponse& res,
                           const std::string& route) { observe(*ops, req, res, route); });
}

}  // namespace rc::api
