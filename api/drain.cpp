#include "api/drain.h"

#include <algorithm>

namespace rc::api {

bool DrainState::begin(Clock::time_point now) {
  // Only the daemon's signal loop calls begin(); other threads only read phase_.
  if (phase() != Phase::Serving) return false;
  deadline_ = now + timeout_;
  phase_.store(Phase::Draining, std::memory_order_release);
  return true;
}

bool DrainState::finished(uint64_t participants, Clock::time_point now) {
  if (phase() == Phase::Serving) return false;
  if (phase() == Phase::Done) return true;
  if (participants == 0 || now >= deadline_) {
    phase_.store(Phase::Done, std::memory_order_release);
    return true;
  }
  return false;
}

int64_t DrainState::secondsLeft(Clock::time_point now) const {
  auto left = std::chrono::duration_cast<std::chrono::seconds>(deadline_ - now).count();
  return std::max<int64_t>(1, left);
}

}  // namespace rc::api
