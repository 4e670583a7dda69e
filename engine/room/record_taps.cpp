// The engine side of recording (record/record_source.h): taps are attached to and
// detached from published tracks by commands on each publisher's worker, so only the
// owning worker ever touches PublishedTrack::recordTap. A detach completes when every
// detach command has run (or was discarded with its closed transport): only then can
// no worker write into the taps, and the recorder may free them.
#include <spdlog/spdlog.h>

#include <algorithm>

#include "engine/room/engine.h"

namespace rc::engine {
namespace {

std::optional<record::MediaCodec> recordableCodec(const std::string& name) {
  auto is = [&](const char* n) { return strcasecmp(name.c_str(), n) == 0; };
  if (is("opus")) return record::MediaCodec::Opus;
  if (is("VP8")) return record::MediaCodec::VP8;
  if (is("VP9")) return record::MediaCodec::VP9;
  if (is("H264")) return record::MediaCodec::H264;
  if (is("AV1")) return record::MediaCodec::AV1;
  return std::nullopt;
}

// The TrackSpec of what the publisher sends. RED (RFC 2198) wraps Opus: the media payload
// type is then the Opus alternative's.
std::optional<record::TrackSpec> trackSpecOf(const PublishedTrack& t) {
  record::TrackSpec spec;
  spec.trackId = t.id;
  const sdp::NegotiatedCodec* media = &t.codec;
  if (strcasecmp(t.codec.name.c_str(), "red") == 0) {
    spec.redPayloadType = static_cast<uint8_t>(t.codec.pt);
    auto opus = std::find_if(t.codecs.begin(), t.codecs.end(),
                             [](const auto& c) { return strcasecmp(c.name.c_str(), "opus") == 0; });
    if (opus == t.codecs.end()) return std::nullopt;
    media = &*opus;
  }
  auto codec = recordableCodec(media->name);
  if (!codec) return std::nullopt;
  spec.codec = *codec;
  spec.payloadType = static_cast<uint8_t>(media->pt);
  spec.clockRate = static_cast<uint32_t>(media->clockRate);
  spec.channels = static_cast<uint8_t>(spec.isVideo() ? 0 : std::max(media->channels, 2));
  return spec;
}

bool wanted(const record::TapRequest& r, const Session& s, const PublishedTrack& t) {
  if (r.trackIds.empty()) return s.identity == r.identity;
  return std::find(r.trackIds.begin(), r.trackIds.end(), t.id) != r.trackIds.end();
}

}  // namespace

bool Engine::isTapped(const PublishedTrack* track) const {
  for (const auto& [handle, a] : recordings_) {
    for (const auto& t : a.tracks)
      if (t.get() == track) return true;
  }
  return false;
}

record::TapAttachment Engine::attachTaps(const record::TapRequest& request) {
  record::TapAttachment out;
  std::lock_guard lock(mutex_);
  auto room = rooms_.find(request.room);
  if (room == rooms_.end()) return record::tapRefusal(404, "room '" + request.room + "' not found");
  TapBinding binding;
  for (const auto& [id, s] : room->second.sessions) {
    if (!s->publisher) continue;
    for (const auto& track : s->tracks) {
      if (track->closed || !wanted(request, *s, *track)) continue;
      auto spec = trackSpecOf(*track);
      if (!spec)
        return record::tapRefusal(
            400, "track " + track->id + " uses " + track->codec.name + ", not recordable");
      if (isTapped(track.get()))
        return record::tapRefusal(409, "track " + track->id + " is already being recorded");
      out.tracks.push_back(*spec);
      out.identities.push_back(s->identity);
      binding.tracks.push_back(track);
      binding.transports.push_back(s->transport);
    }
  }
  if (!request.trackIds.empty() && out.tracks.size() != request.trackIds.size()) {
    return record::tapRefusal(404, "track not found in room '" + request.room + "'");
  }
  if (out.tracks.empty()) {
    return record::tapRefusal(404, "participant '" + request.identity +
                                       "' publishes no track in room '" + request.room + "'");
  }
  for (size_t i = 0; i < binding.tracks.size(); ++i) {
    auto tap = std::make_shared<record::RecordTap>(i);
    out.taps.push_back(tap);
    postToTransport(binding.tracks[i]->publisher,
                    [track = binding.tracks[i], tap](Worker&) { track->recordTap = tap; });
  }
  out.handle = ++lastRecordingHandle_;
  out.roomSid = room->second.sid;
  recordings_[out.handle] = std::move(binding);
  return out;
}

void Engine::detachTaps(uint64_t handle, std::function<void()> done) {
  // Runs `done` when the last detach command has run or been discarded.
  std::shared_ptr<void> acknowledged(nullptr, [done = std::move(done)](void*) {
    if (done) done();
  });
  std::lock_guard lock(mutex_);
  auto it = recordings_.find(handle);
  if (it == recordings_.end()) return;
  for (size_t i = 0; i < it->second.tracks.size(); ++i) {
    postToTransport(it->second.transports[i].get(), [track = it->second.tracks[i], acknowledged](
                                                        Worker&) { track->recordTap.reset(); });
  }
  recordings_.erase(it);
}

void Engine::requestKeyframe(uint64_t handle, size_t index) {
  std::lock_guard lock(mutex_);
  auto it = recordings_.find(handle);
  if (it == recordings_.end() || index >= it->second.tracks.size()) return;
  auto& track = it->second.tracks[index];
  if (track->closed) return;
  postToTransport(it->second.transports[index].get(),
                  [track](Worker& w) { w.requestKeyframe(track.get(), nowMicros()); });
}

std::vector<std::string> Engine::publishers(const std::string& roomName) {
  std::vector<std::string> out;
  std::lock_guard lock(mutex_);
  auto room = rooms_.find(roomName);
  if (room == rooms_.end()) return out;
  for (const auto& [id, s] : room->second.sessions) {
    if (s->publisher && !s->tracks.empty() &&
        std::find(out.begin(), out.end(), s->identity) == out.end()) {
      out.push_back(s->identity);
    }
  }
  return out;
}

void Engine::setRecordEventSink(std::function<void(const record::RecordSourceEvent&)> sink) {
  std::lock_guard lock(sinkMutex_);
  recordSink_ = std::move(sink);
}

void Engine::queueRecordEvent(record::RecordSourceEvent ev) {
  events_.push([this, ev = std::move(ev)] {
    std::lock_guard lock(sinkMutex_);
    if (recordSink_) recordSink_(ev);
  });
}

void Engine::noteRecordedPublisher(const Room& room, const Session& s, bool joined) {
  if (!s.publisher || s.tracks.empty()) return;
  record::RecordSourceEvent ev{joined ? record::RecordSourceEvent::Kind::PublisherJoined
                                      : record::RecordSourceEvent::Kind::TracksGone,
                               room.name,
                               s.identity,
                               {}};
  for (const auto& t : s.tracks) ev.trackIds.push_back(t->id);
  queueRecordEvent(std::move(ev));
}

}  // namespace rc::engine
