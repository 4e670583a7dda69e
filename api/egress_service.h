// LiveKit-compatible Egress over Twirp JSON (egress.proto), file recordings only:
//   POST /twirp/livekit.Egress/<Method>
// StartParticipantEgress, StartTrackCompositeEgress, StartTrackEgress, StopEgress,
// ListEgress. The caller's token needs roomRecord; a token naming a room (a /get-token host)
// reaches only that room's egresses. Without a recorder every method answers 501.
#pragma once

#include <string>

#include "api/recorder.h"
#include "api/router.h"
#include "api/token.h"
#include "api/whip_handlers.h"

namespace rc::api {

void addEgressRoutes(Router& router, const ApiContext& ctx);

// The reason `claims` may not record in `room`, or "" when it may (roomRecord, and the
// token's room, when it names one, is `room`). Shared with the app API.
std::string recordingRefusal(const VideoGrant& grant, const std::string& room);

// A RecorderResult error as a Twirp error.
HttpResponse recorderError(int status, const std::string& error);

}  // namespace rc::api
