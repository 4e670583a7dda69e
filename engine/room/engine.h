// The media engine: workers, the rings between them, the ufrag table used for
// transport adoption, and the control-side room/session model used by WHIP/WHEP.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "api/config.h"
#include "api/media_engine.h"
#include "crypto/certificate.h"
#include "crypto/dtls.h"
#include "engine/room/down_track.h"
#include "engine/room/published_track.h"
#include "engine/room/room.h"
#include "engine/transport/transport.h"
#include "engine/worker/worker.h"
#include "record/record_source.h"

namespace rc::engine {

int64_t nowMicros() noexcept;

class Engine final : public api::MediaEngine, public record::RecordSource {
 public:
  explicit Engine(const api::Config& config);
  ~Engine() override;

  // api::MediaEngine (control thread)
  api::OfferOutcome publish(const api::PublishRequest& req) override;
  api::OfferOutcome play(const api::PlayRequest& req) override;
  int patch(const std::string& room, const std::string& sessionId,
            const std::string& fragment) override;
  bool remove(const std::string& room, const std::string& sessionId) override;
  api::OfferOutcome renegotiate(const std::string& room, const std::string& sessionId,
                                const std::string& offerSdp) override;
  api::EngineStats stats() const override;
  void stop() override;
  bool workersResponsive(std::chrono::milliseconds timeout) override;

  // api::MediaEngine room service (room_service.cpp)
  api::RoomResult<api::RoomInfo> createRoom(const api::CreateRoomOptions& options) override;
  api::RoomResult<std::vector<api::RoomInfo>> listRooms(
      const std::vector<std::string>& names) override;
  api::RoomResult<api::RoomInfo> deleteRoom(const std::string& room) override;
  api::RoomResult<std::vector<api::ParticipantInfo>> listParticipants(
      const std::string& room) override;
  api::RoomResult<api::ParticipantInfo> getParticipant(const std::string& room,
                                                       const std::string& identity) override;
  api::RoomResult<api::ParticipantInfo> removeParticipant(const std::string& room,
                                                          const std::string& identity) override;
  api::RoomResult<api::TrackInfo> mutePublishedTrack(const std::string& room,
                                                     const std::string& identity,
                                                     const std::string& trackSid,
                                                     bool muted) override;
  api::RoomResult<api::ParticipantInfo> updateParticipant(
      const std::string& room, const std::string& identity,
      const api::ParticipantUpdate& update) override;
  api::RoomResult<api::RoomInfo> updateRoomMetadata(const std::string& room,
                                                    const std::string& metadata) override;
  void setEventSink(api::RoomEventSink sink) override;

  // record::RecordSource (record_taps.cpp; control and recorder threads)
  record::TapAttachment attachTaps(const record::TapRequest& request) override;
  void detachTaps(uint64_t handle, std::function<void()> done) override;
  void requestKeyframe(uint64_t handle, size_t track) override;
  std::vector<std::string> publishers(const std::string& room) override;
  void setRecordEventSink(std::function<void(const record::RecordSourceEvent&)> sink) override;

  // ---- used by workers ----
  int workerCount() const noexcept { return static_cast<int>(workers_.size()); }
  Worker& worker(int i) noexcept { return *workers_[static_cast<size_t>(i)]; }
  SpscRing<FanoutItem>& ring(int src, int dst) noexcept { return *rings_[index(src, dst)]; }
  SpscRing<io::PacketBuffer*>& returnRing(int src, int dst) noexcept {
    return *returns_[index(src, dst)];
  }
  const stun::Credentials* lookupCredentials(std::string_view ufrag);
  crypto::DtlsContext& dtlsContext() noexcept { return *dtls_; }
  int64_t transportTimeoutUs() const noexcept { return transportTimeoutUs_; }
  // Runs `cmd` on the transport's owner worker, now or at adoption.
  void postToTransport(Transport* t, WorkerCommand cmd);
  // A worker tells the control side that a transport closed (timeout, DTLS failure).
  void onTransportClosed(Transport* t, const std::string& reason);
  void onTransportConnected(Transport* t, const char* srtpProfile);

 private:
  size_t index(int src, int dst) const noexcept {
    return size_t(src) * workers_.size() + size_t(dst);
  }
  void startWorkers(const api::Config& config);
  void housekeeping();
  void returnFreedMemory();
  std::shared_ptr<Transport> makeTransport(const std::string& room, const std::string& identity);
  sdp::LocalParams localParams(const Transport& t) const;
  void bindViewersTo(Room& room);
  void bindViewer(Room& room, Session& viewer);
  void endSession(Room& room, const std::string& sessionId, const std::string& reason);
  void retire(const std::shared_ptr<Session>& s);
  void sweepUnadopted(int64_t nowUs);
  void addSendSections(Session& s, const sdp::SessionDescription& offer,
                       std::map<std::string, sdp::OutgoingTrack>& outgoing);
  void applyAnswer(Room& room, Session& s, const sdp::AnswerResult& result);
  std::shared_ptr<Session> findPublisher(Room& room, const Session& viewer);
  api::OfferOutcome registerSession(const std::string& roomName, std::shared_ptr<Session> s,
                                    const JoinInfo& who, const std::string& answerSdp);

  // Room model (room_model.cpp); all under mutex_.
  Room& openRoom(const std::string& name, const api::CreateRoomOptions* options);
  std::optional<api::OfferOutcome> admit(const Room& room, const JoinInfo& who, bool publish) const;
  void join(Room& room, const Session& s, const JoinInfo& who);
  void leave(Room& room, const Session& s);
  void closeRoom(Room& room, const char* reason);
  void sweepEmptyRooms(int64_t nowUs);
  void setMuted(Room& room, const std::shared_ptr<PublishedTrack>& track, bool muted);
  void endSessions(Room& room, const std::vector<std::string>& ids, const std::string& reason);
  api::RoomInfo roomInfo(const Room& room) const;
  api::ParticipantInfo participantInfo(const Room& room, const Participant& p) const;
  api::TrackInfo trackInfo(const Room& room, const PublishedTrack& track) const;
  void emit(const char* event, const Room& room, const Participant* p = nullptr,
            const PublishedTrack* track = nullptr);
  void queueEvent(api::RoomEvent ev);
  // Recording (record_taps.cpp); under mutex_.
  struct TapBinding {
    std::vector<std::shared_ptr<PublishedTrack>> tracks;
    std::vector<std::shared_ptr<Transport>> transports;  // each track's publisher
  };
  bool isTapped(const PublishedTrack* track) const;
  void noteRecordedPublisher(const Room& room, const Session& s, bool joined);
  void queueRecordEvent(record::RecordSourceEvent ev);
  std::map<uint64_t, TapBinding> recordings_;
  uint64_t lastRecordingHandle_ = 0;
  std::function<void(const record::RecordSourceEvent&)> recordSink_;  // under sinkMutex_

  uint32_t defaultEmptyTimeoutSec_ = 300;
  uint32_t defaultMaxParticipants_ = 0;
  std::mutex sinkMutex_;
  api::RoomEventSink sink_;
  std::atomic<bool> hasSink_{false};
  std::string nodeIp_;
  uint16_t udpPort_ = 0;
  int64_t transportTimeoutUs_ = 30'000'000;
  std::shared_ptr<crypto::Certificate> certificate_;
  std::unique_ptr<crypto::DtlsContext> dtls_;
  std::vector<std::unique_ptr<Worker>> workers_;
  std::vector<std::unique_ptr<SpscRing<FanoutItem>>> rings_;
  std::vector<std::unique_ptr<SpscRing<io::PacketBuffer*>>> returns_;

  mutable std::mutex ufragMutex_;
  std::unordered_map<std::string, std::shared_ptr<Transport>> byUfrag_;

  mutable std::mutex mutex_;  // rooms, sessions (control side only)
  std::map<std::string, Room> rooms_;
  struct Retired {
    int64_t atUs;
    std::shared_ptr<Transport> transport;
    std::vector<std::shared_ptr<PublishedTrack>> tracks;
  };
  std::deque<Retired> graveyard_;
  MpscQueue<std::function<void()>> events_;
  static constexpr uint64_t kTrimEverySessions = 64;
  uint64_t releasedAtLastTrim_ = 0;  // housekeeper only
  std::atomic<bool> running_{true};
  std::thread housekeeper_;
};

}  // namespace rc::engine
