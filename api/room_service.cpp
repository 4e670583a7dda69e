#include "api/room_service.h"

#include <spdlog/spdlog.h>

#include <map>

#include "api/livekit_json.h"

namespace rc::api {
namespace {

using lkjson::JsonBody;
using nlohmann::json;

enum class Grant { RoomCreate, RoomList, RoomAdmin };

struct Method {
  Grant grant;
  std::function<HttpResponse(MediaEngine&, const JsonBody&)> call;
};

HttpResponse ok(json body) {
  return HttpResponse::json(200, body.dump());
}

template <typename T, typename Convert>
HttpResponse reply(const RoomResult<T>& r, Convert convert) {
  if (!r.ok()) return twirpError(twirpCodeFor(r.status), r.error);
  return ok(convert(r.value));
}

json emptyMessage() {
  return json::object();
}

std::string roomOf(const JsonBody& b) {
  return b.requireString("room", "room");
}

HttpResponse createRoom(MediaEngine& engine, const JsonBody& b) {
  CreateRoomOptions o;
  o.name = b.requireString("name", "name");
  o.emptyTimeout = b.optUint32("emptyTimeout", "empty_timeout");
  if (o.emptyTimeout == 0u) o.emptyTimeout.reset();  // proto3: 0 means "not set"
  o.maxParticipants = b.optUint32("maxParticipants", "max_participants");
  o.metadata = b.optString("metadata", "metadata").value_or("");
  return reply(engine.createRoom(o), [](const RoomInfo& r) { return lkjson::toJson(r); });
}

HttpResponse listRooms(MediaEngine& engine, const JsonBody& b) {
  return reply(engine.listRooms(b.stringList("names", "names")), [](const auto& rooms) {
    json list = json::array();
    for (const auto& r : rooms) list.push_back(lkjson::toJson(r));
    return json{{"rooms", list}};
  });
}

HttpResponse deleteRoom(MediaEngine& engine, const JsonBody& b) {
  return reply(engine.deleteRoom(roomOf(b)), [](const auto&) { return emptyMessage(); });
}

HttpResponse listParticipants(MediaEngine& engine, const JsonBody& b) {
  return reply(engine.listParticipants(roomOf(b)), [](const auto& list) {
    json out = json::array();
    for (const auto& p : list) out.push_back(lkjson::toJson(p));
    return json{{"participants", out}};
  });
}

std::string identityOf(const JsonBody& b) {
  return b.requireString("identity", "identity");
}

HttpResponse getParticipant(MediaEngine& engine, const JsonBody& b) {
  return reply(engine.getParticipant(roomOf(b), identityOf(b)),
               [](const ParticipantInfo& p) { return lkjson::toJson(p); });
}

HttpResponse removeParticipant(MediaEngine& engine, const JsonBody& b) {
  std::string room = roomOf(b), identity = identityOf(b);
  (void)b.optInt64("revokeTokenTs", "revoke_token_ts");  // type-checked; tokens are not revoked
  return reply(engine.removeParticipant(room, identity),
               [](const auto&) { return emptyMessage(); });
}

HttpResponse mutePublishedTrack(MediaEngine& engine, const JsonBody& b) {
  std::string room = roomOf(b), identity = identityOf(b);
  std::string track = b.requireString("trackSid", "track_sid");
  bool muted = b.optBool("muted", "muted").value_or(false);
  return reply(engine.mutePublishedTrack(room, identity, track, muted), [](const TrackInfo& t) {
    return json{{"track", lkjson::toJson(t)}};
  });
}

HttpResponse updateParticipant(MediaEngine& engine, const JsonBody& b) {
  std::string room = roomOf(b), identity = identityOf(b);
  ParticipantUpdate u;
  // proto3 strings have no presence: an empty value leaves the field unchanged (LiveKit).
  u.metadata = b.optString("metadata", "metadata");
  if (u.metadata && u.metadata->empty()) u.metadata.reset();
  u.name = b.optString("name", "name");
  if (u.name && u.name->empty()) u.name.reset();
  if (auto perm = b.optObject("permission", "permission"))
    u.permission = lkjson::parsePermission(*perm);
  return reply(engine.updateParticipant(room, identity, u),
               [](const ParticipantInfo& p) { return lkjson::toJson(p); });
}

HttpResponse updateRoomMetadata(MediaEngine& engine, const JsonBody& b) {
  std::string room = roomOf(b);
  std::string metadata = b.optString("metadata", "metadata").value_or("");
  return reply(engine.updateRoomMetadata(room, metadata),
               [](const RoomInfo& r) { return lkjson::toJson(r); });
}

const std::map<std::string, Method>& methods() {
  static const std::map<std::string, Method> table = {
      {"CreateRoom", {Grant::RoomCreate, createRoom}},
      {"ListRooms", {Grant::RoomList, listRooms}},
      {"DeleteRoom", {Grant::RoomCreate, deleteRoom}},
      {"ListParticipants", {Grant::RoomAdmin, listParticipants}},
      {"GetParticipant", {Grant::RoomAdmin, getParticipant}},
      {"RemoveParticipant", {Grant::RoomAdmin, removeParticipant}},
      {"MutePublishedTrack", {Grant::RoomAdmin, mutePublishedTrack}},
      {"UpdateParticipant", {Grant::RoomAdmin, updateParticipant}},
      {"UpdateRoomMetadata", {Grant::RoomAdmin, updateRoomMetadata}},
  };
  return table;
}

// LiveKit's grant checks (pkg/service/auth.go semantics): roomAdmin is per room.
std::optional<std::string> missingGrant(Grant grant, const VideoGrant& g, const JsonBody& body) {
  switch (grant) {
    case Grant::RoomCreate:
      return g.roomCreate ? std::nullopt : std::optional<std::string>("token lacks roomCreate");
    case Grant::RoomList:
      return g.roomList ? std::nullopt : std::optional<std::string>("token lacks roomList");
    case Grant::RoomAdmin: {
      if (!g.roomAdmin) return "token lacks roomAdmin";
      std::string room = roomOf(body);
      if (g.room != room) return "token is for room '" + g.room + "', not '" + room + "'";
      return std::nullopt;
    }
  }
  return "unknown grant";
}

HttpResponse handle(const ApiContext& ctx, const HttpRequest& req) {
  auto method = methods().find(req.param("method"));
  if (method == methods().end()) {
    return twirpError("bad_route", "no handler for livekit.RoomService/" + req.param("method"));
  }
  // Twirp v7: a request that is not JSON (or protobuf, which ringcast does not speak) is
  // a bad_route.
  if (!hasMediaType(req.header("Content-Type"), "application/json")) {
    return twirpError("bad_route", "Content-Type must be application/json");
  }
  ApiCaller caller = authenticateApiCaller(ctx, req);
  if (caller.error) return *caller.error;
  return withJsonErrors([&] {
    JsonBody body = JsonBody::parse(req.body);
    if (auto missing = missingGrant(method->second.grant, caller.claims->video, body)) {
      return twirpError("permission_denied", *missing);
    }
    HttpResponse r = method->second.call(ctx.engine, body);
    spdlog::info("twirp: RoomService/{} by {}: {}", method->first, caller.claims->apiKey, r.status);
    return r;
  });
}

}  // namespace

std::string twirpCodeFor(int status) {
  switch (status) {
    case 400:
      return "invalid_argument";
    case 401:
      return "unauthenticated";
    case 403:
      return "permission_denied";
    case 404:
      return "not_found";
    case 409:
      return "already_exists";
    case 412:
      return "failed_precondition";
    case 429:
      return "resource_exhausted";
    case 501:
      return "unimplemented";
    case 503:
      return "unavailable";
    default:
      return "internal";
  }
}

HttpResponse twirpError(const std::string& code, const std::string& msg) {
  static const std::map<std::string, int> kStatus = {{"invalid_argument", 400},
                                                     {"malformed", 400},
                                                     {"out_of_range", 400},
                                                     {"unauthenticated", 401},
                                                     {"permission_denied", 403},
                                                     {"not_found", 404},
                                                     {"bad_route", 404},
                                                     {"already_exists", 409},
                                                     {"failed_precondition", 412},
                                                     {"resource_exhausted", 429},
                                                     {"unimplemented", 501},
                                                     {"unavailable", 503},
                                                     {"internal", 500}};
  auto it = kStatus.find(code);
  HttpResponse r = HttpResponse::json(it == kStatus.end() ? 500 : it->second,
                                      json{{"code", code}, {"msg", msg}}.dump());
  if (r.status == 401) r.set("WWW-Authenticate", "Bearer realm=\"ringcast\"");  // RFC 6750 §3
  return r;
}

ApiCaller authenticateApiCaller(const ApiContext& ctx, const HttpRequest& req) {
  auto header = req.header("Authorization");
  if (!header) return {std::nullopt, twirpError("unauthenticated", "missing access token")};
  auto token = bearerToken(*header);
  if (!token) {
    return {std::nullopt, twirpError("unauthenticated", "Authorization must be 'Bearer <token>'")};
  }
  auto result = ctx.verifier.verify(*token, ctx.nowSec());
  if (auto* err = std::get_if<TokenError>(&result)) {
    return {std::nullopt, twirpError(twirpCodeFor(err->status), err->reason)};
  }
  return {std::get<AccessClaims>(std::move(result)), std::nullopt};
}

HttpResponse withJsonErrors(const std::function<HttpResponse()>& handler) {
  try {
    return handler();
  } catch (const lkjson::BodyError& e) {
    return twirpError(e.malformed() ? "malformed" : "invalid_argument", e.what());
  }
}

void addRoomServiceRoutes(Router& router, const ApiContext& ctx) {
  router.add("POST", "/twirp/livekit.RoomService/{method}",
             [ctx](const HttpRequest& r) { return handle(ctx, r); });
}

}  // namespace rc::api
