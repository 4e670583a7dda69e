// The receive side of the packet path: RFC 7983 demultiplexing, ICE-lite STUN,
// DTLS, and SRTP/SRTCP from publishers and subscribers.
#include <spdlog/spdlog.h>

#include "engine/room/down_track.h"
#include "engine/room/engine.h"
#include "engine/room/published_track.h"
#include "engine/rtp/demux.h"
#include "engine/rtp/header_extensions.h"
#include "engine/rtp/rtp_packet.h"
#include "engine/rtp/rtx.h"
#include "engine/transport/transport.h"
#include "engine/worker/worker.h"

namespace rc::engine {

void Worker::onDatagram(const io::SocketAddress& from, std::span<uint8_t> data) noexcept {
  if (firstInputNs_ == 0) firstInputNs_ = steadyNanos();  // busy-ratio: one read per turn
  auto found = byAddress_.find(from);
  Transport* t = found == byAddress_.end() ? nullptr : found->second;
  if (!t && !foreign_.empty() && !handlingForeign_) {
    auto route = foreign_.find(from);
    if (route != foreign_.end()) {
      route->second.lastSeenUs = nowMicros();
      return forwardForeign(route->second.owner, from, data);
    }
  }
  switch (rtp::classify(data)) {
    case rtp::PacketClass::Stun:
      return handleStun(from, data, t);
    case rtp::PacketClass::Dtls:
      if (!t) return counters_.add(counters_.dropUnknownSource);
      return handleDtls(t, data);
    case rtp::PacketClass::Rtp:
      if (!t) return counters_.add(counters_.dropUnknownSource);
      return handleRtp(t, data);
    case rtp::PacketClass::Rtcp:
      if (!t) return counters_.add(counters_.dropUnknownSource);
      return handleRtcp(t, data);
    default:
      return counters_.add(counters_.dropMalformed);
  }
}

void Worker::handleStun(const io::SocketAddress& from, std::span<uint8_t> data,
                        Transport* t) noexcept {
  counters_.add(counters_.stunIn);
  uint8_t response[512];
  stun::IceLiteResponder::Lookup lookup = [this,
                                           t](std::string_view ufrag) -> const stun::Credentials* {
    if (t && t->credentials.localUfrag == ufrag) return &t->credentials;
    return engine_.lookupCredentials(ufrag);
  };
  stun::StunResult r = stun_.handle(data, from, lookup, response);
  if (r.outcome != stun::StunOutcome::Response) {
    if (r.outcome != stun::StunOutcome::NotRequest) counters_.add(counters_.dropStunAuth);
    return;
  }
  auto* authenticated = static_cast<Transport*>(r.credentials->owner);
  Transport* owner = t == authenticated ? t : adopt(r.credentials, from);
  if (!owner && handlingForeign_) return counters_.add(counters_.dropForeign);  // no ping-pong
  if (!owner) {
    // The browser's other candidate pairs may hash to this worker while another
    // worker owns the transport: hand this and every later datagram of the 5-tuple
    // to the owner, which answers from the same port.
    auto* target = static_cast<Transport*>(r.credentials->owner);
    int ownerId = target->owner.load();
    if (ownerId < 0 || ownerId == id_) return counters_.add(counters_.dropForeign);
    foreign_[from] = {ownerId, nowMicros()};
    return forwardForeign(ownerId, from, data);
  }
  owner->lastReceiveUs = nowMicros();
  // RFC 8445 §7.3.1.5: the controlled agent uses the nominated pair; before any
  // nomination, the latest checked address lets DTLS start.
  if (!owner->nominated || r.useCandidate) {
    if (owner->hasRemote && !(owner->remote == from)) byAddress_[from] = owner;
    owner->remote = from;
    owner->hasRemote = true;
    owner->nominated = owner->nominated || r.useCandidate;
  }
  io::SocketAddress to = from;
  std::span<uint8_t> slot = io_->sendSlot();
  if (slot.size() < r.responseLength) return counters_.add(counters_.dropNoSendSlot);
  std::memcpy(slot.data(), response, r.responseLength);
  io_->commitSend(to, r.responseLength);
  if (owner->dtlsClient && !owner->dtlsStarted && owner->dtls) {
    // RFC 5763 §5: the active side starts the handshake once ICE has a pair.
    owner->dtlsStarted = true;
    owner->dtls->start([this, owner](std::span<const uint8_t> out) { sendRaw(owner, out); });
  }
}

void Worker::handleDtls(Transport* t, std::span<uint8_t> data) noexcept {
  counters_.add(counters_.dtlsIn);
  if (!t->dtls && !t->closed) return onDtlsAfterRelease(t, data);
  if (!t->dtls || t->closed) return;
  auto send = [this, t](std::span<const uint8_t> out) { sendRaw(t, out); };
  auto result = t->dtls->handleDatagram(data, send);
  t->lastReceiveUs = t->lastDtlsInUs = nowMicros();
  if (result == crypto::DtlsSession::Result::Connected) {
    onDtlsConnected(t);
  } else if (result == crypto::DtlsSession::Result::Failed) {
    counters_.add(counters_.dtlsFailures);
    spdlog::warn("transport {}: DTLS failed: {}", t->id, t->dtls->failureReason());
    closeTransport(t, true);
  }
}

void Worker::onDtlsConnected(Transport* t) noexcept {
  auto keys = t->dtls->srtpKeys();
  if (keys) t->srtp = crypto::SrtpSession::create(*keys);
  if (!t->srtp) {
    counters_.add(counters_.dtlsFailures);
    closeTransport(t, true);
    return;
  }
  counters_.add(counters_.dtlsHandshakes);
  t->state = TransportState::Connected;
  int64_t now = nowMicros();
  for (auto& down : t->downTracks) {
    if (down->source) forwardKeyframeRequest(down.get());
  }
  (void)now;
  engine_.onTransportConnected(t, crypto::srtpProfileName(t->srtp->profile()));
}

void Worker::handleRtp(Transport* t, std::span<uint8_t> data) noexcept {
  if (!t->srtp) return counters_.add(counters_.dropSrtp);
  if (data.size() > io::kPacketCapacity) return counters_.add(counters_.dropMalformed);
  io::PacketBuffer* pb = allocate();
  if (!pb) return;
  std::memcpy(pb->data, data.data(), data.size());
  size_t len = data.size();
  if (!t->srtp->unprotectRtp(pb->data, len)) {
    counters_.add(counters_.dropSrtp);
    return release(pb);
  }
  pb->length = static_cast<uint32_t>(len);
  pb->arrivalUs = nowMicros();
  t->lastReceiveUs = pb->arrivalUs;
  t->peerHasKeys = true;
  counters_.add(counters_.rtpIn);
  counters_.add(counters_.rtpBytesIn, len);
  InboundStream* stream = resolveInbound(t, pb);
  if (stream && stream->track && !stream->track->closed.load(std::memory_order_relaxed)) {
    fanout(stream->track, pb);
  }
  release(pb);
}

// Finds the inbound stream of a decrypted packet, records transport-cc arrival
// and losses, unwraps RTX (RFC 4588 §4). Returns nullptr when the packet is not
// to be forwarded (unknown SSRC, padding-only probe).
InboundStream* Worker::resolveInbound(Transport* t, io::PacketBuffer* pb) noexcept {
  auto pkt = rtp::RtpPacket::parse({pb->data, pb->length});
  if (!pkt) {
    counters_.add(counters_.dropMalformed);
    return nullptr;
  }
  if (t->upstreamExt.transportCc && t->feedback) {
    if (auto v = pkt->extension(static_cast<uint8_t>(t->upstreamExt.transportCc));
        v && v->size() >= 2) {
      t->feedback->onPacket(static_cast<uint16_t>(((*v)[0] << 8) | (*v)[1]), pb->arrivalUs);
    }
  }
  InboundStream* s = t->findInbound(pkt->ssrc());
  if (!s) {
    counters_.add(counters_.dropUnknownSsrc);
    return nullptr;
  }
  // Padding-only RTX probes carry no OSN and are dropped; padding-only packets on
  // the media SSRC are forwarded (with an empty payload) so the subscriber's
  // sequence numbers stay contiguous.
  uint16_t seq = pkt->sequenceNumber();
  if (s->rtxSsrc && pkt->ssrc() == s->rtxSsrc && s->ssrc != s->rtxSsrc) {
    if (!unwrapRtx(s, pb)) return nullptr;
    auto media = rtp::RtpPacket::parse({pb->data, pb->length});
    if (!media) return nullptr;
    seq = media->sequenceNumber();  // the OSN
  }
  s->packets++;
  s->bytes += pb->length;
  if (s->nack) s->nack->onPacket(seq, pb->arrivalUs / 1000);
  return s;
}

bool Worker::unwrapRtx(InboundStream* s, io::PacketBuffer* pb) noexcept {
  auto rtx = rtp::RtpPacket::parse({pb->data, pb->length});
  if (!rtx || rtx->payload().size() <= 2) {
    counters_.add(counters_.dropPadding);
    return false;
  }
  uint8_t original[io::kPacketCapacity];
  size_t n = rtp::restoreFromRtx(original, *rtx, static_cast<uint8_t>(s->track->codec.pt), s->ssrc);
  if (n == 0) return false;
  std::memcpy(pb->data, original, n);
  pb->length = static_cast<uint32_t>(n);
  return true;
}

void Worker::handleRtcp(Transport* t, std::span<uint8_t> data) noexcept {
  if (!t->srtp) return counters_.add(counters_.dropSrtp);
  uint8_t plain[io::kPacketCapacity];
  if (data.size() > sizeof(plain)) return counters_.add(counters_.dropMalformed);
  std::memcpy(plain, data.data(), data.size());
  size_t len = data.size();
  if (!t->srtp->unprotectRtcp(plain, len)) return counters_.add(counters_.dropSrtp);
  t->peerHasKeys = true;
  counters_.add(counters_.rtcpIn);
  t->lastReceiveUs = nowMicros();
  std::span<const uint8_t> packet(plain, len);
  handlePublisherRtcp(t, packet);
  handleSubscriberFeedback(t, packet);
}

void Worker::forwardForeign(int owner, const io::SocketAddress& from,
                            std::span<const uint8_t> data) noexcept {
  io::PacketBuffer* pb = allocate();
  if (!pb) return;
  if (data.size() > io::kPacketCapacity) return release(pb);
  std::memcpy(pb->data, data.data(), data.size());
  pb->length = static_cast<uint32_t>(data.size());
  pb->from = from;
  if (!engine_.ring(id_, owner).push(FanoutItem{pb, nullptr, nullptr, 0, FanoutKind::Foreign})) {
    counters_.add(counters_.dropRing);
    release(pb);
  }
  engine_.worker(owner).wake();
}

void Worker::expireForeignRoutes(int64_t nowUs) {
  for (auto it = foreign_.begin(); it != foreign_.end();) {
    it = nowUs - it->second.lastSeenUs > engine_.transportTimeoutUs() ? foreign_.erase(it)
                                                                      : std::next(it);
  }
}

}  // namespace rc::engine
