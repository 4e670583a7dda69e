// Subsequent offers on an existing session (RFC 8829 §5.3 / RFC 3264 §8): the same
// transport (ICE credentials, DTLS, SRTP) gains sections in either direction. New
// sections the peer sends on become published tracks; new sections it receives on
// become down tracks bound to the room's publisher. The worker-owned lists are
// changed by commands on the transport's owner, in order.
#include <spdlog/spdlog.h>

#include <algorithm>

#include "engine/room/engine.h"
#include "engine/room/session_factory.h"

namespace rc::engine {
namespace {

bool offerWantsToReceive(const sdp::MediaSection& m) {
  return m.port != 0 &&
         (m.direction == sdp::Direction::RecvOnly || m.direction == sdp::Direction::SendRecv);
}

bool hasTrackFor(const Session& s, const std::string& mid) {
  return std::any_of(s.tracks.begin(), s.tracks.end(),
                     [&](const auto& t) { return t->mid == mid; });
}

bool hasDownTrackFor(const Session& s, const std::string& mid) {
  return std::any_of(s.downTracks.begin(), s.downTracks.end(),
                     [&](const DownTrack* d) { return d->mid == mid; });
}

// RFC 8445 §9: a changed ufrag in a subsequent offer is an ICE restart.
bool isIceRestart(const sdp::SessionDescription& offer, const Transport& t) {
  for (const auto& m : offer.media) {
    auto attrs = sdp::effectiveTransport(offer, m);
    if (!attrs.iceUfrag.empty()) return attrs.iceUfrag != t.remoteUfrag;
  }
  return false;
}

}  // namespace

void Engine::addSendSections(Session& s, const sdp::SessionDescription& offer,
                             std::map<std::string, sdp::OutgoingTrack>& outgoing) {
  const std::string& room = s.transport->room;
  for (const DownTrack* d : s.downTracks) {
    outgoing[d->mid] = {"ringcast-" + room, d->kind + "-" + d->mid, d->ssrc, d->rtxSsrc,
                        "ringcast"};
  }
  for (const auto& m : offer.media) {
    if ((m.kind != "audio" && m.kind != "video") || m.mid.empty() || !offerWantsToReceive(m))
      continue;
    if (!outgoing.count(m.mid)) outgoing[m.mid] = newOutgoingTrack(room, m);
  }
}

void Engine::applyAnswer(Room& room, Session& s, const sdp::AnswerResult& result) {
  Transport* t = s.transport.get();
  for (const auto& m : result.media) {
    if (weReceive(m) && !m.codecs.empty() && !hasTrackFor(s, m.mid)) {
      auto track = makeTrack(m, t, s.identity);
      s.tracks.push_back(track);
      s.publisher = true;
      room.publisherSessions.insert(s.id);
      auto who = room.participants.find(s.identity);
      if (who != room.participants.end()) emit("track_published", room, &who->second, track.get());
      auto ext = m.ext;
      postToTransport(t, [t, track, ext](Worker&) {
        if (t->upstreamExt.transportCc == 0) t->upstreamExt = ext;
        t->addInbound(makeInbound(track.get()));
      });
    }
    if (weSend(m) && m.sending && !hasDownTrackFor(s, m.mid)) {
      auto down = std::make_shared<std::unique_ptr<DownTrack>>(makeDownTrack(t, m, *m.sending));
      s.downTracks.push_back(down->get());
      // If the transport is never adopted, the command and `down` are freed unrun.
      postToTransport(t, [t, down](Worker&) { t->downTracks.push_back(std::move(*down)); });
    }
  }
  bindViewersTo(room);
}

api::OfferOutcome Engine::renegotiate(const std::string& roomName, const std::string& sessionId,
                                      const std::string& offerSdp) {
  auto offer = parseOffer(offerSdp);
  if (auto* err = std::get_if<std::string>(&offer)) return badRequest(*err);
  const auto& desc = std::get<sdp::SessionDescription>(offer);
  std::lock_guard lock(mutex_);
  auto r = rooms_.find(roomName);
  if (r == rooms_.end() || !r->second.sessions.count(sessionId)) {
    return {404, "no such session", {}, {}};
  }
  Session& s = *r->second.sessions[sessionId];
  Transport& t = *s.transport;
  if (isIceRestart(desc, t)) return {422, "ICE restart is not supported", {}, {}};
  std::map<std::string, sdp::OutgoingTrack> outgoing;
  addSendSections(s, desc, outgoing);
  auto params = localParams(t);
  params.sessionVersion = ++t.sdpVersion;
  params.announceSendOnlyWithoutTrack = true;
  auto result = sdp::negotiate(desc, params, outgoing);
  if (!result.error.empty()) return badRequest(result.error);
  applyAnswer(r->second, s, result);
  spdlog::info("room {}: {} renegotiated (session {}: {} published, {} received)", roomName,
               s.identity, s.id, s.tracks.size(), s.downTracks.size());
  return {200, {}, result.answer.serialize(), s.id};
}

}  // namespace rc::engine
