// The application API (issue 4): what an app backend calls to admit its users.
//   POST /get-token        {roomName, identity, name?, metadata?, role?: host|viewer, ttl?}
//                          -> {token, url}
//   POST /start-recording  {roomName}   -> {egressId}  (a room recording, api::Recorder)
//   POST /stop-recording   {egressId}   -> {egressId, status}
//   POST /list-recordings  {roomName}   -> {files: [{key, size, lastModified, url,
//                                          urlExpiresIn, startedAt?, durationMs?}]}
//   (501 when the daemon runs without a recorder)
// Authenticated like the RoomService (Bearer JWT signed with an API secret): /get-token
// needs roomCreate, or roomAdmin for that room; the recording calls need roomRecord (for
// that room when the grant names one). Errors use the Twirp JSON shape {code, msg}.
#pragma once

#include "api/router.h"
#include "api/whip_handlers.h"

namespace rc::api {

void addAppApiRoutes(Router& router, const ApiContext& ctx);

}  // namespace rc::api
