// Control-side model of a room: the WHIP/WHEP sessions in it and the tracks that
// publishers send. Guarded by the engine's mutex; never touched by workers.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "api/media_engine.h"
#include "engine/room/published_track.h"
#include "engine/transport/transport.h"

namespace rc::engine {

struct Session {
  std::string id;
  std::string identity;
  int64_t createdUs = 0;
  uint64_t order = 0;  // publish order, newest publisher wins for WHEP without ?participant
  bool publisher = false;
  std::optional<std::string> participantFilter;  // WHEP ?participant=
  std::shared_ptr<Transport> transport;
  std::vector<std::shared_ptr<PublishedTrack>> tracks;  // publisher: what it sends
  std::vector<DownTrack*> downTracks;                   // viewer: owned by transport
  std::map<DownTrack*, std::string> boundTo;            // viewer: down track -> track id
};

// Who joins with a WHIP/WHEP session (from the access token).
struct JoinInfo {
  std::string identity, name, metadata;
  api::ParticipantPermission permission;
};

// One identity in a room: the WHIP and WHEP sessions it has open.
struct Participant {
  std::string sid;  // "PA_..."
  std::string identity, name, metadata;
  int64_t joinedAtMs = 0;
  // The union of its sessions' token grants, until an admin sets it (UpdateParticipant);
  // from then on the admin's permission decides what new sessions may do.
  api::ParticipantPermission permission;
  bool permissionSetByAdmin = false;
  std::set<std::string> sessions;  // session ids
};

struct Room {
  std::string name;
  std::map<std::string, std::shared_ptr<Session>> sessions;  // by session id
  std::string sid;                                           // "RM_..."
  std::string metadata;
  int64_t creationTimeMs = 0;
  uint32_t emptyTimeoutSec = 300;
  uint32_t maxParticipants = 0;                     // 0 = no limit
  int64_t emptySinceUs = 0;                         // when the last participant left (or creation)
  std::map<std::string, Participant> participants;  // by identity
  std::set<std::string> mutedTracks;                // track sids muted by an admin
  // Ids of the sessions that send tracks: joins look publishers up here instead of scanning
  // every session (a room with 1000 viewers and one publisher).
  std::set<std::string> publisherSessions;
};

}  // namespace rc::engine
