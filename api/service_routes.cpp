// Health check, demo page and (dev mode only) the token endpoint the demo page uses.
#include <nlohmann/json.hpp>

#include <random>

#include "api/demo_page.h"
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

// GET /metrics: Prometheus text exposition format 0.0.4. Issue 4 extends this
// with API and webhook series; the media plane's counters are all here.
HttpResponse metrics(const ApiContext& ctx) {
  EngineStats s = ctx.engine.stats();
  std::string out;
  auto gauge = [&out](const std::string& name, uint64_t v, const char* help) {
    out += "# HELP ringcast_" + name + " " + help + "\n# TYPE ringcast_" + name + " gauge\n";
    out += "ringcast_" + name + " " + std::to_string(v) + "\n";
  };
  gauge("rooms", s.rooms, "Rooms with at least one session.");
  gauge("participants", s.participants, "WHIP/WHEP sessions.");
  gauge("tracks", s.tracks, "Published tracks.");
  gauge("workers", static_cast<uint64_t>(s.workers), "Media worker threads.");
  out += "# HELP ringcast_media_total Data-plane counters summed over workers, by name.\n";
  out += "# TYPE ringcast_media_total counter\n";
  for (const auto& [name, value] : s.counters) {
    out += "ringcast_media_total{counter=\"" + name + "\"} " + std::to_string(value) + "\n";
  }
  out += "ringcast_info{io_backend=\"" + s.ioBackend + "\"} 1\n";
  HttpResponse r;
  r.set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
  r.body = std::move(out);
  return r;
}

}  // namespace

void addServiceRoutes(Router& router, const ApiContext& ctx) {
  router.add("GET", "/healthz", [](const HttpRequest&) { return HttpResponse::text(200, "ok"); });
  router.add("GET", "/", [](const HttpRequest&) {
    HttpResponse r;
    r.set("Content-Type", "text/html; charset=utf-8");
    r.set("Cache-Control", "no-cache");
    r.body = std::string(demoPageHtml());
    return r;
  });
  router.add("GET", "/metrics", [ctx](const HttpRequest&) { return metrics(ctx); });
  if (ctx.config.dev) {
    router.add("GET", "/api/dev-token", [ctx](const HttpRequest& r) { return devToken(ctx, r); });
  }
}

}  // namespace rc::api
