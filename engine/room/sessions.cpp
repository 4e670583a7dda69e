// WHIP/WHEP sessions on the control thread: negotiate, create the transport and
// its tracks, register for adoption, and bind viewers' down tracks to publishers.
#include <spdlog/spdlog.h>

#include "engine/room/engine.h"
#include "engine/room/session_factory.h"
#include "engine/sdp/session_description.h"

namespace rc::engine {

std::shared_ptr<Transport> Engine::makeTransport(const std::string& room,
                                                 const std::string& identity) {
  auto t = std::make_shared<Transport>(randomToken(16), room, identity);
  t->credentials.localUfrag = randomToken(8);
  t->credentials.localPwd = randomToken(24);
  t->credentials.owner = t.get();
  t->rtcpSsrc = randomU32();
  t->sdpSessionId = (uint64_t{randomU32()} << 31) ^ randomU32();
  return t;
}

sdp::LocalParams Engine::localParams(const Transport& t) const {
  sdp::LocalParams p;
  p.iceUfrag = t.credentials.localUfrag;
  p.icePwd = t.credentials.localPwd;
  p.fingerprintSha256 = certificate_->sha256Fingerprint();
  p.candidateIp = nodeIp_;
  p.candidatePort = udpPort_;
  p.sessionId = t.sdpSessionId;
  p.sessionVersion = t.sdpVersion;
  return p;
}

static void prepareDtls(Transport& t, const sdp::AnswerResult& r, crypto::DtlsContext& ctx) {
  t.remoteFingerprint = r.remoteFingerprintSha256;
  t.remoteUfrag = r.remoteUfrag;
  t.dtlsClient = r.weAreDtlsClient;
  t.dtls = std::make_unique<crypto::DtlsSession>(
      ctx, r.weAreDtlsClient ? crypto::DtlsRole::Client : crypto::DtlsRole::Server,
      r.remoteFingerprintSha256);
}

api::OfferOutcome Engine::publish(const api::PublishRequest& req) {
  if (!running_) return {503, "server is shutting down", {}, {}};
  auto offer = parseOffer(req.offerSdp);
  if (auto* err = std::get_if<std::string>(&offer)) return badRequest(*err);
  auto t = makeTransport(req.room, req.identity);
  auto result = sdp::negotiate(std::get<sdp::SessionDescription>(offer), localParams(*t), {});
  if (!result.error.empty()) return badRequest(result.error);
  auto s = std::make_shared<Session>();
  s->id = t->id;
  s->identity = req.identity;
  s->publisher = true;
  s->transport = t;
  for (const auto& m : result.media) {
    if (!weReceive(m) || m.codecs.empty()) continue;
    auto track = makeTrack(m, t.get(), req.identity);
    if (t->upstreamExt.transportCc == 0) t->upstreamExt = m.ext;
    t->addInbound(makeInbound(track.get()));
    s->tracks.push_back(std::move(track));
  }
  if (s->tracks.empty())
    return badRequest("the offer has no audio or video section we can receive");
  prepareDtls(*t, result, *dtls_);
  return registerSession(req.room, std::move(s),
                         {req.identity, req.name, req.metadata, req.permission},
                         result.answer.serialize());
}

api::OfferOutcome Engine::play(const api::PlayRequest& req) {
  if (!running_) return {503, "server is shutting down", {}, {}};
  auto offer = parseOffer(req.offerSdp);
  if (auto* err = std::get_if<std::string>(&offer)) return badRequest(*err);
  const auto& desc = std::get<sdp::SessionDescription>(offer);
  auto t = makeTransport(req.room, req.identity);
  std::map<std::string, sdp::OutgoingTrack> outgoing;
  for (const auto& m : desc.media) {
    if ((m.kind != "audio" && m.kind != "video") || m.mid.empty()) continue;
    outgoing[m.mid] = newOutgoingTrack(req.room, m);
  }
  auto params = localParams(*t);
  params.announceSendOnlyWithoutTrack = true;
  auto result = sdp::negotiate(desc, params, outgoing);
  if (!result.error.empty()) return badRequest(result.error);
  auto s = std::make_shared<Session>();
  s->id = t->id;
  s->identity = req.identity;
  s->participantFilter = req.participant;
  s->transport = t;
  for (const auto& m : result.media) {
    if (!weSend(m) || !outgoing.count(m.mid)) continue;
    auto down = makeDownTrack(t.get(), m, outgoing[m.mid]);
    s->downTracks.push_back(down.get());
    t->downTracks.push_back(std::move(down));
  }
  if (s->downTracks.empty())
    return badRequest("the offer has no audio or video section to receive");
  prepareDtls(*t, result, *dtls_);
  return registerSession(req.room, std::move(s),
                         {req.identity, req.name, req.metadata, req.permission},
                         result.answer.serialize());
}

api::OfferOutcome Engine::registerSession(const std::string& roomName, std::shared_ptr<Session> s,
                                          const JoinInfo& who, const std::string& answerSdp) {
  static std::atomic<uint64_t> order{0};
  s->createdUs = nowMicros();
  s->order = ++order;
  std::lock_guard lock(mutex_);
  Room& room = openRoom(roomName, nullptr);  // created on demand by the first join
  if (auto refused = admit(room, who, s->publisher)) return *refused;
  room.sessions[s->id] = s;
  if (!s->tracks.empty()) room.publisherSessions.insert(s->id);
  join(room, *s, who);
  noteRecordedPublisher(room, *s, true);
  {
    std::lock_guard ulock(ufragMutex_);
    byUfrag_[s->transport->credentials.localUfrag] = s->transport;
  }
  spdlog::info("room {}: {} {} (session {}, {} track(s))", roomName, s->identity,
               s->publisher ? "publishes" : "plays", s->id,
               s->publisher ? s->tracks.size() : s->downTracks.size());
  // A new publisher may be what waiting viewers need; a new viewer only needs binding itself.
  if (s->tracks.empty()) {
    bindViewer(room, *s);
  } else {
    bindViewersTo(room);
  }
  return {201, {}, answerSdp, s->id};
}

}  // namespace rc::engine
