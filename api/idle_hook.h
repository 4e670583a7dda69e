// Scale-to-zero hook: after no participants for `timeout`, run a shell command once; it is
// armed again when participants come back. Driven by the daemon's signal loop (tick()), never
// by a media worker. The command runs in its own process (posix_spawn of /bin/sh -c) and is
// reaped by later ticks, so the caller never blocks on it.
#pragma once

#include <sys/types.h>

#include <atomic>
#include <chrono>
#include <climits>
#include <cstdint>
#include <functional>
#include <string>

namespace rc::api {

class IdleHook {
 public:
  using Clock = std::chrono::steady_clock;
  // Starts the command, returns its pid (or -1 on failure). Replaceable for tests.
  using Launcher = std::function<pid_t(const std::string& command)>;

  IdleHook(std::chrono::seconds timeout, std::string command, Launcher launcher = spawnShell);
  ~IdleHook();

  // Observes the participant count at `now`; runs the command when the idle period reaches
  // the timeout. Returns true when it launched the command on this tick.
  bool tick(uint64_t participants, Clock::time_point now);
  // Seconds without participants (0 while someone is connected).
  double idleSeconds(Clock::time_point now) const;
  bool enabled() const { return timeout_.count() > 0; }
  bool fired() const { return fired_; }
  // Reaps a finished command; true when none is left running.
  bool reap();

  static pid_t spawnShell(const std::string& command);

 private:
  std::chrono::seconds timeout_;
  std::string command_;
  Launcher launcher_;
  static constexpr int64_t kNotIdle = INT64_MIN;
  // Clock ticks since the epoch when the idle period began; read by /metrics on the HTTP thread.
  std::atomic<int64_t> idleSinceNs_{kNotIdle};
  bool fired_ = false;
  pid_t child_ = -1;
};

}  // namespace rc::api
