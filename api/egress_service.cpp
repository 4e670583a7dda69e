#include "api/egress_service.h"

#include <spdlog/spdlog.h>

#include <map>

#include "api/egress_json.h"
#include "api/livekit_json.h"
#include "api/room_service.h"

namespace rc::api {
namespace {

using lkjson::JsonBody;
using nlohmann::json;

using EgressMethod =
    std::function<HttpResponse(Recorder&, const VideoGrant&, const JsonBody& body)>;

HttpResponse started(Recorder& recorder, const VideoGrant& grant, const EgressRequest& request) {
  if (auto refusal = recordingRefusal(grant, request.roomName); !refusal.empty()) {
    return twirpError("permission_denied", refusal);
  }
  auto r = recorder.start(request);
  if (r.status != 200) return recorderError(r.status, r.error);
  return HttpResponse::json(200, egressjson::toJson(r.value).dump());
}

// The egress if the caller may see it, or the Twirp error.
std::variant<EgressInfo, HttpResponse> visibleEgress(Recorder& recorder, const VideoGrant& grant,
                                                     const std::string& egressId) {
  auto found = recorder.list("", egressId, false);
  if (found.empty()) return twirpError("not_found", "egress '" + egressId + "' not found");
  if (auto refusal = recordingRefusal(grant, found[0].roomName); !refusal.empty()) {
    return twirpError("permission_denied", refusal);
  }
  return found[0];
}

HttpResponse stopEgress(Recorder& recorder, const VideoGrant& grant, const JsonBody& body) {
  std::string id = body.requireString("egressId", "egress_id");
  auto visible = visibleEgress(recorder, grant, id);
  if (auto* error = std::get_if<HttpResponse>(&visible)) return *error;
  auto r = recorder.stop(id);
  if (r.status != 200) return recorderError(r.status, r.error);
  return HttpResponse::json(200, egressjson::toJson(r.value).dump());
}

HttpResponse listEgress(Recorder& recorder, const VideoGrant& grant, const JsonBody& body) {
  std::string room = body.optString("roomName", "room_name").value_or("");
  std::string id = body.optString("egressId", "egress_id").value_or("");
  bool active = body.optBool("active", "active").value_or(false);
  if (room.empty() && !grant.room.empty()) room = grant.room;  // a room token sees its room
  if (auto refusal = recordingRefusal(grant, room.empty() ? grant.room : room); !refusal.empty()) {
    return twirpError("permission_denied", refusal);
  }
  json items = json::array();
  for (const auto& info : recorder.list(room, id, active))
    items.push_back(egressjson::toJson(info));
  return HttpResponse::json(200, json{{"items", items}}.dump());
}

const std::map<std::string, EgressMethod>& methods() {
  static const std::map<std::string, EgressMethod> kMethods = {
      {"StartParticipantEgress",
       [](Recorder& r, const VideoGrant& g, const JsonBody& b) {
         return started(r, g, egressjson::parseParticipantEgress(b));
       }},
      {"StartTrackCompositeEgress",
       [](Recorder& r, const VideoGrant& g, const JsonBody& b) {
         return started(r, g, egressjson::parseTrackCompositeEgress(b));
       }},
      {"StartTrackEgress",
       [](Recorder& r, const VideoGrant& g, const JsonBody& b) {
         return started(r, g, egressjson::parseTrackEgress(b));
       }},
      {"StopEgress", stopEgress},
      {"ListEgress", listEgress},
  };
  return kMethods;
}

HttpResponse handle(const ApiContext& ctx, const HttpRequest& req) {
  auto method = methods().find(req.param("method"));
  if (method == methods().end()) {
    return twirpError("bad_route", "no handler for livekit.Egress/" + req.param("method"));
  }
  if (!hasMediaType(req.header("Content-Type"), "application/json")) {
    return twirpError("bad_route", "Content-Type must be application/json");
  }
  ApiCaller caller = authenticateApiCaller(ctx, req);
  if (caller.error) return *caller.error;
  if (!caller.claims->video.roomRecord) {
    return twirpError("permission_denied", "token lacks the roomRecord grant");
  }
  if (!ctx.recorder) return twirpError("unimplemented", "recording is not enabled on this server");
  return withJsonErrors([&] {
    HttpResponse r = method->second(*ctx.recorder, caller.claims->video, JsonBody::parse(req.body));
    spdlog::info("twirp: Egress/{} by {}: {}", method->first, caller.claims->apiKey, r.status);
    return r;
  });
}

}  // namespace

std::string recordingRefusal(const VideoGrant& grant, const std::string& room) {
  if (!grant.roomRecord) return "token lacks the roomRecord grant";
  if (!grant.room.empty() && grant.room != room) {
    return "token is for room '" + grant.room + "'";
  }
  return "";
}

HttpResponse recorderError(int status, const std::string& error) {
  // A second stop of an ended egress: LiveKit answers failed_precondition.
  return twirpError(status == 409 ? "failed_precondition" : twirpCodeFor(status), error);
}

void addEgressRoutes(Router& router, const ApiContext& ctx) {
  router.add("POST", "/twirp/livekit.Egress/{method}",
             [ctx](const HttpRequest& r) { return handle(ctx, r); });
}

}  // namespace rc::api
