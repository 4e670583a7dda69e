// Control-side model of a room: the WHIP/WHEP sessions in it and the tracks that
// publishers send. Guarded by the engine's mutex; never touched by workers.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

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

struct Room {
  std::string name;
  std::map<std::string, std::shared_ptr<Session>> sessions;  // by session id
};

}  // namespace rc::engine
