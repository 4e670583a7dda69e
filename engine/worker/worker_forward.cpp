// Fan-out: a packet decrypted once by the publisher's worker is rewritten for
// each subscriber (SSRC, PT, seq, timestamp, extensions), encrypted into a send
// slot and queued. Subscribers on other workers get a reference over the ring.
#include <algorithm>
#include <cstring>

#include "engine/room/down_track.h"
#include "engine/room/engine.h"
#include "engine/room/published_track.h"
#include "engine/rtcp/reports.h"
#include "engine/rtp/rtp_packet.h"
#include "engine/transport/transport.h"
#include "engine/worker/forward_packet.h"
#include "engine/worker/worker.h"

namespace rc::engine {

void Worker::fanout(PublishedTrack* track, io::PacketBuffer* pb) noexcept {
  if (record::RecordTap* tap = track->recordTap.get()) tapForRecording(*tap, pb);
  if (pb->kind == io::PacketKind::Rtp && track->cachePackets) {
    auto pkt = rtp::RtpPacket::parse({pb->data, pb->length});
    if (!pkt) return;
    io::retain(pb);
    io::PacketBuffer* evicted = track->cache.insert(pkt->sequenceNumber(), pb);
    if (evicted) release(evicted);
  }
  FanoutItem local{pb, track, nullptr, 0, FanoutKind::Media};
  deliverLocal(local);
  uint64_t mask = track->remoteWorkers.load(std::memory_order_acquire) & ~(uint64_t{1} << id_);
  while (mask) {
    int w = __builtin_ctzll(mask);
    mask &= mask - 1;
    io::retain(pb);
    if (!engine_.ring(id_, w).push(FanoutItem{pb, track, nullptr, 0, FanoutKind::Media})) {
      counters_.add(counters_.dropRing);
      release(pb);
    }
    engine_.worker(w).wake();
  }
}

// A copy for the recorder thread; a full ring is a counted drop, never a wait.
void Worker::tapForRecording(record::RecordTap& tap, const io::PacketBuffer* pb) noexcept {
  bool rtp = pb->kind == io::PacketKind::Rtp;
  int64_t arrival = rtp && pb->arrivalUs ? pb->arrivalUs : nowMicros();
  if (!tap.push(rtp ? record::TapKind::Rtp : record::TapKind::SenderReport, {pb->data, pb->length},
                arrival)) {
    counters_.add(counters_.dropRecordTap);
  }
}

void Worker::deliverLocal(const FanoutItem& item) noexcept {
  if (item.kind == FanoutKind::Foreign) {
    // We hold the only reference: the datagram may be handled in place. It is never
    // forwarded again (two workers must not bounce a datagram between them).
    handlingForeign_ = true;
    onDatagram(item.buffer->from, {item.buffer->data, item.buffer->length});
    handlingForeign_ = false;
    return;
  }
  if (item.kind == FanoutKind::KeyframeRequest) return requestKeyframe(item.track, nowMicros());
  if (item.kind == FanoutKind::NackRequest) {
    return retransmitFor(item.track, item.target, item.sourceSeq, item.outSeq);
  }
  if (item.kind == FanoutKind::Retransmit) {
    if (item.target && item.target->source == item.track)
      retransmit(item.target, item.buffer, item.outSeq);
    return;
  }
  const auto& subscribers = item.track->perWorker[static_cast<size_t>(id_)].subscribers;
  if (item.buffer->kind == io::PacketKind::SenderReport) {
    for (DownTrack* d : subscribers) forwardSenderReport(d, item.buffer);
    return;
  }
  if (!subscribers.empty()) queueMedia(item.track, item.buffer);
}

namespace {

// A fan-out over hundreds of subscribers reads state that does not stay in cache from one
// packet to the next (each DownTrack, its Transport, the Transport's SRTP session and what
// that points to) through a chain of pointers. The loop below runs one stage of the chain per
// subscriber ahead, so that each stage's pointer has arrived by the time the next follows it.
constexpr size_t kAheadDownTrack = 4, kAheadTransport = 3, kAheadSrtp = 2, kAheadSrtpState = 1;
// Sends queued before forwardTurnBatches() submits them (~400 KiB of send slots).
constexpr size_t kSubmitEvery = 256;

void prefetchDownTrack(const DownTrack* d) noexcept {
  __builtin_prefetch(d);
  __builtin_prefetch(&d->rewriter);
}

void prefetchTransport(const DownTrack* d) noexcept {
  const Transport* t = d->transport;
  __builtin_prefetch(t);
  __builtin_prefetch(&t->srtp);
  __builtin_prefetch(&t->closed);
}

void prefetchSrtp(const DownTrack* d) noexcept {
  __builtin_prefetch(d->transport->srtp.get());
}

void prefetchSrtpState(const DownTrack* d) noexcept {
  if (const crypto::SrtpSession* srtp = d->transport->srtp.get()) srtp->prefetchForProtect();
}

void prefetchSubscriber(std::span<DownTrack* const> subs, size_t index) noexcept {
  const size_t n = subs.size();
  if (index + kAheadDownTrack < n) prefetchDownTrack(subs[index + kAheadDownTrack]);
  if (index + kAheadTransport < n) prefetchTransport(subs[index + kAheadTransport]);
  if (index + kAheadSrtp < n) prefetchSrtp(subs[index + kAheadSrtp]);
  if (index + kAheadSrtpState < n) prefetchSrtpState(subs[index + kAheadSrtpState]);
}

}  // namespace

// Subscriber-major: every packet of the turn goes to one subscriber before the next, so that
// subscriber's state is fetched once per turn, its copies of a frame are consecutive sends (one
// GSO run) and the sends can be submitted every kSubmitEvery without cutting a run; the send
// slots in flight then stay in cache until the kernel copies them. The tracks' subscriber
// lists are walked side by side: a participant's tracks list their subscribers in the order
// they subscribed, so subscriber i of its video and of its audio is usually one transport,
// and planTurnOrder puts an audio packet after each video frame, where it ends the frame's
// GSO run instead of costing a sendmsg of its own.
void Worker::forwardTurnBatches() noexcept {
  planTurnOrder();
  size_t longest = 0;
  for (const TrackBatch& b : trackBatches_) longest = std::max(longest, b.subscribers.size());
  for (size_t i = 0; i < longest; ++i) {
    for (const TrackBatch& b : trackBatches_) prefetchSubscriber(b.subscribers, i);
    for (const rtp::InterleavedPacket& p : turnOrder_) {
      const TrackBatch& b = trackBatches_[p.track];
      if (i >= b.subscribers.size()) continue;
      forwardRtp(b.subscribers[i], batchPackets_[b.first + p.index],
                 batchPadTo_[b.first + p.index]);
    }
    if (io_->queuedSends() >= kSubmitEvery) io_->flush();
  }
}

void Worker::forwardRtp(DownTrack* d, const rtp::RtpPacket& packet, size_t padTo) noexcept {
  Transport* t = d->transport;
  if (!t->srtp || !t->hasRemote || t->closed) return;
  const rtp::RtpPacket* pkt = &packet;
  int16_t pt = d->ptMap[pkt->payloadType()];
  if (pt < 0) return counters_.add(counters_.dropNoCodec);
  auto out = d->rewriter.rewrite(pkt->sequenceNumber(), pkt->timestamp());
  if (!out) return;
  d->lastSourceTs = pkt->timestamp();
  // Recorded before anything can drop the packet here, so a NACK can repair it.
  d->sentSeqs.record(out->seq, pkt->sequenceNumber());
  std::span<uint8_t> slot = io_->sendSlot();
  if (slot.empty()) return counters_.add(counters_.dropNoSendSlot);
  size_t len = writeForwardedRtp(*d, *pkt, static_cast<uint8_t>(pt), *out, slot, padTo);
  if (len == 0) return counters_.add(counters_.dropMalformed);
  d->packetsSent++;
  d->octetsSent += static_cast<uint32_t>(pkt->payload().size());
  sendProtectedRtp(t, slot, len);
}

// RFC 4588 §4: a retransmission on the RTX stream carries the original (output)
// sequence number first; without negotiated RTX the packet is simply resent.
void Worker::retransmit(DownTrack* d, const io::PacketBuffer* pb, uint16_t outSeq) noexcept {
  Transport* t = d->transport;
  if (!t->srtp || !t->hasRemote || t->closed) return;
  auto pkt = rtp::RtpPacket::parse({pb->data, pb->length});
  if (!pkt) return;
  int16_t pt = d->ptMap[pkt->payloadType()];
  auto out = d->rewriter.rewrite(pkt->sequenceNumber(), pkt->timestamp());
  if (pt < 0 || !out) return;
  std::span<uint8_t> slot = io_->sendSlot();
  if (slot.empty()) return counters_.add(counters_.dropNoSendSlot);
  rtp::ExtensionValue exts[4];
  size_t extCount = collectExtensions(*d, *d->source, *pkt, exts);
  bool rtx = d->rtxPt >= 0 && d->rtxSsrc != 0;
  rtp::RtpHeaderFields h{pkt->marker(), static_cast<uint8_t>(rtx ? d->rtxPt : pt),
                         rtx ? d->rtxSeq++ : outSeq, out->ts, rtx ? d->rtxSsrc : d->ssrc};
  size_t n = rtp::writeHeader(slot, h, {exts, extCount});
  auto payload = pkt->payload();
  size_t prefix = rtx ? 2 : 0;
  if (n == 0 || n + prefix + payload.size() + crypto::SrtpSession::kMaxTrailer > slot.size())
    return;
  if (rtx) {
    slot[n] = static_cast<uint8_t>(outSeq >> 8);
    slot[n + 1] = static_cast<uint8_t>(outSeq);
  }
  std::memcpy(slot.data() + n + prefix, payload.data(), payload.size());
  counters_.add(counters_.retransmits);
  sendProtectedRtp(t, slot, n + prefix + payload.size());
}

// RFC 3550 §6.4.1: the subscriber sees the publisher's NTP/RTP pair mapped onto
// its own SSRC and timestamp base, so lip sync survives the rewrite.
void Worker::forwardSenderReport(DownTrack* d, const io::PacketBuffer* pb) noexcept {
  Transport* t = d->transport;
  if (!t->srtp || !t->hasRemote || t->closed || !d->rewriter.anchored()) return;
  uint8_t plain[64];
  if (pb->length > sizeof(plain) - 0) return;
  std::memcpy(plain, pb->data, pb->length);
  if (!rtcp::rewriteSenderReportInPlace({plain, pb->length}, d->ssrc, d->rewriter.tsOffset(),
                                        d->packetsSent, d->octetsSent)) {
    return;
  }
  sendRtcp(t, {plain, pb->length});
}

void Worker::sendProtectedRtp(Transport* t, std::span<uint8_t> slot, size_t len) noexcept {
  if (!t->srtp->protectRtp(slot.data(), len, slot.size())) return counters_.add(counters_.dropSrtp);
  counters_.add(counters_.rtpOut);
  counters_.add(counters_.rtpBytesOut, len);
  io_->commitSend(t->remote, len);
}

void Worker::sendRtcp(Transport* t, std::span<const uint8_t> plain) noexcept {
  if (!t->srtp || !t->hasRemote) return;
  std::span<uint8_t> slot = io_->sendSlot();
  if (slot.size() < plain.size() + crypto::SrtpSession::kMaxTrailer) {
    return counters_.add(counters_.dropNoSendSlot);
  }
  std::memcpy(slot.data(), plain.data(), plain.size());
  size_t len = plain.size();
  if (!t->srtp->protectRtcp(slot.data(), len, slot.size()))
    return counters_.add(counters_.dropSrtp);
  counters_.add(counters_.rtcpOut);
  io_->commitSend(t->remote, len);
}

void Worker::sendRaw(Transport* t, std::span<const uint8_t> data) noexcept {
  if (!t->hasRemote) return;
  std::span<uint8_t> slot = io_->sendSlot();
  if (slot.size() < data.size()) return counters_.add(counters_.dropNoSendSlot);
  std::memcpy(slot.data(), data.data(), data.size());
  io_->commitSend(t->remote, data.size());
}

}  // namespace rc::engine
