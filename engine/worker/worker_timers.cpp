// Periodic work of a worker: DTLS retransmissions, NACKs and transport-wide
// congestion control feedback to publishers, and transport timeouts.
#include "engine/room/engine.h"
#include "engine/room/published_track.h"
#include "engine/rtcp/feedback.h"
#include "engine/transport/transport.h"
#include "engine/worker/worker.h"

namespace rc::engine {
namespace {

constexpr int64_t kFastTimerUs = 20'000;         // NACK scan
constexpr int64_t kFeedbackIntervalUs = 50'000;  // transport-cc feedback
constexpr int64_t kSlowTimerUs = 250'000;        // timeouts
constexpr int64_t kAssumedRttMs = 20;

}  // namespace

void Worker::runTimers(int64_t nowUs) {
  if (nowUs - lastFastTimerUs_ < kFastTimerUs) return;
  lastFastTimerUs_ = nowUs;
  runDtlsTimers(nowUs);
  for (Transport* t : owned_) {
    if (!t->inbound.empty() && t->srtp) runPublisherFeedback(t, nowUs);
  }
  if (nowUs - lastSlowTimerUs_ >= kSlowTimerUs) {
    lastSlowTimerUs_ = nowUs;
    expireTransports(nowUs);
    expireForeignRoutes(nowUs);
    const io::IoCounters& io = io_->counters();
    counters_.ioTruncated.store(io.truncated, std::memory_order_relaxed);
    counters_.ioSendErrors.store(io.sendErrors, std::memory_order_relaxed);
    counters_.ioNoBuffers.store(io.noBuffers, std::memory_order_relaxed);
    counters_.ioSendSlotsExhausted.store(io.sendSlotsExhausted, std::memory_order_relaxed);
    counters_.snapshotSendPath(io);
  }
}

void Worker::runDtlsTimers(int64_t nowUs) noexcept {
  releaseFinishedDtls(nowUs);
  auto now = std::chrono::steady_clock::now();
  for (Transport* t : owned_) {
    if (!t->dtls || t->srtp || t->closed) continue;
    auto due = t->dtls->nextTimeout();
    if (due && *due <= now) {
      t->dtls->handleTimeout([this, t](std::span<const uint8_t> out) { sendRaw(t, out); });
    }
  }
}

// RFC 4585 §6.2.1 generic NACK for losses, and transport-cc feedback
// (draft-holmer-rmcat-transport-wide-cc-extensions-01 §3.1) so the publisher's
// bandwidth estimate ramps as it does browser to browser.
void Worker::runPublisherFeedback(Transport* t, int64_t nowUs) noexcept {
  uint8_t buf[1200];
  uint16_t lost[64];
  for (auto& s : t->inbound) {
    if (!s.nack || !s.ssrc) continue;
    size_t count = s.nack->collectNacks(nowUs / 1000, kAssumedRttMs, lost);
    if (count == 0) continue;
    size_t n = rtcp::writeNack(buf, t->rtcpSsrc, s.ssrc, {lost, count});
    counters_.add(counters_.nacksOut);
    if (n) sendRtcp(t, {buf, n});
  }
  if (!t->feedback || nowUs - t->lastFeedbackUs < kFeedbackIntervalUs) return;
  if (!t->feedback->hasPending()) return;
  t->lastFeedbackUs = nowUs;
  uint32_t mediaSsrc = t->inbound.front().ssrc;
  for (int i = 0; i < 4 && t->feedback->hasPending(); ++i) {
    size_t n = t->feedback->build(buf, t->rtcpSsrc, mediaSsrc);
    if (n == 0) break;
    sendRtcp(t, {buf, n});
  }
}

void Worker::expireTransports(int64_t nowUs) {
  int64_t limit = engine_.transportTimeoutUs();
  std::vector<Transport*> expired;
  for (Transport* t : owned_) {
    if (nowUs - t->lastReceiveUs > limit || peerSaidGoodbye(t, nowUs)) expired.push_back(t);
  }
  for (Transport* t : expired) closeTransport(t, true);
}

}  // namespace rc::engine
