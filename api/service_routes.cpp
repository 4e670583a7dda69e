// Health and readiness checks, metrics, demo page and (dev mode only) the token endpoint the
// demo page uses.
#include <spdlog/spdlog.h>
#include <nlohmann/json.hpp>

#include <random>

#include "api/demo_page.h"
#include "api/ops_routes.h"
#include "api/whip_handlers.h"

namespace rc::api {
namespace {

constexpr int64_t kDevTokenTtlSec = 6 * 3600;

std::string randomIdentity() {
  std::random_device rd;
  std::uniform_int_distribution<int> digit(0, 9);
  std::string id = "user-";
  for (int i = 0; i < 6; ++i) id.push_back(static_cast<char>('0' + digit(rd)));
  return id;
}

// GET /api/dev-token?room=R[&identity=I] -> {"token": "...", "room": R, "identity": I}
// The token may publish and subscribe in R. Registered only when config.dev is true.
HttpResponse devToken(const ApiContext& ctx, const HttpRequest& req) {
  auto room = req.queryParam("room");
  if (!room || room->empty()) return HttpResponse::error(400, "query parameter 'room' is required");
  auto identity = req.queryParam("identity");
  std::string id = identity && !identity->empty() ? *identity : randomIdentity();
  if (ctx.config.keys.empty()) return HttpResponse::error(500, "no API key configured");
  const auto& [key, secret] = *ctx.config.keys.begin();
  AccessClaims claims;
  claims.identity = id;
  claims.name = id;
  claims.video.roomJoin = true;
  claims.video.room = *room;
  std::string token = issueToken(key, secret, claims, kDevTokenTtlSec, ctx.nowSec());
  nlohmann::json body = {{"token", token}, {"room", *room}, {"identity", id}};
  HttpResponse r = HttpResponse::json(200, body.dump());
  r.set("Cache-Control", "no-store");
  return r;
}

void gauge(std::string& out, const std::string& name, uint64_t v, const char* help) {
  prom::header(out, name, "gauge", help);
  prom::sample(out, name, "", v);
}

void counter(std::string& out, const std::string& name, uint64_t v, const char* help) {
  prom::header(out, name, "counter", help);
  prom::sample(out, name, "", v);
}

uint64_t counterNamed(const EngineStats& s, std::string_view name) {
  for (const auto& [n, v] : s.counters) {
    if (n == name) return v;
  }
  return 0;
}

void renderMedia(std::string& out, const EngineStats& s) {
  gauge(out, "ringcast_rooms", s.rooms, "Rooms with at least one session.");
  gauge(out, "ringcast_participants", s.participants, "WHIP/WHEP sessions.");
  gauge(out, "ringcast_tracks", s.tracks, "Published tracks.");
  gauge(out, "ringcast_workers", static_cast<uint64_t>(s.workers), "Media worker threads.");
  counter(out, "ringcast_rtp_packets_in_total", s.packetsIn, "RTP packets received.");
  counter(out, "ringcast_rtp_packets_out_total", s.packetsOut, "RTP packets sent.");
  counter(out, "ringcast_rtp_bytes_in_total", s.bytesIn, "RTP bytes received.");
  counter(out, "ringcast_rtp_bytes_out_total", s.bytesOut, "RTP bytes sent.");
  counter(out, "ringcast_nacks_in_total", counterNamed(s, "nacks_in"), "NACKs received.");
  counter(out, "ringcast_nacks_out_total", counterNamed(s, "nacks_out"), "NACKs sent.");
  counter(out, "ringcast_plis_in_total", counterNamed(s, "plis_in"), "PLIs received.");
  counter(out, "ringcast_plis_out_total", counterNamed(s, "plis_out"), "PLIs sent.");
  counter(out, "ringcast_dtls_handshakes_total", counterNamed(s, "dtls_handshakes"),
          "Completed DTLS handshakes.");
  counter(out, "ringcast_dtls_failures_total", counterNamed(s, "dtls_failures"),
          "Failed DTLS handshakes.");
  counter(out, "ringcast_ring_drops_total", counterNamed(s, "drop_ring_full"),
          "Packets dropped because an inter-worker ring was full.");
  prom::header(out, "ringcast_drops_total", "counter", "Dropped packets by reason.");
  for (const auto& [name, value] : s.counters) {
    if (name.starts_with("drop_")) {
      prom::sample(out, "ringcast_drops_total", "reason=\"" + name.substr(5) + "\"", value);
    }
  }
  prom::header(out, "ringcast_media_total", "counter",
               "Every data-plane counter summed over workers, by name.");
  for (const auto& [name, value] : s.counters) {
    prom::sample(out, "ringcast_media_total", "counter=\"" + name + "\"", value);
  }
  prom::header(out, "ringcast_worker_busy_seconds_total", "counter",
               "Time each media worker spent outside its blocking wait.");
  for (size_t i = 0; i < s.workerLoad.size(); ++i) {
    prom::sample(out, "ringcast_worker_busy_seconds_total", "worker=\"" + std::to_string(i) + "\"",
                 s.workerLoad[i].busyNs / 1e9);
  }
  prom::header(out, "ringcast_worker_loop_seconds_total", "counter",
               "Time each media worker has been running its loop.");
  prom::header(out, "ringcast_worker_busy_ratio", "gauge",
               "busy/loop time of each media worker since it started (use rate() of the two "
               "counters for recent load).");
  for (size_t i = 0; i < s.workerLoad.size(); ++i) {
    const auto& w = s.workerLoad[i];
    std::string label = "worker=\"" + std::to_string(i) + "\"";
    prom::sample(out, "ringcast_worker_loop_seconds_total", label, w.loopNs / 1e9);
    prom::sample(out, "ringcast_worker_busy_ratio", label,
                 w.loopNs ? double(w.busyNs) / double(w.loopNs) : 0.0);
  }
  prom::header(out, "ringcast_worker_pool_buffers", "gauge",
               "Packet buffers in each media worker's pool (grows under load, never shrinks).");
  for (size_t i = 0; i < s.workerLoad.size(); ++i) {
    prom::sample(out, "ringcast_worker_pool_buffers", "worker=\"" + std::to_string(i) + "\"",
                 s.workerLoad[i].poolBuffers);
  }
  prom::header(out, "ringcast_info", "gauge", "Build and runtime information.");
  prom::sample(out, "ringcast_info", "io_backend=\"" + prom::escape(s.ioBackend) + "\"",
               uint64_t{1});
}

void renderOps(std::string& out, const OpsState& ops) {
  auto now = std::chrono::steady_clock::now();
  prom::header(out, "ringcast_idle_seconds", "gauge",
               "Seconds without any participant (0 while someone is connected).");
  prom::sample(out, "ringcast_idle_seconds", "", ops.idle.idleSeconds(now));
  gauge(out, "ringcast_draining", ops.drain.draining() ? 1 : 0,
        "1 after SIGTERM while sessions drain.");
  ops.http.render(out);
  if (ops.extraMetrics) ops.extraMetrics(out);
}

// GET /readyz: 200 "ready" when not draining and every worker answered; 503 with the reason.
HttpResponse readyz(MediaEngine& engine, const OpsState* ops) {
  if (ops && ops->drain.draining()) return HttpResponse::error(503, "not ready: draining");
  auto timeout = ops ? ops->readyTimeout : std::chrono::milliseconds(1000);
  if (!engine.workersResponsive(timeout)) {
    return HttpResponse::error(503, "not ready: a media worker did not answer within " +
                                        std::to_string(timeout.count()) + " ms");
  }
  return HttpResponse::text(200, "ready");
}

}  // namespace

std::string renderMetrics(const MediaEngine& engine, const OpsState* ops) {
  std::string out;
  renderMedia(out, engine.stats());
  if (ops) renderOps(out, *ops);
  return out;
}

void addServiceRoutes(Router& router, const ApiContext& ctx, std::shared_ptr<OpsState> ops) {
  router.add("GET", "/healthz", [](const HttpRequest&) { return HttpResponse::text(200, "ok"); });
  router.add("GET", "/readyz",
             [ctx, ops](const HttpRequest&) { return readyz(ctx.engine, ops.get()); });
  router.add("GET", "/", [](const HttpRequest&) {
    HttpResponse r;
    r.set("Content-Type", "text/html; charset=utf-8");
    r.set("Cache-Control", "no-cache");
    r.body = std::string(demoPageHtml());
    return r;
  });
  // GET /metrics: Prometheus text exposition format 0.0.4.
  router.add("GET", "/metrics", [ctx, ops](const HttpRequest&) {
    HttpResponse r;
    r.set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
    r.body = renderMetrics(ctx.engine, ops.get());
    return r;
  });
  if (ctx.config.dev) {
    router.add("GET", "/api/dev-token", [ctx](const HttpRequest& r) { return devToken(ctx, r); });
  }
}

void addServiceRoutes(Router& router, const ApiContext& ctx) {
  addServiceRoutes(router, ctx, nullptr);
}

}  // namespace rc::api
