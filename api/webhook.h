// LiveKit-format webhooks: each room event is POSTed as a WebhookEvent (protobuf JSON,
// api/livekit_json.h) with Content-Type application/webhook+json and
// "Authorization: <JWT>" signed with an API secret, whose "sha256" claim is the base64
// SHA-256 of the body (what livekit-server-sdk's WebhookReceiver checks).
//
// notify() only appends to a bounded queue (a full queue drops the event and counts it);
// one delivery thread posts with a timeout and retries failures with exponential backoff,
// so a slow or dead receiver never blocks the engine or the HTTP server.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "api/media_engine.h"
#include "api/recorder.h"

namespace rc::api {

struct WebhookOptions {
  std::vector<std::string> urls;  // http:// or https://host[:port][/path]
  std::string apiKey, apiSecret;
  size_t queueCapacity = 1024;  // pending deliveries (all URLs together)
  int maxAttempts = 5;
  std::chrono::milliseconds firstBackoff{500};  // doubled after each failed attempt
  std::chrono::milliseconds timeout{5000};      // per attempt: connect + send + response
  std::string caFile;  // https: a CA bundle to verify receivers against (default: system store)
};

struct WebhookStats {
  uint64_t delivered = 0;  // a 2xx came back
  uint64_t failed = 0;     // given up after maxAttempts
  uint64_t dropped = 0;    // queue full
  uint64_t retries = 0;    // attempts after the first
};

class WebhookNotifier {
 public:
  explicit WebhookNotifier(WebhookOptions options);
  ~WebhookNotifier();
  WebhookNotifier(const WebhookNotifier&) = delete;
  WebhookNotifier& operator=(const WebhookNotifier&) = delete;

  void notify(const RoomEvent& event);  // any thread, never blocks on the network
  // egress_started / egress_updated / egress_ended (the recorder's events).
  void notifyEgress(const char* event, const EgressInfo& info);
  WebhookStats stats() const;
  void stop();  // pending deliveries are abandoned

 private:
  struct Job {
    std::string url, body;
    int attempt = 0;
  };
  using Clock = std::chrono::steady_clock;
  void run();
  bool deliver(const Job& job);
  void enqueue(const std::string& body);

  WebhookOptions options_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::multimap<Clock::time_point, Job> queue_;  // by when the next attempt is due
  bool stopping_ = false;
  std::atomic<uint64_t> delivered_{0}, failed_{0}, dropped_{0}, retries_{0};
  std::thread thread_;
};

// Base64 (RFC 4648 §4, padded) of the SHA-256 of `body`.
std::string sha256Base64(std::string_view body);
// The Authorization header value: an HS256 JWT {iss, nbf, exp, sha256}.
std::string webhookAuthorization(const std::string& apiKey, const std::string& secret,
                                 std::string_view body, int64_t nowSec);

struct HttpUrl {
  std::string host, port, target;
  bool tls = false;  // https
};
// Parses http(s)://host[:port][/path][?query] (RFC 3986 §3.2 authority without userinfo);
// nullopt for anything else.
std::optional<HttpUrl> parseHttpUrl(std::string_view url);

// Appends the delivery counters as Prometheus text (ringcast_webhook_*_total) to `out`.
void appendWebhookMetrics(const WebhookNotifier& notifier, std::string& out);

}  // namespace rc::api
