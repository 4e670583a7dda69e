// LiveKit-compatible RoomService over Twirp JSON (livekit_room.proto):
//   POST /twirp/livekit.RoomService/<Method>
// CreateRoom, ListRooms, DeleteRoom, ListParticipants, GetParticipant, RemoveParticipant,
// MutePublishedTrack, UpdateParticipant, UpdateRoomMetadata. Bodies are protobuf JSON
// (api/livekit_json.h); errors are Twirp errors {"code", "msg"} (Twirp wire protocol v7,
// "Error codes"). Callers authenticate as livekit-server-sdk does: a Bearer JWT with
// roomCreate (CreateRoom, DeleteRoom), roomList (ListRooms) or roomAdmin for the body's room.
#pragma once

#include <optional>
#include <string>

#include "api/router.h"
#include "api/token.h"
#include "api/whip_handlers.h"

namespace rc::api {

void addRoomServiceRoutes(Router& router, const ApiContext& ctx);

// A Twirp error response: the HTTP status of `code` (invalid_argument/malformed 400,
// unauthenticated 401, permission_denied 403, not_found/bad_route 404, unimplemented 501,
// internal 500, ...), Content-Type application/json.
HttpResponse twirpError(const std::string& code, const std::string& msg);
// The Twirp code for an HTTP status returned by the engine.
std::string twirpCodeFor(int status);

// The caller's verified claims from "Authorization: Bearer <jwt>", or a Twirp
// unauthenticated (401) error.
struct ApiCaller {
  std::optional<AccessClaims> claims;
  std::optional<HttpResponse> error;
};
ApiCaller authenticateApiCaller(const ApiContext& ctx, const HttpRequest& req);

// Runs `handler` on a JSON request body and turns a lkjson::BodyError into a Twirp 400
// naming the field (malformed or invalid_argument).
HttpResponse withJsonErrors(const std::function<HttpResponse()>& handler);

}  // namespace rc::api
