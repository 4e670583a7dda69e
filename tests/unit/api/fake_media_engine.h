// A scripted MediaEngine for the API tests: records calls, answers with canned outcomes.
#pragma once

#include <mutex>
#include <set>
#include <string>
#include <vector>

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

 private:
  std::mutex mu_;
};

}  // namespace rc::api::testing
