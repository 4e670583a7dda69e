// Per-worker counters, written only by the worker, read by /metrics (relaxed).
#pragma once

#include <atomic>
#include <cstdint>

#include "io/io_backend.h"

namespace rc::engine {

struct WorkerCounters {
  using C = std::atomic<uint64_t>;
  C rtpIn{0}, rtpBytesIn{0}, rtpOut{0}, rtpBytesOut{0}, rtcpIn{0}, rtcpOut{0};
  C stunIn{0}, dtlsIn{0};
  // Drops by reason (all rate-free counters; never logged per packet).
  C dropUnknownSource{0}, dropMalformed{0}, dropSrtp{0}, dropUnknownSsrc{0}, dropNoBuffer{0};
  C dropNoSendSlot{0}, dropNoCodec{0}, dropStunAuth{0}, dropForeign{0}, dropRing{0}, dropPadding{0};
  C dropRecordTap{0};  // the recorder's tap ring was full
  C nacksIn{0}, nacksOut{0}, retransmits{0}, plisIn{0}, plisOut{0}, dtlsHandshakes{0},
      dtlsFailures{0}, dtlsReleased{0};
  C loopTurns{0}, busyTurns{0};
  // The buffer pool's size (a gauge, exported per worker, not in forEach: it grows under load
  // and never shrinks).
  C poolBuffers{0};
  // Loop time accounting for the busy ratio (not in forEach: exported per worker).
  C busyNs{0}, loopNs{0};
  // Snapshot of the io backend's own counters, refreshed by the worker's slow timer.
  C ioTruncated{0}, ioSendErrors{0}, ioNoBuffers{0}, ioSendSlotsExhausted{0};
  // Send path (UDP GSO, would-block drops), also snapshotted from the io backend.
  C ioSendWouldBlock{0}, ioGsoMessages{0}, ioGsoSegments{0}, ioGsoFallbacks{0}, ioGsoEnabled{0};
  void snapshotSendPath(const io::IoCounters& io) noexcept {
    ioSendWouldBlock.store(io.sendWouldBlock, std::memory_order_relaxed);
    ioGsoMessages.store(io.gsoMessages, std::memory_order_relaxed);
    ioGsoSegments.store(io.gsoSegments, std::memory_order_relaxed);
    ioGsoFallbacks.store(io.gsoFallbacks, std::memory_order_relaxed);
    ioGsoEnabled.store(io.gsoEnabled ? 1 : 0, std::memory_order_relaxed);
  }
  void store(C& c, uint64_t v) noexcept { c.store(v, std::memory_order_relaxed); }
  void add(C& c, uint64_t n = 1) noexcept {
    c.store(c.load(std::memory_order_relaxed) + n, std::memory_order_relaxed);
  }

  template <class F>
  void forEach(F&& f) const {
    f("rtp_packets_in", rtpIn);
    f("rtp_bytes_in", rtpBytesIn);
    f("rtp_packets_out", rtpOut);
    f("rtp_bytes_out", rtpBytesOut);
    f("rtcp_packets_in", rtcpIn);
    f("rtcp_packets_out", rtcpOut);
    f("stun_in", stunIn);
    f("dtls_in", dtlsIn);
    f("drop_unknown_source", dropUnknownSource);
    f("drop_malformed", dropMalformed);
    f("drop_srtp", dropSrtp);
    f("drop_unknown_ssrc", dropUnknownSsrc);
    f("drop_no_buffer", dropNoBuffer);
    f("drop_no_send_slot", dropNoSendSlot);
    f("drop_no_codec", dropNoCodec);
    f("drop_stun_auth", dropStunAuth);
    f("drop_foreign", dropForeign);
    f("drop_ring_full", dropRing);
    f("drop_record_tap_full", dropRecordTap);
    f("drop_padding", dropPadding);
    f("nacks_in", nacksIn);
    f("nacks_out", nacksOut);
    f("retransmits", retransmits);
    f("plis_in", plisIn);
    f("plis_out", plisOut);
    f("dtls_handshakes", dtlsHandshakes);
    f("dtls_failures", dtlsFailures);
    f("dtls_released", dtlsReleased);
    f("loop_turns", loopTurns);
    f("busy_turns", busyTurns);
    f("io_truncated", ioTruncated);
    f("io_send_errors", ioSendErrors);
    f("io_no_buffers", ioNoBuffers);
    f("io_send_slots_exhausted", ioSendSlotsExhausted);
    f("io_send_would_block", ioSendWouldBlock);
    f("io_gso_messages", ioGsoMessages);
    f("io_gso_segments", ioGsoSegments);
    f("io_gso_fallbacks", ioGsoFallbacks);
    f("io_gso_enabled", ioGsoEnabled);
  }
};

}  // namespace rc::engine
