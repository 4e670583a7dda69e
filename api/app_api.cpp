#include "api/app_api.h"

#include <spdlog/spdlog.h>

#include "api/livekit_json.h"
#include "api/room_service.h"

namespace rc::api {
namespace {

using lkjson::BodyError;
using lkjson::JsonBody;
using nlohmann::json;

constexpr int64_t kDefaultTtlSec = 6 * 3600;
constexpr int64_t kMaxTtlSec = 7 * 24 * 3600;

// ttl: seconds as a number, or a duration string ("90s", "15m", "6h").
int64_t readTtl(const JsonBody& body) {
  std::optional<int64_t> ttl;
  try {
    ttl = body.optInt64("ttl", "ttl");
  } catch (const BodyError&) {
    auto text = body.optString("ttl", "ttl");
    try {
      ttl = parseDurationSec(*text);
    } catch (const ConfigError&) {
      throw BodyError("ttl", "field 'ttl' must be seconds or a duration like \"6h\"", false);
    }
  }
  int64_t v = ttl.value_or(kDefaultTtlSec);
  if (v <= 0 || v > kMaxTtlSec) {
    throw BodyError("ttl", "field 'ttl' must be between 1 second and 7 days", false);
  }
  return v;
}

VideoGrant grantFor(const std::string& role, const std::string& room) {
  VideoGrant g;
  g.roomJoin = true;
  g.room = room;
  if (role == "host") {  // publish and moderate
    g.canPublish = g.canSubscribe = g.canPublishData = true;
    g.roomAdmin = g.roomRecord = true;
  } else if (role == "viewer") {  // watch and chat
    g.canPublish = false;
    g.canSubscribe = g.canPublishData = true;
  } else {
    throw BodyError("role", "field 'role' must be \"host\" or \"viewer\"", false);
  }
  return g;
}

std::string serverUrl(const ApiContext& ctx, const HttpRequest& req) {
  std::string scheme = std::string(req.header("X-Forwarded-Proto").value_or("http"));
  auto host = req.header("Host");
  if (host && !host->empty()) return scheme + "://" + std::string(*host);
  return scheme + "://127.0.0.1:" + std::to_string(ctx.config.port);
}

HttpResponse getToken(const ApiContext& ctx, const HttpRequest& req, const AccessClaims& caller) {
  JsonBody body = JsonBody::parse(req.body);
  std::string room = body.requireString("roomName", "room_name");
  bool allowed = caller.video.roomCreate || (caller.video.roomAdmin && caller.video.room == room);
  if (!allowed) {
    return twirpError("permission_denied",
                      "token needs roomCreate, or roomAdmin for room '" + room + "'");
  }
  AccessClaims claims;
  claims.identity = body.requireString("identity", "identity");
  claims.name = body.optString("name", "name").value_or("");
  claims.metadata = body.optString("metadata", "metadata").value_or("");
  claims.video = grantFor(body.optString("role", "role").value_or("viewer"), room);
  int64_t ttl = readTtl(body);
  auto key = ctx.config.keys.find(caller.apiKey);
  if (key == ctx.config.keys.end()) return twirpError("internal", "API key vanished");
  std::string token = issueToken(key->first, key->second, claims, ttl, ctx.nowSec());
  spdlog::info("app: token for {} in room '{}' ({})", claims.identity, room,
               claims.video.roomAdmin ? "host" : "viewer");
  HttpResponse r =
      HttpResponse::json(200, json{{"token", token}, {"url", serverUrl(ctx, req)}}.dump());
  r.set("Cache-Control", "no-store");
  return r;
}

// The recorder is issue 5: the request is checked completely, then refused honestly.
HttpResponse recording(const HttpRequest& req, const AccessClaims& caller, const char* field,
                       const char* snake) {
  JsonBody body = JsonBody::parse(req.body);
  std::string value = body.requireString(field, snake);
  if (!caller.video.roomRecord) return twirpError("permission_denied", "token lacks roomRecord");
  if (std::string_view(field) == "roomName" && !caller.video.room.empty() &&
      caller.video.room != value) {
    return twirpError("permission_denied", "token is for room '" + caller.video.room + "'");
  }
  return twirpError("unimplemented", "recording is not available yet (issue 5)");
}

using AppHandler = std::function<HttpResponse(const HttpRequest&, const AccessClaims&)>;

Handler authenticated(const ApiContext& ctx, AppHandler handler) {
  return [ctx, handler](const HttpRequest& req) {
    if (!hasMediaType(req.header("Content-Type"), "application/json")) {
      return twirpError("malformed", "Content-Type must be application/json");
    }
    ApiCaller caller = authenticateApiCaller(ctx, req);
    if (caller.error) return *caller.error;
    return withJsonErrors([&] { return handler(req, *caller.claims); });
  };
}

}  // namespace

void addAppApiRoutes(Router& router, const ApiContext& ctx) {
  RouteOptions cors{.cors = true};
  // An admission route: refused while draining and rate limited per IP (api/ops_routes.h).
  router.add("POST", "/get-token",
             authenticated(ctx, [ctx](const HttpRequest& r,
                                      const AccessClaims& c) { return getToken(ctx, r, c); }),
             RouteOptions{.cors = true, .admission = true});
  router.add("POST", "/start-recording", authenticated(ctx, [](auto& r, auto& c) {
               return recording(r, c, "roomName", "room_name");
             }));
  router.add("POST", "/stop-recording", authenticated(ctx, [](auto& r, auto& c) {
               return recording(r, c, "egressId", "egress_id");
             }));
  router.add("POST", "/list-recordings", authenticated(ctx, [](auto& r, auto& c) {
               return recording(r, c, "roomName", "room_name");
             }));
}

}  // namespace rc::api
