// The control-side room model: rooms opened on demand or explicitly, participants (one
// identity grouping its WHIP/WHEP sessions), admission (maxParticipants, permissions),
// empty-room expiry, admin mutes, and the room events handed to the event sink.
// Everything here runs under Engine::mutex_ on the control or housekeeping thread;
// workers only ever see the bind/unbind commands posted to them.
#include <spdlog/spdlog.h>

#include <chrono>
#include <set>
#include <string_view>

#include "engine/room/engine.h"
#include "engine/room/session_factory.h"

namespace rc::engine {
namespace {

int64_t unixNowMs() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

}  // namespace

Room& Engine::openRoom(const std::string& name, const api::CreateRoomOptions* options) {
  auto [it, created] = rooms_.try_emplace(name);
  Room& room = it->second;
  if (!created) return room;
  room.name = name;
  room.sid = "RM_" + randomToken(12);
  room.creationTimeMs = unixNowMs();
  room.emptySinceUs = nowMicros();
  room.emptyTimeoutSec = defaultEmptyTimeoutSec_;
  room.maxParticipants = defaultMaxParticipants_;
  if (options) {
    room.emptyTimeoutSec = options->emptyTimeout.value_or(room.emptyTimeoutSec);
    room.maxParticipants = options->maxParticipants.value_or(room.maxParticipants);
    room.metadata = options->metadata;
  }
  spdlog::info("room {}: started ({})", name, room.sid);
  emit("room_started", room);
  return room;
}

// A new identity is refused when the room is full; once an admin has set a participant's
// permission, that (not the new session's token) decides what it may open.
std::optional<api::OfferOutcome> Engine::admit(const Room& room, const JoinInfo& who,
                                               bool publish) const {
  auto it = room.participants.find(who.identity);
  if (it == room.participants.end()) {
    if (room.maxParticipants && room.participants.size() >= room.maxParticipants) {
      return api::OfferOutcome{403,
                               "room '" + room.name + "' is full (maxParticipants " +
                                   std::to_string(room.maxParticipants) + ")",
                               {},
                               {}};
    }
    return std::nullopt;
  }
  if (!it->second.permissionSetByAdmin) return std::nullopt;  // the token was checked
  const auto& perm = it->second.permission;
  if (publish && !perm.canPublish) {
    return api::OfferOutcome{403, "participant may not publish (canPublish revoked)", {}, {}};
  }
  if (!publish && !perm.canSubscribe) {
    return api::OfferOutcome{403, "participant may not subscribe (canSubscribe revoked)", {}, {}};
  }
  return std::nullopt;
}

void Engine::join(Room& room, const Session& s, const JoinInfo& who) {
  auto [it, created] = room.participants.try_emplace(who.identity);
  Participant& p = it->second;
  if (created) {
    p.sid = "PA_" + randomToken(12);
    p.identity = who.identity;
    p.name = who.name;
    p.metadata = who.metadata;
    p.joinedAtMs = unixNowMs();
    p.permission = who.permission;
  } else if (!p.permissionSetByAdmin) {
    p.permission.canPublish |= who.permission.canPublish;
    p.permission.canSubscribe |= who.permission.canSubscribe;
    p.permission.canPublishData |= who.permission.canPublishData;
  }
  p.sessions.insert(s.id);
  if (created) emit("participant_joined", room, &p);
  for (const auto& track : s.tracks) emit("track_published", room, &p, track.get());
}

void Engine::leave(Room& room, const Session& s) {
  auto it = room.participants.find(s.identity);
  if (it == room.participants.end()) return;
  Participant& p = it->second;
  noteRecordedPublisher(room, s, false);
  for (const auto& track : s.tracks) {
    emit("track_unpublished", room, &p, track.get());
    room.mutedTracks.erase(track->id);
  }
  p.sessions.erase(s.id);
  if (!p.sessions.empty()) return;
  api::ParticipantInfo info = participantInfo(room, p);
  info.state = "DISCONNECTED";
  room.participants.erase(it);
  if (room.participants.empty()) room.emptySinceUs = nowMicros();
  queueEvent({"participant_left", roomInfo(room), std::move(info), std::nullopt});
}

void Engine::endSessions(Room& room, const std::vector<std::string>& ids,
                         const std::string& reason) {
  for (const auto& id : ids) endSession(room, id, reason);
}

void Engine::closeRoom(Room& room, const char* reason) {
  std::vector<std::string> ids;
  for (const auto& [id, s] : room.sessions) ids.push_back(id);
  endSessions(room, ids, reason);
  spdlog::info("room {}: finished ({})", room.name, reason);
  queueRecordEvent({record::RecordSourceEvent::Kind::RoomClosed, room.name, {}, {}});
  emit("room_finished", room);
  rooms_.erase(room.name);  // `room` dangles from here on
}

void Engine::sweepEmptyRooms(int64_t nowUs) {
  std::vector<std::string> expired;
  for (const auto& [name, room] : rooms_) {
    if (room.participants.empty() && room.sessions.empty() &&
        nowUs - room.emptySinceUs >= int64_t(room.emptyTimeoutSec) * 1'000'000) {
      expired.push_back(name);
    }
  }
  for (const auto& name : expired) closeRoom(rooms_.at(name), "empty timeout");
}

// Muting unbinds the track from every subscriber's down track on the subscriber's
// worker (nothing is forwarded any more); the binding is kept on the control side so
// unmuting binds the same down tracks again, which requests a keyframe for video.
void Engine::setMuted(Room& room, const std::shared_ptr<PublishedTrack>& track, bool muted) {
  bool changed =
      muted ? room.mutedTracks.insert(track->id).second : room.mutedTracks.erase(track->id) > 0;
  if (!changed) return;
  for (auto& [id, viewer] : room.sessions) {
    for (const auto& [down, trackId] : viewer->boundTo) {
      if (trackId != track->id) continue;
      DownTrack* d = down;
      Transport* t = viewer->transport.get();
      if (muted) {
        postToTransport(t, [d](Worker& w) { w.unbindDownTrack(d, false); });
      } else {
        postToTransport(t, [d, track](Worker& w) {
          if (mapCodecs(*d, track->codecs)) w.bindDownTrack(d, track.get(), nowMicros());
        });
      }
    }
  }
  spdlog::info("room {}: track {} {}", room.name, track->id, muted ? "muted" : "unmuted");
}

api::TrackInfo Engine::trackInfo(const Room& room, const PublishedTrack& track) const {
  api::TrackInfo t;
  t.sid = track.id;
  bool audio = track.kind == "audio";
  t.type = audio ? "AUDIO" : "VIDEO";
  t.source = audio ? "MICROPHONE" : "CAMERA";
  t.name = track.mid;
  t.mid = track.mid;
  t.mimeType = track.kind + "/" + track.codec.name;
  t.muted = room.mutedTracks.count(track.id) > 0;
  return t;
}

api::ParticipantInfo Engine::participantInfo(const Room& room, const Participant& p) const {
  api::ParticipantInfo info;
  info.sid = p.sid;
  info.identity = p.identity;
  info.name = p.name;
  info.metadata = p.metadata;
  info.joinedAtMs = p.joinedAtMs;
  info.permission = p.permission;
  for (const auto& id : p.sessions) {
    auto it = room.sessions.find(id);
    if (it == room.sessions.end()) continue;
    const Session& s = *it->second;
    if (s.transport->state.load() == TransportState::Connected) info.state = "ACTIVE";
    for (const auto& track : s.tracks) info.tracks.push_back(trackInfo(room, *track));
  }
  info.isPublisher = !info.tracks.empty();
  return info;
}

api::RoomInfo Engine::roomInfo(const Room& room) const {
  api::RoomInfo info;
  info.sid = room.sid;
  info.name = room.name;
  info.metadata = room.metadata;
  info.emptyTimeout = room.emptyTimeoutSec;
  info.maxParticipants = room.maxParticipants;
  info.creationTimeMs = room.creationTimeMs;
  info.numParticipants = static_cast<uint32_t>(room.participants.size());
  std::set<std::string_view> publishing;  // identities with a session that sends tracks
  for (const auto& id : room.publisherSessions) {
    auto it = room.sessions.find(id);
    if (it != room.sessions.end() && !it->second->tracks.empty())
      publishing.insert(it->second->identity);
  }
  info.numPublishers = static_cast<uint32_t>(publishing.size());
  return info;
}

// Snapshots are taken now (under the lock); the sink runs on the housekeeping thread.
void Engine::emit(const char* event, const Room& room, const Participant* p,
                  const PublishedTrack* track) {
  if (!hasSink_.load(std::memory_order_relaxed)) return;  // no snapshots nobody reads
  api::RoomEvent ev{event, roomInfo(room), std::nullopt, std::nullopt};
  if (p) ev.participant = participantInfo(room, *p);
  if (track) ev.track = trackInfo(room, *track);
  queueEvent(std::move(ev));
}

void Engine::queueEvent(api::RoomEvent ev) {
  events_.push([this, ev = std::move(ev)] {
    std::lock_guard lock(sinkMutex_);
    if (sink_) sink_(ev);
  });
}

void Engine::setEventSink(api::RoomEventSink sink) {
  std::lock_guard lock(sinkMutex_);
  hasSink_ = static_cast<bool>(sink);
  sink_ = std::move(sink);
}

}  // namespace rc::engine
