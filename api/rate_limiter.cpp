#include "api/rate_limiter.h"

#include <algorithm>
#include <cmath>

namespace rc::api {

void RateLimiter::refill(Bucket& b, Clock::time_point now) const {
  double elapsedSec = std::chrono::duration<double>(now - b.last).count();
  if (elapsedSec <= 0) return;
  b.tokens = std::min<double>(perMinute_, b.tokens + elapsedSec * perMinute_ / 60.0);
  b.last = now;
}

// Buckets that have refilled completely carry no state worth keeping.
void RateLimiter::evictFull(Clock::time_point now) {
  for (auto it = buckets_.begin(); it != buckets_.end();) {
    refill(it->second, now);
    it = it->second.tokens >= perMinute_ ? buckets_.erase(it) : std::next(it);
  }
}

int64_t RateLimiter::acquire(const std::string& client, Clock::time_point now) {
  if (perMinute_ <= 0) return 0;
  std::lock_guard lock(mu_);
  if (buckets_.size() >= maxClients_ && !buckets_.count(client)) evictFull(now);
  auto [it, fresh] = buckets_.try_emplace(client, Bucket{double(perMinute_), now});
  Bucket& b = it->second;
  if (!fresh) refill(b, now);
  if (b.tokens >= 1.0) {
    b.tokens -= 1.0;
    return 0;
  }
  double waitSec = (1.0 - b.tokens) * 60.0 / perMinute_;
  return std::max<int64_t>(1, static_cast<int64_t>(std::ceil(waitSec)));
}

size_t RateLimiter::clients() const {
  std::lock_guard lock(mu_);
  return buckets_.size();
}

}  // namespace rc::api
