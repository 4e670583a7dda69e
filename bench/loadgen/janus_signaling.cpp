// makeJanusSignaling: the videoroom plugin over Janus's HTTP API. One Janus session and one
// videoroom handle per negotiation; asynchronous replies come from long polls on the session;
// a background thread keeps open sessions alive (Janus drops a session after session_timeout,
// 60 s by default, without a request).
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <set>
#include <stdexcept>
#include <thread>

#include "bench/loadgen/http_client.h"
#include "bench/loadgen/janus_signaling.h"
#include "bench/loadgen/signaling.h"

namespace rc::bench {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

constexpr auto kKeepaliveInterval = 20s;
constexpr auto kEventDeadline = 30s;
// Janus lists a publisher only once its PeerConnection is up; a subscriber that arrives while
// the publisher's DTLS handshake is still running waits this long for it.
constexpr auto kPublisherWait = 5s;
constexpr auto kPublisherPoll = 50ms;

class JanusApi {
 public:
  explicit JanusApi(std::string base) : base_(std::move(base)) {
    while (!base_.empty() && base_.back() == '/') base_.pop_back();
    parseHttpUrl(base_);  // fails early on a bad URL
  }

  std::string transaction() { return "rcb" + std::to_string(next_.fetch_add(1)); }

  json post(const std::string& path, const json& message) const {
    return parse(httpRequest({"POST", base_ + path, {}, message.dump(), "application/json"}),
                 "POST " + path);
  }

  // One long poll; Janus answers with an event or, after its own timeout, a keepalive.
  json poll(const std::string& session) const {
    return parse(httpRequest({"GET", base_ + "/" + session, {}, {}, {}}), "GET /" + session);
  }

 private:
  static json parse(const HttpResult& res, const std::string& what) {
    if (res.status != 200) {
      throw std::runtime_error("janus " + what + ": HTTP " + std::to_string(res.status) + ": " +
                               res.body.substr(0, 300));
    }
    json reply = json::parse(res.body, nullptr, false);
    if (reply.is_discarded()) throw std::runtime_error("janus " + what + ": reply is not JSON");
    return reply;
  }

  std::string base_;
  std::atomic<uint64_t> next_{1};
};

// Sends a keepalive for every open session every kKeepaliveInterval, until destroyed.
class Keepalives {
 public:
  explicit Keepalives(JanusApi& api) : api_(api), thread_([this] { loop(); }) {}
  ~Keepalives() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_all();
    thread_.join();
  }
  void add(const std::string& session) {
    std::lock_guard lock(mutex_);
    sessions_.insert(session);
  }
  void remove(const std::string& session) {
    std::lock_guard lock(mutex_);
    sessions_.erase(session);
  }

 private:
  void loop() {
    std::unique_lock lock(mutex_);
    while (!wake_.wait_for(lock, kKeepaliveInterval, [this] { return stopping_; })) {
      std::set<std::string> open = sessions_;
      lock.unlock();
      for (const auto& session : open) ping(session);
      lock.lock();
    }
  }
  void ping(const std::string& session) noexcept {
    try {
      api_.post("/" + session, janus::envelope("keepalive", api_.transaction()));
    } catch (...) {
      // A failed keepalive shows up as a failed negotiation or lost media; nothing to do here.
    }
  }

  JanusApi& api_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::set<std::string> sessions_;
  bool stopping_ = false;
  std::thread thread_;
};

class JanusSignaling final : public Signaling {
 public:
  explicit JanusSignaling(std::string baseUrl) : api_(std::move(baseUrl)), keepalives_(api_) {}

  Negotiation publish(const std::string& room, const std::string& identity,
                      const std::string& offerSdp) override {
    janus::HandleRef ref = attach();
    try {
      ensureRoom(ref, room);
      json event = request(ref, janus::publishBody(room, identity),
                           janus::jsep("offer", janus::offerAsDtlsClient(offerSdp)));
      return {janus::formatHandle(ref), janus::jsepSdp(event, "answer"), false};
    } catch (...) {
      destroy(ref);
      throw;
    }
  }

  Negotiation subscribe(const std::string& room, const std::string&, const std::string&) override {
    janus::HandleRef ref = attach();
    try {
      std::vector<std::string> feeds = awaitPublishers(ref, room);
      json event = request(ref, janus::subscribeBody(room, feeds), nullptr);
      return {janus::formatHandle(ref), janus::jsepSdp(event, "offer"), true};
    } catch (...) {
      destroy(ref);
      throw;
    }
  }

  void answer(const Negotiation& negotiation, const std::string& answerSdp) override {
    request(janus::parseHandle(negotiation.handle), {{"request", "start"}},
            janus::jsep("answer", answerSdp));
  }

  void close(const Negotiation& negotiation) noexcept override {
    try {
      destroy(janus::parseHandle(negotiation.handle));
    } catch (...) {
      // Never throws: a Janus that is gone has ended the session anyway.
    }
  }

 private:
  janus::HandleRef attach() {
    janus::HandleRef ref;
    ref.session = janus::createdId(api_.post("", janus::envelope("create", api_.transaction())));
    keepalives_.add(ref.session);
    try {
      json message = janus::envelope("attach", api_.transaction());
      message["plugin"] = "janus.plugin.videoroom";
      ref.handle = janus::createdId(api_.post("/" + ref.session, message));
    } catch (...) {
      destroy(ref);
      throw;
    }
    return ref;
  }

  void destroy(const janus::HandleRef& ref) noexcept {
    keepalives_.remove(ref.session);
    try {
      if (!ref.handle.empty()) {
        api_.post(path(ref), janus::envelope("detach", api_.transaction()));
      }
      api_.post("/" + ref.session, janus::envelope("destroy", api_.transaction()));
    } catch (...) {
      // Best effort: Janus times the session out anyway.
    }
  }

  static std::string path(const janus::HandleRef& ref) {
    return "/" + ref.session + "/" + ref.handle;
  }

  // Synchronous videoroom requests (create, listparticipants) answer in the POST's reply.
  json syncRequest(const janus::HandleRef& ref, const json& body,
                   const std::vector<int>& tolerated = {}) {
    return janus::pluginData(api_.post(path(ref), janus::pluginMessage(body, api_.transaction())),
                             tolerated);
  }

  // Asynchronous ones (join, configure, start) are acknowledged, then answered by an event.
  json request(const janus::HandleRef& ref, const json& body, const json& jsepBody) {
    std::string transaction = api_.transaction();
    json ack = api_.post(path(ref), janus::pluginMessage(body, transaction, jsepBody));
    if (ack.value("janus", std::string()) != "ack") janus::pluginData(ack);  // throws on error
    json event = awaitEvent(ref.session, transaction);
    janus::pluginData(event);
    return event;
  }

  json awaitEvent(const std::string& session, const std::string& transaction) {
    auto deadline = std::chrono::steady_clock::now() + kEventDeadline;
    while (std::chrono::steady_clock::now() < deadline) {
      json event = api_.poll(session);
      if (janus::answersTransaction(event, transaction)) return event;
    }
    throw std::runtime_error("janus: no reply to " + transaction + " within 30 s");
  }

  void ensureRoom(const janus::HandleRef& ref, const std::string& room) {
    {
      std::lock_guard lock(roomsMutex_);
      if (rooms_.count(room)) return;
    }
    syncRequest(ref, janus::createRoomBody(room), {janus::kRoomExists});
    std::lock_guard lock(roomsMutex_);
    rooms_.insert(room);
  }

  std::vector<std::string> awaitPublishers(const janus::HandleRef& ref, const std::string& room) {
    auto deadline = std::chrono::steady_clock::now() + kPublisherWait;
    for (;;) {
      std::vector<std::string> ids =
          janus::publisherIds(syncRequest(ref, {{"request", "listparticipants"}, {"room", room}}));
      if (!ids.empty()) return ids;
      if (std::chrono::steady_clock::now() >= deadline) {
        throw std::runtime_error("janus: room " + room + " has no connected publisher");
      }
      std::this_thread::sleep_for(kPublisherPoll);
    }
  }

  JanusApi api_;
  Keepalives keepalives_;
  std::mutex roomsMutex_;
  std::set<std::string> rooms_;
};

}  // namespace

std::unique_ptr<Signaling> makeJanusSignaling(const std::string& baseUrl) {
  return std::make_unique<JanusSignaling>(baseUrl);
}

}  // namespace rc::bench
