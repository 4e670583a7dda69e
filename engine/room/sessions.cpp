// WHIP/WHEP sessions on the control thread: negotiate, create the transport and
// its tracks, register for adoption, and bind viewers' down tracks to publishers.
#include <openssl/rand.h>

#include <spdlog/spdlog.h>

#include "engine/room/engine.h"
#include "engine/sdp/session_description.h"

namespace rc::engine {
namespace {

std::string randomToken(size_t n) {
  static const char kAlphabet[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  std::string out(n, 'a');
  std::vector<uint8_t> bytes(n);
  RAND_bytes(bytes.data(), static_cast<int>(n));
  for (size_t i = 0; i < n; ++i) out[i] = kAlphabet[bytes[i] % 62];
  return out;
}

uint32_t randomU32() {
  uint32_t v = 0;
  while (v == 0) RAND_bytes(reinterpret_cast<uint8_t*>(&v), sizeof(v));
  return v;
}

api::OfferOutcome badRequest(std::string why) {
  return {400, std::move(why), {}, {}};
}

std::variant<sdp::SessionDescription, std::string> parseOffer(const std::string& text) {
  auto parsed = sdp::parse(text);
  if (auto* err = std::get_if<sdp::ParseError>(&parsed)) {
    return "invalid SDP offer: line " + std::to_string(err->line) + ": " + err->reason;
  }
  return std::get<sdp::SessionDescription>(std::move(parsed));
}

bool weReceive(const sdp::NegotiatedMedia& m) {
  return m.accepted &&
         (m.ourDirection == sdp::Direction::RecvOnly || m.ourDirection == sdp::Direction::SendRecv);
}
bool weSend(const sdp::NegotiatedMedia& m) {
  return m.accepted &&
         (m.ourDirection == sdp::Direction::SendOnly || m.ourDirection == sdp::Direction::SendRecv);
}

std::shared_ptr<PublishedTrack> makeTrack(const sdp::NegotiatedMedia& m, Transport* t,
                                          const std::string& identity) {
  auto track = std::make_shared<PublishedTrack>();
  track->id = "TR_" + randomToken(12);
  track->kind = m.kind;
  track->mid = m.mid;
  track->participant = identity;
  track->codecs = m.codecs;
  track->codec = m.codecs.front();
  track->ext = m.ext;
  track->ssrc = m.remoteSsrc;
  track->rtxSsrc = m.remoteRtxSsrc;
  track->publisher = t;
  track->cachePackets = m.kind == "video";
  return track;
}

InboundStream makeInbound(PublishedTrack* track) {
  InboundStream s;
  s.track = track;
  s.ssrc = track->ssrc;
  s.rtxSsrc = track->rtxSsrc;
  s.rtxPt = track->codec.rtxPt;
  if (track->kind == "video" && track->codec.nack) {
    s.nack = std::make_unique<rtp::NackGenerator>(rtp::NackGenerator::Config{});
  }
  return s;
}

}  // namespace

std::shared_ptr<Transport> Engine::makeTransport(const std::string& room,
                                                 const std::string& identity) {
  auto t = std::make_shared<Transport>(randomToken(16), room, identity);
  t->credentials.localUfrag = randomToken(8);
  t->credentials.localPwd = randomToken(24);
  t->credentials.owner = t.get();
  t->rtcpSsrc = randomU32();
  return t;
}

sdp::LocalParams Engine::localParams(const Transport& t) const {
  sdp::LocalParams p;
  p.iceUfrag = t.credentials.localUfrag;
  p.icePwd = t.credentials.localPwd;
  p.fingerprintSha256 = certificate_->sha256Fingerprint();
  p.candidateIp = nodeIp_;
  p.candidatePort = udpPort_;
  return p;
}

static void prepareDtls(Transport& t, const sdp::AnswerResult& r, crypto::DtlsContext& ctx) {
  t.remoteFingerprint = r.remoteFingerprintSha256;
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
    t->inbound.push_back(makeInbound(track.get()));
    s->tracks.push_back(std::move(track));
  }
  if (s->tracks.empty())
    return badRequest("the offer has no audio or video section we can receive");
  prepareDtls(*t, result, *dtls_);
  return registerSession(req.room, std::move(s), result.answer.serialize());
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
    bool video = m.kind == "video";
    outgoing[m.mid] = {"ringcast-" + req.room, m.kind + "-" + m.mid, randomU32(),
                       video ? randomU32() : 0u, "ringcast"};
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
    const auto& out = outgoing[m.mid];
    auto down = std::make_unique<DownTrack>(static_cast<uint16_t>(randomU32()), randomU32());
    down->transport = t.get();
    down->mid = m.mid;
    down->kind = m.kind;
    down->ssrc = out.ssrc;
    down->rtxSsrc = out.rtxSsrc;
    down->codecs = m.codecs;
    down->ext = m.ext;
    down->rtxSeq = static_cast<uint16_t>(randomU32());
    down->ptMap.fill(-1);
    s->downTracks.push_back(down.get());
    t->downTracks.push_back(std::move(down));
  }
  if (s->downTracks.empty())
    return badRequest("the offer has no audio or video section to receive");
  prepareDtls(*t, result, *dtls_);
  return registerSession(req.room, std::move(s), result.answer.serialize());
}

api::OfferOutcome Engine::registerSession(const std::string& roomName, std::shared_ptr<Session> s,
                                          const std::string& answerSdp) {
  static std::atomic<uint64_t> order{0};
  s->createdUs = nowMicros();
  s->order = ++order;
  std::lock_guard lock(mutex_);
  Room& room = rooms_[roomName];
  room.name = roomName;
  room.sessions[s->id] = s;
  {
    std::lock_guard ulock(ufragMutex_);
    byUfrag_[s->transport->credentials.localUfrag] = s->transport;
  }
  spdlog::info("room {}: {} {} (session {}, {} track(s))", roomName, s->identity,
               s->publisher ? "publishes" : "plays", s->id,
               s->publisher ? s->tracks.size() : s->downTracks.size());
  bindViewersTo(room);
  return {201, {}, answerSdp, s->id};
}

}  // namespace rc::engine
