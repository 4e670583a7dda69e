#include "bench/loadgen/sdp_offer.h"

#include <random>
#include <sstream>
#include <stdexcept>

#include "engine/sdp/sdp_text.h"
#include "engine/sdp/session_description.h"

namespace rc::bench {
namespace {

void transportLines(std::ostringstream& o, const LocalMedia& l, const char* setup) {
  o << "c=IN IP4 0.0.0.0\r\n"
    << "a=rtcp:9 IN IP4 0.0.0.0\r\n"
    << "a=ice-ufrag:" << l.iceUfrag << "\r\n"
    << "a=ice-pwd:" << l.icePwd << "\r\n"
    << "a=fingerprint:sha-256 " << l.fingerprintSha256 << "\r\n"
    << "a=setup:" << setup << "\r\n";
}

void candidateLines(std::ostringstream& o, const LocalMedia& l) {
  // RFC 8839 §5.1; priority per RFC 8445 §5.1.2.1 for a host candidate, component 1.
  o << "a=candidate:1 1 udp 2130706431 " << l.candidateIp << " " << l.candidatePort
    << " typ host\r\n"
    << "a=end-of-candidates\r\n";
}

void ssrcLines(std::ostringstream& o, const LocalMedia& l, uint32_t ssrc, const char* track) {
  if (!l.send) return;
  o << "a=msid:bench-" << l.cname << " " << track << "\r\n"
    << "a=ssrc:" << ssrc << " cname:" << l.cname << "\r\n"
    << "a=ssrc:" << ssrc << " msid:bench-" << l.cname << " " << track << "\r\n";
}

void videoSection(std::ostringstream& o, const LocalMedia& l, const std::string& mid) {
  o << "m=video 9 UDP/TLS/RTP/SAVPF " << kVp8PayloadType << "\r\n";
  transportLines(o, l, "actpass");
  o << "a=mid:" << mid << "\r\n"
    << (l.send ? "a=sendonly\r\n" : "a=recvonly\r\n") << "a=rtcp-mux\r\n"
    << "a=rtcp-rsize\r\n"
    << "a=rtpmap:" << kVp8PayloadType << " VP8/90000\r\n"
    << "a=rtcp-fb:" << kVp8PayloadType << " nack\r\n"
    << "a=rtcp-fb:" << kVp8PayloadType << " nack pli\r\n"
    << "a=rtcp-fb:" << kVp8PayloadType << " ccm fir\r\n";
  ssrcLines(o, l, l.videoSsrc, "video");
  candidateLines(o, l);
}

void audioSection(std::ostringstream& o, const LocalMedia& l, const std::string& mid) {
  o << "m=audio 9 UDP/TLS/RTP/SAVPF " << kOpusPayloadType << "\r\n";
  transportLines(o, l, "actpass");
  o << "a=mid:" << mid << "\r\n"
    << (l.send ? "a=sendonly\r\n" : "a=recvonly\r\n") << "a=rtcp-mux\r\n"
    << "a=rtcp-rsize\r\n"
    << "a=rtpmap:" << kOpusPayloadType << " opus/48000/2\r\n"
    << "a=fmtp:" << kOpusPayloadType << " minptime=10;useinbandfec=1\r\n";
  ssrcLines(o, l, l.audioSsrc, "audio");
  candidateLines(o, l);
}

void sessionHeader(std::ostringstream& o, const std::string& bundle) {
  static thread_local std::mt19937_64 rng{std::random_device{}()};
  o << "v=0\r\n"
    << "o=- " << (rng() >> 2) << " 2 IN IP4 127.0.0.1\r\n"
    << "s=-\r\n"
    << "t=0 0\r\n"
    << "a=group:BUNDLE" << bundle << "\r\n"
    << "a=msid-semantic: WMS *\r\n";
}

sdp::SessionDescription parseOrThrow(const std::string& text) {
  auto parsed = sdp::parse(text);
  if (auto* err = std::get_if<sdp::ParseError>(&parsed)) {
    throw std::runtime_error("server SDP line " + std::to_string(err->line) + ": " + err->reason);
  }
  return std::get<sdp::SessionDescription>(std::move(parsed));
}

// The codec we answer with: Opus or VP8 when offered, else the first rtpmap'd codec.
const sdp::Codec* chooseCodec(const sdp::MediaSection& m) {
  const sdp::Codec* first = nullptr;
  for (const auto& c : m.codecs) {
    if (c.name.empty()) continue;
    if (sdp::text::iequals(c.name, "opus") || sdp::text::iequals(c.name, "VP8")) return &c;
    if (!first) first = &c;
  }
  return first;
}

void answerSection(std::ostringstream& o, const sdp::MediaSection& m, const sdp::Codec& c,
                   const LocalMedia& l) {
  o << "m=" << m.kind << " 9 " << m.proto << " " << c.pt << "\r\n";
  transportLines(o, l, "active");
  o << "a=mid:" << m.mid << "\r\n"
    << "a=recvonly\r\n"
    << "a=rtcp-mux\r\n"
    << "a=rtpmap:" << c.pt << " " << c.name << "/" << c.clockRate;
  if (c.channels > 0) o << "/" << c.channels;
  o << "\r\n";
  if (!c.fmtp.empty()) o << "a=fmtp:" << c.pt << " " << c.fmtp << "\r\n";
  for (const auto& fb : c.rtcpFb) o << "a=rtcp-fb:" << c.pt << " " << fb << "\r\n";
  candidateLines(o, l);
}

void rejectedSection(std::ostringstream& o, const sdp::MediaSection& m) {
  o << "m=" << m.kind << " 0 " << m.proto;
  for (const auto& f : m.formats) o << " " << f;
  o << "\r\nc=IN IP4 0.0.0.0\r\n";
  if (!m.mid.empty()) o << "a=mid:" << m.mid << "\r\n";
  o << "a=inactive\r\n";
}

// "foundation component transport priority ip port typ host ..." (RFC 8839 §5.1).
bool hostCandidate(const sdp::Candidate& c, RemoteEndpoint& out) {
  auto tokens = sdp::text::splitWs(c.raw);
  if (tokens.size() < 8 || !sdp::text::iequals(tokens[2], "udp") || tokens[1] != "1") return false;
  auto port = sdp::text::parseUint(tokens[5], 65535);
  if (!port || *port == 0) return false;
  out.ip = std::string(tokens[4]);
  out.port = static_cast<uint16_t>(*port);
  return true;
}

}  // namespace

std::string buildOffer(const LocalMedia& local) {
  std::ostringstream o;
  std::string bundle = std::string(local.video ? " 0" : "") + (local.audio ? " 1" : "");
  sessionHeader(o, bundle);
  if (local.video) videoSection(o, local, "0");
  if (local.audio) audioSection(o, local, "1");
  return o.str();
}

std::string buildAnswer(const std::string& serverOffer, const LocalMedia& local) {
  sdp::SessionDescription offer = parseOrThrow(serverOffer);
  std::ostringstream body;
  std::string bundle;
  for (const auto& m : offer.media) {
    const sdp::Codec* codec = nullptr;
    if ((m.kind == "audio" || m.kind == "video") && m.port != 0) codec = chooseCodec(m);
    if (!codec) {
      rejectedSection(body, m);
      continue;
    }
    answerSection(body, m, *codec, local);
    bundle += " " + m.mid;
  }
  if (bundle.empty()) throw std::runtime_error("the server's offer has no media we can receive");
  std::ostringstream o;
  sessionHeader(o, bundle);
  return o.str() + body.str();
}

RemoteEndpoint parseRemote(const std::string& text) {
  sdp::SessionDescription desc = parseOrThrow(text);
  RemoteEndpoint out;
  out.iceLite = desc.iceLite;
  for (const auto& m : desc.media) {
    if (m.port == 0) continue;
    sdp::TransportAttributes t = sdp::effectiveTransport(desc, m);
    out.iceUfrag = t.iceUfrag;
    out.icePwd = t.icePwd;
    out.setup = t.setup;
    if (t.fingerprint) out.fingerprintSha256 = t.fingerprint->value;
    for (const auto& c : m.candidates) {
      if (hostCandidate(c, out)) break;
    }
    break;
  }
  if (out.iceUfrag.empty() || out.icePwd.empty()) throw std::runtime_error("no ICE credentials");
  if (out.fingerprintSha256.empty()) throw std::runtime_error("no sha-256 fingerprint");
  if (out.port == 0) throw std::runtime_error("no UDP host candidate");
  return out;
}

std::string randomIceString(size_t length) {
  static constexpr char kChars[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  static thread_local std::mt19937_64 rng{std::random_device{}()};
  std::string s(length, 'a');
  for (auto& ch : s) ch = kChars[rng() % 64];
  return s;
}

}  // namespace rc::bench
