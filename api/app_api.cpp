#include "api/app_api.h"

#include <spdlog/spdlog.h>

#include "api/egress_json.h"
#include "api/egress_service.h"
#include "api/livekit_json.h"
#include "api/recorder.h"
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

// Recording (issue 5) through api::Recorder: a room recording (one file per publisher and
// a manifest). The body is checked first, then the grant; no recorder: an honest 501.
HttpResponse refusedRecording(const ApiContext& ctx, const AccessClaims& caller,
                              const std::string& room) {
  if (auto refusal = recordingRefusal(caller.video, room); !refusal.empty()) {
    return twirpError("permission_denied", refusal);
  }
  return twirpError("unimplemented", "recording is not enabled on this server");
}

HttpResponse startRecording(const ApiContext& ctx, const HttpRequest& req,
                            const AccessClaims& caller) {
  JsonBody body = JsonBody::parse(req.body);
  EgressRequest request;
  request.kind = EgressRequest::Kind::Room;
  request.roomName = body.requireString("roomName", "room_name");
  if (!ctx.recorder || !recordingRefusal(caller.video, request.roomName).empty()) {
    return refusedRecording(ctx, caller, request.roomName);
  }
  auto r = ctx.recorder->start(request);
  if (r.status != 200) return recorderError(r.status, r.error);
  return HttpResponse::json(200, json{{"egressId", r.value.egressId}}.dump());
}

HttpResponse stopRecording(const ApiContext& ctx, const HttpRequest& req,
                           const AccessClaims& caller) {
  JsonBody body = JsonBody::parse(req.body);
  std::string id = body.requireString("egressId", "egress_id");
  if (!caller.video.roomRecord) return twirpError("permission_denied", "token lacks roomRecord");
  if (!ctx.recorder) return refusedRecording(ctx, caller, caller.video.room);
  auto found = ctx.recorder->list("", id, false);
  if (found.empty()) return twirpError("not_found", "egress '" + id + "' not found");
  if (auto refusal = recordingRefusal(caller.video, found[0].roomName); !refusal.empty()) {
    return twirpError("permission_denied", refusal);
  }
  auto r = ctx.recorder->stop(id);
  if (r.status != 200) return recorderError(r.status, r.error);
  return HttpResponse::json(
      200, json{{"egressId", id}, {"status", egressjson::statusName(r.value.status)}}.dump());
}

constexpr int kDownloadUrlTtlSec = 3600;

HttpResponse listRecordings(const ApiContext& ctx, const HttpRequest& req,
                            const AccessClaims& caller) {
  JsonBody body = JsonBody::parse(req.body);
  std::string room = body.requireString("roomName", "room_name");
  if (!ctx.recorder || !recordingRefusal(caller.video, room).empty()) {
    return refusedRecording(ctx, caller, room);
  }
  auto r = ctx.recorder->listRecordings(room, kDownloadUrlTtlSec);
  if (r.status != 200) return recorderError(r.status, r.error);
  json files = json::array();
  for (const auto& f : r.value) {
    json entry{{"key", f.key},
               {"size", f.size},
               {"lastModified", f.lastModifiedMs},
               {"url", f.url},
               {"urlExpiresIn", kDownloadUrlTtlSec}};
    if (f.startedAtNs) entry["startedAt"] = f.startedAtNs / 1'000'000;  // unix ms
    if (f.durationNs) entry["durationMs"] = f.durationNs / 1'000'000;
    files.push_back(std::move(entry));
  }
  return HttpResponse::json(200, json{{"files", files}}.dump());
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
  // An admission route: refused while draining and rate limited per IP (api/ops_routes.h).
  router.add("POST", "/get-token",
             authenticated(ctx, [ctx](const HttpRequest& r,
                                      const AccessClaims& c) { return getToken(ctx, r, c); }),
             RouteOptions{.cors = true, .admission = true});
  router.add("POST", "/start-recording",
             authenticated(ctx, [ctx](auto& r, auto& c) { return startRecording(ctx, r, c); }));
  router.add("POST", "/stop-recording",
             authenticated(ctx, [ctx](auto& r, auto& c) { return stopRecording(ctx, r, c); }));
  router.add("POST", "/list-recordings",
             authenticated(ctx, [ctx](auto& r, auto& c) { return listRecordings(ctx, r, c); }));
}

}  // namespace rc::api
