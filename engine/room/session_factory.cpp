// Building blocks shared by the WHIP/WHEP session code and renegotiation: random
// identifiers, offer parsing, and the tracks a negotiated section turns into.
#include "engine/room/session_factory.h"

#include <openssl/rand.h>

namespace rc::engine {

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

std::unique_ptr<DownTrack> makeDownTrack(Transport* t, const sdp::NegotiatedMedia& m,
                                         const sdp::OutgoingTrack& out) {
  auto down = std::make_unique<DownTrack>(static_cast<uint16_t>(randomU32()), randomU32());
  down->transport = t;
  down->mid = m.mid;
  down->kind = m.kind;
  down->ssrc = out.ssrc;
  down->rtxSsrc = out.rtxSsrc;
  down->codecs = m.codecs;
  down->ext = m.ext;
  down->rtxSeq = static_cast<uint16_t>(randomU32());
  down->ptMap.fill(-1);
  if (m.kind == "video") down->sentSeqs.enable();
  return down;
}

sdp::OutgoingTrack newOutgoingTrack(const std::string& room, const sdp::MediaSection& m) {
  bool video = m.kind == "video";
  return {"ringcast-" + room, m.kind + "-" + m.mid, randomU32(), video ? randomU32() : 0u,
          "ringcast"};
}

}  // namespace rc::engine
