// Operations state shared by the daemon's signal loop and the HTTP routes: drain, idle hook,
// request metrics, rate limit. Routes: GET /healthz, GET /readyz, GET /metrics.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "api/drain.h"
#include "api/http_metrics.h"
#include "api/idle_hook.h"
#include "api/rate_limiter.h"
#include "api/whip_handlers.h"

namespace rc::api {

struct OpsState {
  explicit OpsState(const Config& config);

  DrainState drain;
  IdleHook idle;
  RateLimiter joinLimiter;
  HttpMetrics http;
  std::chrono::milliseconds readyTimeout{1000};  // a worker must answer a no-op this fast
  // Hook for series owned by other parts (e.g. webhook delivery failures): appends complete
  // Prometheus text (HELP/TYPE lines included) to the /metrics body.
  std::function<void(std::string& out)> extraMetrics;
};

// GET /healthz, GET / (demo page), GET /readyz, GET /metrics and, in dev mode,
// GET /api/dev-token. `ops` may be null (tests): /readyz then checks only the workers.
void addServiceRoutes(Router& router, const ApiContext& ctx, std::shared_ptr<OpsState> ops);
// Installs the admission gate (drain -> 503 + Retry-After, rate limit -> 429 + Retry-After)
// and the request observer (access log with request id, ringcast_http_requests_total).
void installOpsHooks(Router& router, std::shared_ptr<OpsState> ops);

// The /metrics body.
std::string renderMetrics(const MediaEngine& engine, const OpsState* ops);

}  // namespace rc::api
