// RTCP on the worker: sender reports from publishers are fanned out like media;
// NACK, PLI and FIR from subscribers are answered from the packet cache or turned
// into a rate-limited keyframe request to the publisher (RFC 4585, RFC 5104).
#include "engine/room/down_track.h"
#include "engine/room/engine.h"
#include "engine/room/published_track.h"
#include "engine/rtcp/feedback.h"
#include "engine/rtcp/reports.h"
#include "engine/rtcp/rtcp_header.h"
#include "engine/transport/transport.h"
#include "engine/worker/worker.h"

namespace rc::engine {
namespace {

constexpr int64_t kKeyframeRequestIntervalUs = 300'000;
constexpr size_t kMaxNackedPerPacket = 64;     // bounds the work one NACK can cause
constexpr uint32_t kRetransmitSpacingMs = 20;  // at most one resend per packet per 20 ms

}  // namespace

void Worker::handlePublisherRtcp(Transport* t, std::span<const uint8_t> packet) noexcept {
  if (t->inbound.empty()) return;
  rtcp::CompoundReader reader(packet);
  while (auto view = reader.next()) {
    if (view->packetType != rtcp::kSenderReport) continue;
    auto sr = rtcp::parseSenderReport(*view);
    if (!sr) continue;
    InboundStream* s = t->findInbound(sr->ssrc);
    if (!s || !s->track || s->ssrc != sr->ssrc) continue;
    io::PacketBuffer* pb = allocate();
    if (!pb) return;
    // Keep only the sender info (RC = 0): report blocks describe the publisher's
    // reception and mean nothing to subscribers.
    rtcp::SenderReport copy = *sr;
    copy.reports.clear();
    pb->length =
        static_cast<uint32_t>(rtcp::writeSenderReport({pb->data, io::kPacketCapacity}, copy));
    pb->kind = io::PacketKind::SenderReport;
    if (pb->length) fanout(s->track, pb);
    release(pb);
  }
  if (reader.malformed()) counters_.add(counters_.dropMalformed);
}

void Worker::handleSubscriberFeedback(Transport* t, std::span<const uint8_t> packet) noexcept {
  if (t->downTracks.empty()) return;
  rtcp::CompoundReader reader(packet);
  while (auto view = reader.next()) {
    if (view->packetType == rtcp::kRtpFeedback && view->countOrFmt == rtcp::kFmtNack) {
      auto nack = rtcp::parseNack(*view);
      DownTrack* d = nack ? t->findDownTrack(nack->mediaSsrc) : nullptr;
      if (d) onNack(d, {nack->lost.begin(), nack->lost.size()});
    } else if (view->packetType == rtcp::kPayloadFeedback && view->countOrFmt == rtcp::kFmtPli) {
      auto pli = rtcp::parsePli(*view);
      DownTrack* d = pli ? t->findDownTrack(pli->mediaSsrc) : nullptr;
      counters_.add(counters_.plisIn);
      if (d) forwardKeyframeRequest(d);
    } else if (view->packetType == rtcp::kPayloadFeedback && view->countOrFmt == rtcp::kFmtFir) {
      auto fir = rtcp::parseFir(*view);
      if (!fir) continue;
      for (const auto& e : fir->entries) {
        if (DownTrack* d = t->findDownTrack(e.ssrc)) forwardKeyframeRequest(d);
      }
    }
  }
}

// Each NACKed packet we still know goes to the publisher's worker (its cache) over the
// ring; answered directly when that is us. Fixed cost: no allocation, no lock.
void Worker::onNack(DownTrack* d, std::span<const uint16_t> seqs) noexcept {
  counters_.add(counters_.nacksIn);
  PublishedTrack* src = d->source;
  if (!src) return;
  int publisherWorker = src->publisher ? src->publisher->owner.load() : -1;
  if (publisherWorker < 0) return;
  auto nowMs = static_cast<uint32_t>(nowMicros() / 1000);
  size_t requested = 0;
  for (uint16_t outSeq : seqs) {
    auto sourceSeq = d->sentSeqs.claimResend(outSeq, nowMs, kRetransmitSpacingMs);
    if (!sourceSeq) continue;
    if (publisherWorker == id_) {
      retransmitFor(src, d, *sourceSeq, outSeq);
    } else if (!engine_.ring(id_, publisherWorker)
                    .push(
                        FanoutItem{nullptr, src, d, outSeq, FanoutKind::NackRequest, *sourceSeq})) {
      counters_.add(counters_.dropRing);
    }
    if (++requested == kMaxNackedPerPacket) break;
  }
  if (requested && publisherWorker != id_) engine_.worker(publisherWorker).wake();
}

// Runs on the publisher's worker, which owns the packet cache.
void Worker::retransmitFor(PublishedTrack* track, DownTrack* target, uint16_t sourceSeq,
                           uint16_t outSeq) noexcept {
  if (track->closed.load()) return;
  io::PacketBuffer** found = track->cache.find(sourceSeq);
  if (!found || !*found) return;
  int dst = target->transport->owner.load();
  if (dst == id_) return retransmit(target, *found, outSeq);
  if (dst < 0) return;
  io::retain(*found);
  if (!engine_.ring(id_, dst).push(
          FanoutItem{*found, track, target, outSeq, FanoutKind::Retransmit})) {
    counters_.add(counters_.dropRing);
    release(*found);
  }
  engine_.worker(dst).wake();
}

void Worker::forwardKeyframeRequest(DownTrack* d) noexcept {
  PublishedTrack* src = d->source;
  if (!src || !src->publisher || src->kind != "video") return;
  int64_t now = nowMicros();
  if (now - d->lastKeyframeRequestUs < kKeyframeRequestIntervalUs) return;
  d->lastKeyframeRequestUs = now;
  int owner = src->publisher->owner.load();
  if (owner == id_) return requestKeyframe(src, nowMicros());
  if (owner < 0) return;
  if (!engine_.ring(id_, owner)
           .push(FanoutItem{nullptr, src, nullptr, 0, FanoutKind::KeyframeRequest})) {
    return counters_.add(counters_.dropRing);
  }
  engine_.worker(owner).wake();
}

// RFC 4585 §6.3.1 PLI, or RFC 5104 §4.3.1 FIR when the publisher only negotiated
// "ccm fir"; rate-limited per track so N joining subscribers cost one request.
void Worker::requestKeyframe(PublishedTrack* track, int64_t nowUs) {
  Transport* pub = track->publisher;
  if (!pub || pub->closed || !pub->srtp || track->closed.load() || track->ssrc == 0) return;
  if (nowUs - track->lastKeyframeRequestUs < kKeyframeRequestIntervalUs) return;
  track->lastKeyframeRequestUs = nowUs;
  uint8_t buf[64];
  size_t n = track->codec.pli || !track->codec.fir
                 ? rtcp::writePli(buf, pub->rtcpSsrc, track->ssrc)
                 : rtcp::writeFir(buf, pub->rtcpSsrc, track->ssrc, track->firSeq++);
  counters_.add(counters_.plisOut);
  sendRtcp(pub, {buf, n});
}

}  // namespace rc::engine
