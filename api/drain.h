// SIGTERM drain state machine (control side): Serving -> Draining -> Done. While draining,
// admission routes answer 503 and /readyz is 503; the daemon exits once every session is gone
// or the drain deadline has passed.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>

namespace rc::api {

class DrainState {
 public:
  using Clock = std::chrono::steady_clock;
  enum class Phase { Serving, Draining, Done };

  explicit DrainState(std::chrono::seconds timeout) : timeout_(timeout) {}

  // First call starts the drain and returns true; later calls return false (the caller then
  // treats the signal as "exit now").
  bool begin(Clock::time_point now);
  bool draining() const { return phase_.load(std::memory_order_acquire) != Phase::Serving; }
  Phase phase() const { return phase_.load(std::memory_order_acquire); }
  // Called periodically while draining: true (and Done) once `participants` is 0 or the
  // deadline has passed.
  bool finished(uint64_t participants, Clock::time_point now);
  bool deadlinePassed(Clock::time_point now) const { return draining() && now >= deadline_; }
  // Seconds until the deadline, at least 1 (for Retry-After).
  int64_t secondsLeft(Clock::time_point now) const;

 private:
  std::chrono::seconds timeout_;
  std::atomic<Phase> phase_{Phase::Serving};
  Clock::time_point deadline_{};
};

}  // namespace rc::api
