#include "api/webhook.h"

#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/sha.h>
#include <spdlog/spdlog.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "api/egress_json.h"
#include "api/livekit_json.h"
#include "api/token.h"
#include "crypto/jwt.h"

namespace rc::api {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace asio = boost::asio;
using tcp = asio::ip::tcp;

constexpr int64_t kAuthTtlSec = 600;

std::string eventId() {
  static const char kAlphabet[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  uint8_t bytes[12];
  RAND_bytes(bytes, sizeof bytes);
  std::string id = "EV_";
  for (uint8_t b : bytes) id.push_back(kAlphabet[b % 62]);
  return id;
}

// One POST with an overall deadline (Beast's tcp_stream timeouts apply to async operations,
// so the exchange is a chain of async steps run to completion here).
bool postOnce(const HttpUrl& url, const std::string& body, const std::string& auth,
              std::chrono::milliseconds timeout, std::string& error) {
  asio::io_context ioc;
  tcp::resolver resolver(ioc);
  beast::tcp_stream stream(ioc);
  http::request<http::string_body> req{http::verb::post, url.target, 11};
  req.set(http::field::host, url.host + ":" + url.port);
  req.set(http::field::content_type, "application/webhook+json");
  req.set(http::field::authorization, auth);
  req.set(http::field::user_agent, "ringcast-webhook");
  req.body() = body;
  req.prepare_payload();
  beast::flat_buffer buffer;
  http::response<http::string_body> res;
  beast::error_code result;
  auto fail = [&](beast::error_code ec) { result = ec; };
  resolver.async_resolve(url.host, url.port, [&](beast::error_code ec, auto endpoints) {
    if (ec) return fail(ec);
    stream.expires_after(timeout);
    stream.async_connect(endpoints, [&](beast::error_code ec, auto) {
      if (ec) return fail(ec);
      http::async_write(stream, req, [&](beast::error_code ec, size_t) {
        if (ec) return fail(ec);
        http::async_read(stream, buffer, res, [&](beast::error_code ec, size_t) { fail(ec); });
      });
    });
  });
  ioc.run_for(timeout + std::chrono::seconds(1));  // resolver has no stream deadline
  if (!ioc.stopped()) result = asio::error::timed_out;
  beast::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
  if (result) {
    error = result.message();
    return false;
  }
  if (res.result_int() < 200 || res.result_int() >= 300) {
    error = "HTTP " + std::to_string(res.result_int());
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
  constexpr std::string_view kScheme = "http://";
  if (url.substr(0, kScheme.size()) != kScheme) return std::nullopt;
  url.remove_prefix(kScheme.size());
  size_t slash = url.find_first_of("/?");
  std::string_view authority = url.substr(0, slash);
  HttpUrl out;
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
    out.port = "80";
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
  std::string error = "not an http:// URL";
  if (url) {
    std::string auth =
        webhookAuthorization(options_.apiKey, options_.apiSecret, job.body, unixNowSec());
    if (postOnce(*url, job.body, auth, options_.timeout, error)) {
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
