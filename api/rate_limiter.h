// Per-client-IP token bucket for the admission routes (joins and token requests):
// `perMinute` requests per minute sustained, bursts up to `perMinute`. Thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>

namespace rc::api {

class RateLimiter {
 public:
  using Clock = std::chrono::steady_clock;

  explicit RateLimiter(int perMinute, size_t maxClients = 100'000)
      : perMinute_(perMinute), maxClients_(maxClients) {}

  // 0 when the request may proceed (a token is taken), otherwise the whole seconds until a
  // token is available (for Retry-After). Always 0 when the limit is off (perMinute <= 0).
  int64_t acquire(const std::string& client, Clock::time_point now);
  size_t clients() const;

 private:
  struct Bucket {
    double tokens;
    Clock::time_point last;
  };
  void refill(Bucket& b, Clock::time_point now) const;
  void evictFull(Clock::time_point now);

  const int perMinute_;
  const size_t maxClients_;
  mutable std::mutex mu_;
  std::unordered_map<std::string, Bucket> buckets_;
};

}  // namespace rc::api
