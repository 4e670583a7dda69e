// What the recorder needs from the media engine (implemented by engine::Engine,
// engine/room/record_taps.cpp; faked in the recorder's unit tests): the negotiated codecs
// of a participant's tracks with a tap attached to each, keyframe requests, and notice
// when recorded tracks go away or a publisher joins a room.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "record/mux/track_spec.h"
#include "record/record_tap.h"

namespace rc::record {

struct TapRequest {
  std::string room;
  std::string identity;               // all of this participant's tracks...
  std::vector<std::string> trackIds;  // ...or exactly these (TrackComposite, Track)
};

struct TapAttachment {
  int status = 200;  // 404 room/participant/track unknown, 400 codec not recordable
  std::string error;
  uint64_t handle = 0;
  std::string roomSid;
  std::vector<TrackSpec> tracks;        // tracks[i] is fed by taps[i]
  std::vector<std::string> identities;  // publisher of tracks[i]
  std::vector<std::shared_ptr<RecordTap>> taps;
};

inline TapAttachment tapRefusal(int status, std::string error) {
  TapAttachment a;
  a.status = status;
  a.error = std::move(error);
  return a;
}

struct RecordSourceEvent {
  enum class Kind { PublisherJoined, TracksGone, RoomClosed } kind;
  std::string room, identity;
  std::vector<std::string> trackIds;  // TracksGone
};

class RecordSource {
 public:
  virtual ~RecordSource() = default;
  // Attaches a tap to each track on its publisher's worker (a worker command).
  virtual TapAttachment attachTaps(const TapRequest& request) = 0;
  // Detaches on the workers; `done` runs (any thread) once no worker can touch the taps.
  virtual void detachTaps(uint64_t handle, std::function<void()> done) = 0;
  // Sends a PLI (or FIR) for tracks[track] of the attachment, from the publisher's worker.
  virtual void requestKeyframe(uint64_t handle, size_t track) = 0;
  // Identities in `room` that publish at least one track.
  virtual std::vector<std::string> publishers(const std::string& room) = 0;
  // Delivered from the engine's housekeeping thread, never under its locks.
  virtual void setRecordEventSink(std::function<void(const RecordSourceEvent&)> sink) = 0;
};

}  // namespace rc::record
