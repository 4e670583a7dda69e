// Per-worker counters, written only by the worker, read by /metrics (relaxed).
#pragma once

#include <atomic>
#include <cstdint>

namespace rc::engine {

struct WorkerCounters {
  using C = std::atomic<uint64_t>;
  C rtpIn{0}, rtpBytesIn{0}, rtpOut{0}, rtpBytesOut{0}, rtcpIn{0}, rtcpOut{0};
  C stunIn{0}, dtlsIn{0};
  // Drops by reason (all rate-free counters; never logged per packet).
  C dropUnknownSource{0}, dropMalformed{0}, dropSrtp{0}, dropUnknownSsrc{0}, dropNoBuffer{0};
  C dropNoSendSlot{0}, dropNoCodec{0}, dropStunAuth{0}, dropForeign{0}, dropRing{0}, dropPadding{0};
  C nacksIn{0}, nacksOut{0}, retransmits{0}, plisIn{0}, plisOut{0}, dtlsHandshakes{0}, dtlsFailures{0};
  C loopTurns{0}, busyTurns{0};
  void add(C& c, uint64_t n = 1) noexcept { c.store(c.load(std::memory_order_relaxed) + n, std::memory_order_relaxed); }
};

}  // namespace rc::engine
