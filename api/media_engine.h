// The interface the control plane (HTTP API, WHIP/WHEP, later LiveKit signalling)
// uses to drive the media plane. Implemented by engine/room/engine.cpp; a fake
// implementation is used by the API unit tests.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace rc::api {

struct Config;

// Outcome of an SDP offer/answer exchange on a session.
struct OfferOutcome {
  int status = 0;  // 201 created, 200 ok (renegotiation), 400 bad offer, 404 no such session, 409
                   // conflict, 503 draining
  std::string error;      // human-readable reason when status >= 400
  std::string answerSdp;  // SDP answer when status < 300
  std::string sessionId;  // opaque id used in the Location URL (/whip/{room}/{sessionId})
};

// What a participant may do (LiveKit ParticipantPermission). Taken from the token's
// video grant when the participant joins; RoomService.UpdateParticipant changes it.
struct ParticipantPermission {
  bool canSubscribe = true;
  bool canPublish = true;
  bool canPublishData = true;
};

struct PublishRequest {
  std::string room;
  std::string identity;  // participant identity from the token ("sub")
  std::string name;      // display name from the token (may be empty)
  std::string offerSdp;
  std::string metadata;  // participant metadata from the token
  ParticipantPermission permission;
};

struct PlayRequest {
  std::string room;
  std::string identity;
  std::optional<std::string> participant;  // ?participant=<identity> to play one publisher
  std::string offerSdp;
  std::string name;
  std::string metadata;
  ParticipantPermission permission;
};

// Snapshots of the room model (LiveKit livekit_models.proto names; the JSON mapping is in
// api/livekit_json.h).
struct TrackInfo {
  std::string sid;       // "TR_..."
  std::string type;      // "AUDIO" | "VIDEO"
  std::string name;      // the publisher's mid (WHIP carries no track names)
  std::string mimeType;  // "video/VP8", "audio/opus", ...
  std::string source;    // "CAMERA" | "MICROPHONE"
  std::string mid;
  bool muted = false;
};

struct ParticipantInfo {
  std::string sid;  // "PA_..."
  std::string identity, name, metadata;
  std::string state = "JOINED";  // JOINED (no transport connected yet) | ACTIVE | DISCONNECTED
  int64_t joinedAtMs = 0;        // unix time
  ParticipantPermission permission;
  bool isPublisher = false;
  std::vector<TrackInfo> tracks;
};

struct RoomInfo {
  std::string sid;  // "RM_..."
  std::string name, metadata;
  uint32_t emptyTimeout = 0;     // seconds
  uint32_t maxParticipants = 0;  // 0 = no limit
  int64_t creationTimeMs = 0;    // unix time
  uint32_t numParticipants = 0, numPublishers = 0;
};

struct CreateRoomOptions {
  std::string name;
  std::optional<uint32_t> emptyTimeout, maxParticipants;  // unset: config defaults
  std::string metadata;
};

struct ParticipantUpdate {
  std::optional<std::string> metadata, name;
  std::optional<ParticipantPermission> permission;
};

// Result of a room-service call: status 200 with a value, or 4xx/5xx with a reason
// (404 unknown room/participant/track, 400 bad argument, 501 engine without rooms).
template <typename T>
struct RoomResult {
  int status = 200;
  std::string error;
  T value{};
  bool ok() const { return status >= 200 && status < 300; }
};

// A room-model event (LiveKit webhook event names): room_started, room_finished,
// participant_joined, participant_left, track_published, track_unpublished.
struct RoomEvent {
  std::string event;
  RoomInfo room;
  std::optional<ParticipantInfo> participant;
  std::optional<TrackInfo> track;
};
// Called on the engine's housekeeping thread (never a media worker); must not block.
using RoomEventSink = std::function<void(const RoomEvent&)>;

struct EngineStats {
  uint64_t rooms = 0, participants = 0, tracks = 0;
  uint64_t packetsIn = 0, packetsOut = 0, bytesIn = 0, bytesOut = 0, dropped = 0;
  // Every data-plane counter summed over workers, by name (e.g. "drop_malformed",
  // "nacks_in"), for /metrics.
  std::vector<std::pair<std::string, uint64_t>> counters;
  std::string ioBackend;
  int workers = 0;
  // Per worker, in worker order: time spent handling work (outside the blocking wait) and
  // total loop time, both in nanoseconds since start. busy/loop is the busy ratio.
  struct WorkerLoad {
    uint64_t busyNs = 0, loopNs = 0;
    uint64_t poolBuffers = 0;  // the worker's packet-buffer pool size (it grows under load)
  };
  std::vector<WorkerLoad> workerLoad;
};

class MediaEngine {
 public:
  virtual ~MediaEngine() = default;
  virtual OfferOutcome publish(const PublishRequest& req) = 0;  // WHIP POST
  virtual OfferOutcome play(const PlayRequest& req) = 0;        // WHEP POST
  // Trickle ICE / ICE restart fragment (RFC 9725 §4.3). ICE-lite: remote candidates
  // are not needed; returns 204, 404 for an unknown session, 400 for a malformed body.
  virtual int patch(const std::string& room, const std::string& sessionId,
                    const std::string& fragment) = 0;
  virtual bool remove(const std::string& room, const std::string& sessionId) = 0;  // DELETE
  // A new offer on an existing session's peer connection (RFC 8829 §5.3 subsequent
  // offer): sections may be added in either direction, the transport is kept.
  // 200 with the answer, 404 unknown session, 400 bad offer, 422 ICE restart.
  virtual OfferOutcome renegotiate(const std::string& room, const std::string& sessionId,
                                   const std::string& offerSdp) = 0;
  virtual EngineStats stats() const = 0;
  virtual void stop() = 0;  // stop workers, close transports

  // ---- room service (LiveKit RoomService semantics) ----
  // An engine without a room model (test doubles) answers 501 to all of these.
  template <typename T>
  static RoomResult<T> noRooms() {
    return {501, "this media engine has no room model", T{}};
  }
  virtual RoomResult<RoomInfo> createRoom(const CreateRoomOptions& options) {
    return noRooms<RoomInfo>();
  }
  // Every room, or only those named (unknown names are skipped).
  virtual RoomResult<std::vector<RoomInfo>> listRooms(const std::vector<std::string>& names) {
    return noRooms<std::vector<RoomInfo>>();
  }
  // Ends every session in the room and closes it.
  virtual RoomResult<RoomInfo> deleteRoom(const std::string& room) { return noRooms<RoomInfo>(); }
  virtual RoomResult<std::vector<ParticipantInfo>> listParticipants(const std::string& room) {
    return noRooms<std::vector<ParticipantInfo>>();
  }
  virtual RoomResult<ParticipantInfo> getParticipant(const std::string& room,
                                                     const std::string& identity) {
    return noRooms<ParticipantInfo>();
  }
  // Ends all of the participant's WHIP/WHEP sessions.
  virtual RoomResult<ParticipantInfo> removeParticipant(const std::string& room,
                                                        const std::string& identity) {
    return noRooms<ParticipantInfo>();
  }
  // Stops (muted) or resumes forwarding of one published track to every subscriber.
  virtual RoomResult<TrackInfo> mutePublishedTrack(const std::string& room,
                                                   const std::string& identity,
                                                   const std::string& trackSid, bool muted) {
    return noRooms<TrackInfo>();
  }
  // Revoking canPublish ends the participant's publishing sessions, revoking canSubscribe
  // its playing sessions.
  virtual RoomResult<ParticipantInfo> updateParticipant(const std::string& room,
                                                        const std::string& identity,
                                                        const ParticipantUpdate& update) {
    return noRooms<ParticipantInfo>();
  }
  virtual RoomResult<RoomInfo> updateRoomMetadata(const std::string& room,
                                                  const std::string& metadata) {
    return noRooms<RoomInfo>();
  }
  // Where room events go (set once, before serving).
  virtual void setEventSink(RoomEventSink) {}
  // Posts a no-op command to every media worker and waits for all of them to run it:
  // false when one did not answer within `timeout` (a stalled loop). /readyz uses it.
  // An engine without worker threads has nothing that can stall: true.
  virtual bool workersResponsive(std::chrono::milliseconds timeout) {
    (void)timeout;
    return true;
  }
};

// Creates the real engine (workers started) from the config.
std::unique_ptr<MediaEngine> createMediaEngine(const Config& config);

}  // namespace rc::api
