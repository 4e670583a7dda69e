// A scripted MediaEngine for the API tests: records calls, answers with canned outcomes.
#pragma once

#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include <algorithm>
#include <optional>

#include "api/media_engine.h"

namespace rc::api::testing {

class FakeMediaEngine : public MediaEngine {
 public:
  OfferOutcome next{201, "", "v=0\r\nanswer\r\n", "sess1"};
  int patchStatus = 204;
  bool throwOnPublish = false;

  std::vector<PublishRequest> publishes;
  std::vector<PlayRequest> plays;
  std::vector<std::string> patches;
  std::set<std::string> sessions{"sess1"};
  bool stopped = false;

  OfferOutcome publish(const PublishRequest& req) override {
    std::lock_guard lock(mu_);
    if (throwOnPublish) throw std::runtime_error("engine exploded");
    publishes.push_back(req);
    return next;
  }
  OfferOutcome play(const PlayRequest& req) override {
    std::lock_guard lock(mu_);
    plays.push_back(req);
    return next;
  }
  int patch(const std::string& room, const std::string& id, const std::string& frag) override {
    std::lock_guard lock(mu_);
    patches.push_back(room + "/" + id + ":" + frag);
    return sessions.count(id) ? patchStatus : 404;
  }
  OfferOutcome renegotiate(const std::string& room, const std::string& id,
                           const std::string& offer) override {
    std::lock_guard lock(mu_);
    if (!sessions.count(id)) return {404, "no such session", {}, {}};
    return {200, {}, "v=0\r\n", id};
  }
  bool remove(const std::string& room, const std::string& id) override {
    std::lock_guard lock(mu_);
    return sessions.erase(id) > 0;
  }
  EngineStats statsValue;
  bool responsive = true;
  EngineStats stats() const override { return statsValue; }
  bool workersResponsive(std::chrono::milliseconds) override { return responsive; }
  void stop() override { stopped = true; }

  // Room service: a small in-memory model (rooms by name, participants by room) plus the
  // arguments of the last mutating calls.
  std::map<std::string, RoomInfo> rooms;
  std::map<std::string, std::vector<ParticipantInfo>> participants;
  std::optional<CreateRoomOptions> lastCreate;
  std::optional<ParticipantUpdate> lastUpdate;
  std::string lastMute;  // "room/identity/track:0|1"

  RoomResult<RoomInfo> createRoom(const CreateRoomOptions& o) override {
    lastCreate = o;
    RoomInfo& r = rooms[o.name];
    r.sid = "RM_fake", r.name = o.name, r.metadata = o.metadata;
    r.emptyTimeout = o.emptyTimeout.value_or(300);
    r.maxParticipants = o.maxParticipants.value_or(0);
    r.creationTimeMs = 1'700'000'000'123;
    return {200, {}, r};
  }
  RoomResult<std::vector<RoomInfo>> listRooms(const std::vector<std::string>& names) override {
    std::vector<RoomInfo> out;
    for (const auto& [n, r] : rooms) {
      if (names.empty() || std::count(names.begin(), names.end(), n)) out.push_back(r);
    }
    return {200, {}, out};
  }
  RoomResult<RoomInfo> deleteRoom(const std::string& room) override {
    if (!rooms.count(room)) return {404, "room '" + room + "' does not exist", {}};
    RoomInfo r = rooms[room];
    rooms.erase(room);
    return {200, {}, r};
  }
  RoomResult<std::vector<ParticipantInfo>> listParticipants(const std::string& room) override {
    if (!rooms.count(room)) return {404, "no room", {}};
    return {200, {}, participants[room]};
  }
  RoomResult<ParticipantInfo> getParticipant(const std::string& room,
                                             const std::string& identity) override {
    for (const auto& p : participants[room]) {
      if (p.identity == identity) return {200, {}, p};
    }
    return {404, "participant '" + identity + "' not found", {}};
  }
  RoomResult<ParticipantInfo> removeParticipant(const std::string& room,
                                                const std::string& identity) override {
    auto r = getParticipant(room, identity);
    if (r.ok()) std::erase_if(participants[room], [&](auto& p) { return p.identity == identity; });
    return r;
  }
  RoomResult<TrackInfo> mutePublishedTrack(const std::string& room, const std::string& identity,
                                           const std::string& track, bool muted) override {
    lastMute = room + "/" + identity + "/" + track + ":" + (muted ? "1" : "0");
    if (track != "TR_v") return {404, "no track", {}};
    TrackInfo t{"TR_v", "VIDEO", "1", "video/VP8", "CAMERA", "1", muted};
    return {200, {}, t};
  }
  RoomResult<ParticipantInfo> updateParticipant(const std::string& room,
                                                const std::string& identity,
                                                const ParticipantUpdate& u) override {
    lastUpdate = u;
    return getParticipant(room, identity);
  }
  RoomResult<RoomInfo> updateRoomMetadata(const std::string& room,
                                          const std::string& metadata) override {
    if (!rooms.count(room)) return {404, "no room", {}};
    rooms[room].metadata = metadata;
    return {200, {}, rooms[room]};
  }

 private:
  std::mutex mu_;
};

}  // namespace rc::api::testing
