#include "api/webhook.h"

#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/sha.h>
#include <spdlog/spdlog.h>

#include <curl/curl.h>

#include <memory>

#include "api/egress_json.h"
#include "api/livekit_json.h"
#include "api/token.h"
#include "crypto/jwt.h"

namespace rc::api {
namespace {

constexpr int64_t kAuthTtlSec = 600;

std::string eventId() {
  static const char kAlphabet[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  uint8_t bytes[12];
  RAND_bytes(bytes, sizeof bytes);
  std::string id = "EV_";
  for (uint8_t b : bytes) id.push_back(kAlphabet[b % 62]);
  return id;
}

size_t discardBody(char*, size_t size, size_t count, void*) {
  return size * count;
}

struct CurlDeleter {
  void operator()(CURL* c) const { curl_easy_cleanup(c); }
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};

// One POST with an overall deadline (connect + TLS + send + response). libcurl does HTTP and
// HTTPS (certificates verified against the system store, or `caFile`); only those two
// protocols are allowed, redirects are not followed.
bool postOnce(const std::string& url, const std::string& body, const std::string& auth,
              const WebhookOptions& options, std::string& error) {
  std::unique_ptr<CURL, CurlDeleter> curl(curl_easy_init());
  if (!curl) {
    error = "curl_easy_init failed";
    return false;
  }
  curl_slist* raw = nullptr;
  for (std::string h : {std::string("Content-Type: application/webhook+json"),
                        "Authorization: " + auth, std::string("Expect:")})
    raw = curl_slist_append(raw, h.c_str());
  std::unique_ptr<curl_slist, CurlDeleter> headers(raw);
  char errbuf[CURL_ERROR_SIZE] = {};
  CURL* c = curl.get();
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(c, CURLOPT_USERAGENT, "ringcast-webhook");
  curl_easy_setopt(c, CURLOPT_POSTFIELDS, body.data());
  curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(options.timeout.count()));
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discardBody);
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
  if (!options.caFile.empty()) curl_easy_setopt(c, CURLOPT_CAINFO, options.caFile.c_str());
  CURLcode rc = curl_easy_perform(c);
  if (rc != CURLE_OK) {
    error = errbuf[0] ? errbuf : curl_easy_strerror(rc);
    return false;
  }
  long status = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
  if (status < 200 || status >= 300) {
    error = "HTTP " + std::to_string(status);
    return false;
  }
  return true;
}

}  // namespace

std::string sha256Base64(std::string_view body) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(body.data()), body.size(), digest);
  unsigned char out[4 * ((SHA256_DIGEST_LENGTH + 2) / 3) + 1];
  int n = EVP_EncodeBlock(out, digest, SHA256_DIGEST_LENGTH);
  return std::string(reinterpret_cast<char*>(out), static_cast<size_t>(n));
}

std::string webhookAuthorization(const std::string& apiKey, const std::string& secret,
                                 std::string_view body, int64_t nowSec) {
  nlohmann::json claims = {{"iss", apiKey},
                           {"nbf", nowSec},
                           {"exp", nowSec + kAuthTtlSec},
                           {"sha256", sha256Base64(body)},
                           {"video", nlohmann::json::object()}};
  return crypto::signHs256(claims, secret);
}

std::optional<HttpUrl> parseHttpUrl(std::string_view url) {
  HttpUrl out;
  if (url.starts_with("https://")) {
    out.tls = true;
    url.remove_prefix(8);
  } else if (url.starts_with("http://")) {
    url.remove_prefix(7);
  } else {
    return std::nullopt;
  }
  size_t slash = url.find_first_of("/?");
  std::string_view authority = url.substr(0, slash);
  out.target = slash == std::string_view::npos ? "/" : std::string(url.substr(slash));
  if (out.target.front() == '?') out.target.insert(0, "/");
  if (authority.empty() || authority.find('@') != std::string_view::npos) return std::nullopt;
  size_t colon = authority.rfind(':');
  bool bracketed = authority.front() == '[';
  if (colon != std::string_view::npos && (!bracketed || colon > authority.find(']'))) {
    out.host = std::string(authority.substr(0, colon));
    out.port = std::string(authority.substr(colon + 1));
    if (out.port.empty() || out.port.find_first_not_of("0123456789") != std::string::npos)
      return std::nullopt;
  } else {
    out.host = std::string(authority);
    out.port = out.tls ? "443" : "80";
  }
  if (bracketed) {
    if (out.host.size() < 3 || out.host.back() != ']') return std::nullopt;
    out.host = out.host.substr(1, out.host.size() - 2);
  }
  if (out.host.empty()) return std::nullopt;
  return out;
}

WebhookNotifier::WebhookNotifier(WebhookOptions options) : options_(std::move(options)) {
  thread_ = std::thread([this] { run(); });
}

WebhookNotifier::~WebhookNotifier() {
  stop();
}

void WebhookNotifier::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void WebhookNotifier::notify(const RoomEvent& event) {
  int64_t now = unixNowSec();
  enqueue(lkjson::toJson(event, eventId(), now).dump());
}

// WebhookEvent {event, egressInfo, id, createdAt} (livekit_webhook.proto).
void WebhookNotifier::notifyEgress(const char* event, const EgressInfo& info) {
  nlohmann::json body{{"event", event},
                      {"egressInfo", egressjson::toJson(info)},
                      {"id", eventId()},
                      {"createdAt", std::to_string(unixNowSec())}};
  enqueue(body.dump());
}

void WebhookNotifier::enqueue(const std::string& body) {
  std::lock_guard lock(mutex_);
  for (const auto& url : options_.urls) {
    if (stopping_ || queue_.size() >= options_.queueCapacity) {
      dropped_++;
      continue;
    }
    queue_.emplace(Clock::now(), Job{url, body, 0});
  }
  wake_.notify_one();
}

WebhookStats WebhookNotifier::stats() const {
  return {delivered_.load(), failed_.load(), dropped_.load(), retries_.load()};
}

void WebhookNotifier::run() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    if (queue_.empty()) {
      wake_.wait(lock);
      continue;
    }
    auto due = queue_.begin()->first;
    if (due > Clock::now()) {
      wake_.wait_until(lock, due);
      continue;
    }
    Job job = std::move(queue_.begin()->second);
    queue_.erase(queue_.begin());
    lock.unlock();
    bool ok = deliver(job);
    lock.lock();
    if (ok) continue;
    if (++job.attempt >= options_.maxAttempts) {
      failed_++;
      continue;
    }
    retries_++;
    auto backoff = options_.firstBackoff * (1 << std::min(job.attempt - 1, 10));
    queue_.emplace(Clock::now() + backoff, std::move(job));
  }
}

bool WebhookNotifier::deliver(const Job& job) {
  auto url = parseHttpUrl(job.url);
  std::string error = "not an http:// or https:// URL";
  if (url) {
    std::string auth =
        webhookAuthorization(options_.apiKey, options_.apiSecret, job.body, unixNowSec());
    if (postOnce(job.url, job.body, auth, options_, error)) {
      delivered_++;
      return true;
    }
  }
  spdlog::warn("webhook to {} failed (attempt {} of {}): {}", job.url, job.attempt + 1,
               options_.maxAttempts, error);
  return false;
}

void appendWebhookMetrics(const WebhookNotifier& notifier, std::string& out) {
  WebhookStats st = notifier.stats();
  auto counter = [&out](const char* name, uint64_t value, const char* help) {
    out += std::string("# HELP ringcast_webhook_") + name + "_total " + help + "\n";
    out += std::string("# TYPE ringcast_webhook_") + name + "_total counter\n";
    out += std::string("ringcast_webhook_") + name + "_total " + std::to_string(value) + "\n";
  };
  counter("delivered", st.delivered, "Webhook deliveries answered with a 2xx.");
  counter("failures", st.failed, "Webhook events given up after the last retry.");
  counter("dropped", st.dropped, "Webhook events dropped because the queue was full.");
  counter("retries", st.retries, "Webhook delivery attempts after the first.");
}

}  // namespace rc::api
