// Which publisher each viewer receives, and how sessions end.
#include <spdlog/spdlog.h>

#include "engine/room/engine.h"

namespace rc::engine {

std::shared_ptr<Session> Engine::findPublisher(Room& room, const Session& viewer) {
  std::shared_ptr<Session> best;
  for (const auto& id : room.publisherSessions) {
    auto it = room.sessions.find(id);
    if (it == room.sessions.end()) continue;
    const std::shared_ptr<Session>& s = it->second;
    if (s->tracks.empty() || s.get() == &viewer) continue;
    if (s->transport->state.load() == TransportState::Closed) continue;
    if (viewer.participantFilter && s->identity != *viewer.participantFilter) continue;
    if (!best || s->order > best->order) best = s;
  }
  return best;
}

// Each unbound down track of the viewer gets the publisher's first track of the
// same kind that this viewer does not receive yet.
void Engine::bindViewer(Room& room, Session& viewer) {
  auto pub = findPublisher(room, viewer);
  if (!pub) return;
  for (DownTrack* down : viewer.downTracks) {
    if (viewer.boundTo.count(down)) continue;
    for (const auto& track : pub->tracks) {
      bool used = false;
      for (const auto& [d, id] : viewer.boundTo) used = used || id == track->id;
      if (used || track->kind != down->kind) continue;
      viewer.boundTo[down] = track->id;
      if (room.mutedTracks.count(track->id)) break;  // bound again when unmuted
      postToTransport(viewer.transport.get(), [down, track](Worker& w) {
        if (!mapCodecs(*down, track->codecs)) {
          spdlog::warn("no common {} codec for {} (publisher sends {})", down->kind, down->mid,
                       track->codec.name);
          return;
        }
        w.bindDownTrack(down, track.get(), nowMicros());
      });
      break;
    }
  }
}

void Engine::bindViewersTo(Room& room) {
  for (auto& [id, s] : room.sessions) {
    if (s->boundTo.size() < s->downTracks.size()) bindViewer(room, *s);
  }
}

void Engine::endSession(Room& room, const std::string& sessionId, const std::string& reason) {
  auto it = room.sessions.find(sessionId);
  if (it == room.sessions.end()) return;
  std::shared_ptr<Session> s = it->second;
  room.sessions.erase(it);
  room.publisherSessions.erase(sessionId);
  leave(room, *s);
  spdlog::info("room {}: {} left (session {}: {})", room.name, s->identity, s->id, reason);
  s->transport->state = TransportState::Closed;
  {
    std::lock_guard ulock(ufragMutex_);
    byUfrag_.erase(s->transport->credentials.localUfrag);
  }
  Transport* t = s->transport.get();
  postToTransport(t, [t](Worker& w) { w.closeTransport(t, false); });
  if (!s->tracks.empty()) {
    for (auto& [id, viewer] : room.sessions) {
      for (auto bound = viewer->boundTo.begin(); bound != viewer->boundTo.end();) {
        bool ours = false;
        for (const auto& track : s->tracks) ours = ours || track->id == bound->second;
        if (!ours) {
          ++bound;
          continue;
        }
        DownTrack* down = bound->first;
        postToTransport(viewer->transport.get(),
                        [down](Worker& w) { w.unbindDownTrack(down, true); });
        bound = viewer->boundTo.erase(bound);
      }
    }
    bindViewersTo(room);
  }
  retire(s);  // the room stays open until empty for its emptyTimeout (sweepEmptyRooms)
}

void Engine::retire(const std::shared_ptr<Session>& s) {
  for (auto& track : s->tracks) track->closed = true;
  graveyard_.push_back({nowMicros(), s->transport, s->tracks});
}

// Sessions whose transport no worker adopted (the browser never completed ICE)
// time out like idle transports.
void Engine::sweepUnadopted(int64_t nowUs) {
  std::vector<std::pair<std::string, std::string>> expired;
  for (auto& [name, room] : rooms_) {
    for (auto& [id, s] : room.sessions) {
      if (s->transport->owner.load() < 0 && nowUs - s->createdUs > transportTimeoutUs_) {
        expired.emplace_back(name, id);
      }
    }
  }
  for (auto& [name, id] : expired) {
    auto it = rooms_.find(name);
    if (it != rooms_.end()) endSession(it->second, id, "ICE never completed");
  }
}

// RFC 9725 §4.3: trickle candidates are accepted and ignored (an ICE-lite server
// needs none); an ICE restart is not supported yet.
int Engine::patch(const std::string& room, const std::string& sessionId,
                  const std::string& fragment) {
  std::lock_guard lock(mutex_);
  auto r = rooms_.find(room);
  if (r == rooms_.end() || !r->second.sessions.count(sessionId)) return 404;
  auto& s = r->second.sessions[sessionId];
  auto pos = fragment.find("a=ice-ufrag:");
  if (pos != std::string::npos) {
    std::string ufrag = fragment.substr(pos + 12, fragment.find_first_of("\r\n", pos) - pos - 12);
    (void)s;
    return 422;  // ICE restart requested: not supported
  }
  return 204;
}

bool Engine::remove(const std::string& room, const std::string& sessionId) {
  std::lock_guard lock(mutex_);
  auto r = rooms_.find(room);
  if (r == rooms_.end() || !r->second.sessions.count(sessionId)) return false;
  endSession(r->second, sessionId, "deleted by client");
  return true;
}

}  // namespace rc::engine
