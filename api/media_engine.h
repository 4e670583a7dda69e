// The interface the control plane (HTTP API, WHIP/WHEP, later LiveKit signalling)
// uses to drive the media plane. Implemented by engine/room/engine.cpp; a fake
// implementation is used by the API unit tests.
#pragma once

#include <chrono>
#include <cstdint>
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

struct PublishRequest {
  std::string room;
  std::string identity;  // participant identity from the token ("sub")
  std::string name;      // display name from the token (may be empty)
  std::string offerSdp;
};

struct PlayRequest {
  std::string room;
  std::string identity;
  std::optional<std::string> participant;  // ?participant=<identity> to play one publisher
  std::string offerSdp;
};

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
