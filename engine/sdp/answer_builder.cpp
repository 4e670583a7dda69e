// Answer SDP construction, RFC 3264 §6 (same m= sections in the same order), RFC 8829 §5.3.1
// (JSEP initial answer contents), RFC 8843 §7.3 (BUNDLE answer).
#include "engine/sdp/answer_builder.h"

#include <random>

#include "engine/sdp/media_policy.h"

namespace rc::sdp::detail {
namespace {

std::string connectionFor(const std::string& ip) {
  // RFC 8866 §5.7: c=<nettype> <addrtype> <connection-address>
  return std::string(ip.find(':') != std::string::npos ? "IN IP6 " : "IN IP4 ") + ip;
}

uint64_t randomSessionId() {
  std::random_device rd;
  uint64_t id = (static_cast<uint64_t>(rd()) << 32) | rd();
  id &= 0x7fffffffffffffffULL;  // RFC 8829 §5.2.1: 64-bit with the top bit clear
  return id == 0 ? 1 : id;
}

// RFC 3264 §6: a rejected stream keeps its m= line with port 0 and the same formats.
MediaSection rejectedSection(const MediaSection& offer) {
  MediaSection m;
  m.kind = offer.kind;
  m.port = 0;
  m.proto = offer.proto;
  m.formats = offer.formats;
  m.connection = "IN IP4 0.0.0.0";
  m.mid = offer.mid;
  bool rtp = offer.proto.find("RTP/") != std::string::npos;
  m.direction = rtp ? Direction::Inactive : Direction::SendRecv;
  return m;
}

void addCodecs(MediaSection& m, const std::vector<NegotiatedCodec>& codecs) {
  for (const NegotiatedCodec& c : codecs) {
    m.formats.push_back(std::to_string(c.pt));
    m.codecs.push_back(Codec{c.pt, c.name, c.clockRate, c.channels, c.fmtp, feedbackLines(c)});
    if (c.rtxPt < 0) continue;
    // RFC 4588 §8.6: rtx at the clock rate of its associated payload type.
    m.formats.push_back(std::to_string(c.rtxPt));
    m.codecs.push_back(Codec{c.rtxPt, "rtx", c.clockRate, 0, "apt=" + std::to_string(c.pt), {}});
  }
}

bool anyRtx(const std::vector<NegotiatedCodec>& codecs) {
  for (const NegotiatedCodec& c : codecs) {
    if (c.rtxPt >= 0) return true;
  }
  return false;
}

// RFC 5576 §4.1 (a=ssrc cname/msid), §4.2 + RFC 4588 §8.7 (FID), RFC 8830 §2 (a=msid).
void addOutgoingTrack(MediaSection& m, const OutgoingTrack& t, bool withRtx) {
  std::string msid = t.streamId + " " + t.trackId;
  m.msid = msid;
  std::vector<uint32_t> ssrcs = {t.ssrc};
  if (withRtx && t.rtxSsrc != 0) {
    ssrcs.push_back(t.rtxSsrc);
    m.ssrcGroups.push_back(SsrcGroup{"FID", ssrcs});
  }
  for (uint32_t ssrc : ssrcs) {
    m.ssrcAttrs.push_back(SsrcAttr{ssrc, "cname", t.cname});
    m.ssrcAttrs.push_back(SsrcAttr{ssrc, "msid", msid});
  }
}

// RFC 8839 §5.1 candidate, §5.4 ice-ufrag/pwd; RFC 8122 §5 fingerprint; RFC 8840 §4.1
// end-of-candidates; RFC 5761 §5.1.3 rtcp-mux; RFC 5506 §5 rtcp-rsize.
void addTransport(MediaSection& m, const MediaSection& offer, const AnswerContext& ctx) {
  const LocalParams& local = ctx.local;
  m.port = local.candidatePort;
  m.connection = connectionFor(local.candidateIp);
  m.iceUfrag = local.iceUfrag;
  m.icePwd = local.icePwd;
  m.fingerprint = Fingerprint{"sha-256", local.fingerprintSha256};
  m.setup = ctx.setup;
  m.rtcpMux = true;
  m.rtcpRsize = offer.rtcpRsize;
  m.candidates.push_back(Candidate{"1 1 udp 2130706431 " + local.candidateIp + " " +
                                   std::to_string(local.candidatePort) + " typ host"});
  m.endOfCandidates = true;
}

MediaSection acceptedSection(const MediaSection& offer, const NegotiatedMedia& nm,
                             const AnswerContext& ctx) {
  MediaSection m;
  m.kind = offer.kind;
  m.proto = offer.proto;
  m.mid = offer.mid;
  m.direction = nm.ourDirection;
  addTransport(m, offer, ctx);
  bool weReceive = nm.ourDirection == Direction::RecvOnly || nm.ourDirection == Direction::SendRecv;
  m.extmaps = acceptedExtensions(offer, weReceive);
  addCodecs(m, nm.codecs);
  if (nm.sending) addOutgoingTrack(m, *nm.sending, anyRtx(nm.codecs));
  return m;
}

}  // namespace

SessionDescription buildAnswer(const SessionDescription& offer,
                               const std::vector<NegotiatedMedia>& media,
                               const AnswerContext& ctx) {
  SessionDescription answer;
  uint64_t id = ctx.local.sessionId != 0 ? ctx.local.sessionId : randomSessionId();
  answer.origin = "- " + std::to_string(id) + " " + std::to_string(ctx.local.sessionVersion) +
                  " IN IP4 0.0.0.0";  // RFC 8829 §5.2.1
  answer.iceLite = true;              // RFC 8445 §2.5: we are a lite implementation
  answer.msidSemantic = "WMS *";      // RFC 8830 (draft msid-semantic, as Chromium expects)
  std::vector<std::string> bundle;
  for (size_t i = 0; i < media.size(); ++i) {
    const NegotiatedMedia& nm = media[i];
    if (!nm.accepted) {
      answer.media.push_back(rejectedSection(offer.media[i]));
      continue;
    }
    answer.media.push_back(acceptedSection(offer.media[i], nm, ctx));
    bundle.push_back(nm.mid);
  }
  answer.bundleGroups.push_back(std::move(bundle));  // RFC 8843 §7.3.1, offer order
  return answer;
}

}  // namespace rc::sdp::detail
