// The RoomService operations of api::MediaEngine (LiveKit livekit_room.proto semantics)
// on the control-side room model. Each takes the engine mutex for its whole duration;
// worker-side effects are posted as commands and never waited for.
#include <spdlog/spdlog.h>

#include "engine/room/engine.h"

namespace rc::engine {
namespace {

template <typename T>
api::RoomResult<T> notFound(std::string what) {
  return {404, std::move(what), T{}};
}

template <typename T>
api::RoomResult<T> found(T value) {
  return {200, {}, std::move(value)};
}

std::string noRoom(const std::string& room) {
  return "room '" + room + "' does not exist";
}

std::string noParticipant(const std::string& identity, const std::string& room) {
  return "participant '" + identity + "' is not in room '" + room + "'";
}

// The room and participant a call names, or the 404 reason.
struct Target {
  Room* room = nullptr;
  Participant* participant = nullptr;
  std::string error;
};

Target lookup(std::map<std::string, Room>& rooms, const std::string& name,
              const std::string* identity) {
  auto it = rooms.find(name);
  if (it == rooms.end()) return {nullptr, nullptr, noRoom(name)};
  if (!identity) return {&it->second, nullptr, {}};
  auto p = it->second.participants.find(*identity);
  if (p == it->second.participants.end()) return {nullptr, nullptr, noParticipant(*identity, name)};
  return {&it->second, &p->second, {}};
}

}  // namespace

api::RoomResult<api::RoomInfo> Engine::createRoom(const api::CreateRoomOptions& options) {
  if (options.name.empty()) return {400, "room name is required", {}};
  std::lock_guard lock(mutex_);
  // LiveKit: creating an existing room returns it unchanged.
  return found(roomInfo(openRoom(options.name, &options)));
}

api::RoomResult<std::vector<api::RoomInfo>> Engine::listRooms(
    const std::vector<std::string>& names) {
  std::lock_guard lock(mutex_);
  std::vector<api::RoomInfo> out;
  for (const auto& [name, room] : rooms_) {
    if (names.empty() || std::find(names.begin(), names.end(), name) != names.end())
      out.push_back(roomInfo(room));
  }
  return found(std::move(out));
}

api::RoomResult<api::RoomInfo> Engine::deleteRoom(const std::string& name) {
  std::lock_guard lock(mutex_);
  auto it = rooms_.find(name);
  if (it == rooms_.end()) return notFound<api::RoomInfo>(noRoom(name));
  api::RoomInfo info = roomInfo(it->second);
  closeRoom(it->second, "deleted by the room service");
  return found(std::move(info));
}

api::RoomResult<std::vector<api::ParticipantInfo>> Engine::listParticipants(
    const std::string& name) {
  std::lock_guard lock(mutex_);
  auto it = rooms_.find(name);
  if (it == rooms_.end()) return notFound<std::vector<api::ParticipantInfo>>(noRoom(name));
  std::vector<api::ParticipantInfo> out;
  for (const auto& [identity, p] : it->second.participants)
    out.push_back(participantInfo(it->second, p));
  return found(std::move(out));
}

api::RoomResult<api::ParticipantInfo> Engine::getParticipant(const std::string& name,
                                                             const std::string& identity) {
  std::lock_guard lock(mutex_);
  Target t = lookup(rooms_, name, &identity);
  if (!t.room) return notFound<api::ParticipantInfo>(t.error);
  return found(participantInfo(*t.room, *t.participant));
}

api::RoomResult<api::ParticipantInfo> Engine::removeParticipant(const std::string& name,
                                                                const std::string& identity) {
  std::lock_guard lock(mutex_);
  Target t = lookup(rooms_, name, &identity);
  if (!t.room) return notFound<api::ParticipantInfo>(t.error);
  api::ParticipantInfo info = participantInfo(*t.room, *t.participant);
  info.state = "DISCONNECTED";
  std::vector<std::string> ids(t.participant->sessions.begin(), t.participant->sessions.end());
  endSessions(*t.room, ids, "removed by the room service");
  return found(std::move(info));
}

api::RoomResult<api::TrackInfo> Engine::mutePublishedTrack(const std::string& name,
                                                           const std::string& identity,
                                                           const std::string& trackSid,
                                                           bool muted) {
  std::lock_guard lock(mutex_);
  auto it = rooms_.find(name);
  if (it == rooms_.end()) return notFound<api::TrackInfo>(noRoom(name));
  Room& room = it->second;
  auto p = room.participants.find(identity);
  if (p == room.participants.end()) return notFound<api::TrackInfo>(noParticipant(identity, name));
  for (const auto& id : p->second.sessions) {
    for (const auto& track : room.sessions.at(id)->tracks) {
      if (track->id != trackSid) continue;
      setMuted(room, track, muted);
      return found(trackInfo(room, *track));
    }
  }
  return notFound<api::TrackInfo>("participant '" + identity + "' has no track '" + trackSid + "'");
}

api::RoomResult<api::ParticipantInfo> Engine::updateParticipant(
    const std::string& name, const std::string& identity, const api::ParticipantUpdate& update) {
  std::lock_guard lock(mutex_);
  Target t = lookup(rooms_, name, &identity);
  if (!t.room) return notFound<api::ParticipantInfo>(t.error);
  Room& room = *t.room;
  Participant& part = *t.participant;
  if (update.metadata) part.metadata = *update.metadata;
  if (update.name) part.name = *update.name;
  if (update.permission) {
    part.permission = *update.permission;
    part.permissionSetByAdmin = true;
  }
  // Revoked rights end the sessions that used them.
  std::vector<std::string> revoked;
  for (const auto& id : part.sessions) {
    const Session& s = *room.sessions.at(id);
    if ((!s.tracks.empty() && !part.permission.canPublish) ||
        (!s.downTracks.empty() && !part.permission.canSubscribe)) {
      revoked.push_back(id);
    }
  }
  api::ParticipantInfo info = participantInfo(room, part);
  if (revoked.size() == part.sessions.size() && !revoked.empty()) info.state = "DISCONNECTED";
  endSessions(room, revoked, "permission revoked by the room service");  // may erase `part`
  if (!revoked.empty()) {
    auto still = room.participants.find(identity);
    if (still != room.participants.end()) info = participantInfo(room, still->second);
  }
  return found(std::move(info));
}

api::RoomResult<api::RoomInfo> Engine::updateRoomMetadata(const std::string& name,
                                                          const std::string& metadata) {
  std::lock_guard lock(mutex_);
  auto it = rooms_.find(name);
  if (it == rooms_.end()) return notFound<api::RoomInfo>(noRoom(name));
  it->second.metadata = metadata;
  return found(roomInfo(it->second));
}

}  // namespace rc::engine
