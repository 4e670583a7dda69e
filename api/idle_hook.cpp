#include "api/idle_hook.h"

#include <spawn.h>
#include <sys/wait.h>

#include <spdlog/spdlog.h>

#include <cerrno>
#include <cstring>

extern char** environ;

namespace rc::api {

IdleHook::IdleHook(std::chrono::seconds timeout, std::string command, Launcher launcher)
    : timeout_(timeout), command_(std::move(command)), launcher_(std::move(launcher)) {}

IdleHook::~IdleHook() {
  reap();  // a command still running is left to finish; init adopts it when we exit
}

pid_t IdleHook::spawnShell(const std::string& command) {
  pid_t pid = -1;
  const char* argv[] = {"/bin/sh", "-c", command.c_str(), nullptr};
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  // The daemon blocks SIGTERM/SIGINT/SIGHUP in every thread; the command gets a clean mask.
  sigset_t none;
  sigemptyset(&none);
  posix_spawnattr_setsigmask(&attr, &none);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETPGROUP);
  posix_spawnattr_setpgroup(&attr, 0);  // its own group: a Ctrl-C for us does not reach it
  int err = posix_spawn(&pid, "/bin/sh", nullptr, &attr, const_cast<char* const*>(argv), environ);
  posix_spawnattr_destroy(&attr);
  if (err != 0) {
    spdlog::error("idle hook: cannot start /bin/sh: {}", std::strerror(err));
    return -1;
  }
  return pid;
}

bool IdleHook::tick(uint64_t participants, Clock::time_point now) {
  reap();
  if (participants > 0) {
    if (fired_) spdlog::info("idle hook: participants are back, re-armed");
    idleSinceNs_.store(kNotIdle, std::memory_order_relaxed);
    fired_ = false;
    return false;
  }
  int64_t nowNs = now.time_since_epoch().count();
  int64_t since = idleSinceNs_.load(std::memory_order_relaxed);
  if (since == kNotIdle) idleSinceNs_.store(since = nowNs, std::memory_order_relaxed);
  if (!enabled() || fired_ || Clock::duration(nowNs - since) < timeout_) return false;
  fired_ = true;
  spdlog::info("idle hook: no participants for {} s, running the idle command", timeout_.count());
  child_ = launcher_(command_);
  return true;
}

double IdleHook::idleSeconds(Clock::time_point now) const {
  int64_t since = idleSinceNs_.load(std::memory_order_relaxed);
  if (since == kNotIdle) return 0.0;
  return std::chrono::duration<double>(now.time_since_epoch() - Clock::duration(since)).count();
}

bool IdleHook::reap() {
  if (child_ <= 0) return true;
  int status = 0;
  pid_t r = ::waitpid(child_, &status, WNOHANG);
  if (r == 0) return false;
  if (r == child_) {
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
      spdlog::info("idle hook: command finished");
    } else {
      spdlog::warn("idle hook: command failed (status {})", status);
    }
  }
  child_ = -1;
  return true;
}

}  // namespace rc::api
