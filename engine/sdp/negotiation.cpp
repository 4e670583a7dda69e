// Offer validation and per-section negotiation policy. The SFU answers; it never offers
// (RFC 3264 §6, RFC 8829 §5.3). Supported: BUNDLE (RFC 8843) + rtcp-mux (RFC 5761) only,
// ICE-lite (RFC 8445 §2.5), DTLS-SRTP (RFC 5763/5764).
#include "engine/sdp/negotiation.h"

#include <algorithm>
#include <random>

#include "engine/sdp/answer_builder.h"
#include "engine/sdp/media_policy.h"
#include "engine/sdp/sdp_text.h"

namespace rc::sdp {
namespace {

using text::iequals;

bool isRtpSavpf(const std::string& proto) {
  // RFC 8829 §5.1.2: UDP/TLS/RTP/SAVPF; RFC 5764 §8 legacy spelling RTP/SAVPF.
  return proto == "UDP/TLS/RTP/SAVPF" || proto == "RTP/SAVPF";
}

std::string rejectionReason(const MediaSection& m) {
  if (m.kind != "audio" && m.kind != "video") {
    return "media kind '" + m.kind + "' is not supported (data channels come later)";
  }
  // RFC 8843 §7.5.3: port 0 with a=bundle-only is a bundled section, not a rejected one.
  if (m.port == 0 && !m.bundleOnly) return "section disabled in the offer (port 0)";
  if (!isRtpSavpf(m.proto)) return "transport protocol '" + m.proto + "' is not supported";
  if (detail::selectAllSupported(m).empty()) return "no supported codec offered";
  return "";
}

Direction combine(bool weSend, bool weReceive) {
  if (weSend && weReceive) return Direction::SendRecv;
  if (weSend) return Direction::SendOnly;
  if (weReceive) return Direction::RecvOnly;
  return Direction::Inactive;
}

uint32_t randomSsrc(std::mt19937& rng) {
  uint32_t ssrc = 0;
  while (ssrc == 0) ssrc = rng();
  return ssrc;
}

// WHEP viewer before any publisher: announce a track we will map the publisher onto later.
OutgoingTrack placeholderTrack(const MediaSection& m) {
  std::random_device rd;
  std::mt19937 rng(rd());
  OutgoingTrack t{"ringcast", "placeholder-" + m.mid, randomSsrc(rng), 0, "ringcast"};
  if (m.kind == "video") {
    do {
      t.rtxSsrc = randomSsrc(rng);
    } while (t.rtxSsrc == t.ssrc);
  }
  return t;
}

// Remote media and RTX ssrc: first of a=ssrc-group:SIM, else of FID, else first a=ssrc; the
// RTX partner from FID (RFC 5576 §4.2, RFC 4588 §8.7).
void fillRemoteSsrcs(const MediaSection& m, NegotiatedMedia& nm) {
  const SsrcGroup* sim = nullptr;
  for (const SsrcGroup& g : m.ssrcGroups) {
    if (g.semantics == "SIM" && !g.ssrcs.empty() && !sim) sim = &g;
  }
  std::vector<uint32_t> all = m.ssrcs();
  nm.remoteSsrc = sim ? sim->ssrcs[0] : 0;
  for (const SsrcGroup& g : m.ssrcGroups) {
    if (g.semantics != "FID" || g.ssrcs.size() < 2) continue;
    if (nm.remoteSsrc == 0) nm.remoteSsrc = g.ssrcs[0];
    if (g.ssrcs[0] == nm.remoteSsrc) nm.remoteRtxSsrc = g.ssrcs[1];
  }
  if (nm.remoteSsrc == 0 && !all.empty()) nm.remoteSsrc = all[0];
}

// RFC 8830 §2: a=msid:<stream id> [<track id>]; legacy a=ssrc:<n> msid:<...> as fallback.
void fillRemoteMsid(const MediaSection& m, NegotiatedMedia& nm) {
  nm.remoteMsid = m.msid;
  for (const SsrcAttr& a : m.ssrcAttrs) {
    if (nm.remoteMsid.empty() && a.name == "msid") nm.remoteMsid = a.value;
  }
  auto toks = text::splitWs(nm.remoteMsid);
  if (!toks.empty()) nm.remoteStreamId = toks[0];
  if (toks.size() > 1) nm.remoteTrackId = toks[1];
}

// Directions per RFC 3264 §6.1; codecs per media_policy.h.
void negotiateAccepted(const MediaSection& m, const LocalParams& local,
                       const std::map<std::string, OutgoingTrack>& outgoing, NegotiatedMedia& nm) {
  bool remoteSends = m.direction == Direction::SendOnly || m.direction == Direction::SendRecv;
  bool remoteReceives = m.direction == Direction::RecvOnly || m.direction == Direction::SendRecv;
  if (remoteReceives) {
    auto it = outgoing.find(m.mid);
    if (it != outgoing.end()) {
      nm.sending = it->second;
    } else if (local.announceSendOnlyWithoutTrack) {
      nm.sending = placeholderTrack(m);
    }
  }
  nm.ourDirection = combine(nm.sending.has_value(), remoteSends);
  auto chosen = remoteSends ? detail::selectForReceive(m) : detail::selectAllSupported(m);
  for (const Codec* c : chosen) nm.codecs.push_back(detail::toNegotiated(m, *c, remoteSends));
  nm.ext = detail::extensionIds(detail::acceptedExtensions(m, remoteSends));
  // Simulcast (a=rid / a=simulcast, RFC 8853) is not answered yet: the browser then sends a
  // single encoding, so nm.rids stays empty.
  if (remoteSends) {
    fillRemoteSsrcs(m, nm);
    fillRemoteMsid(m, nm);
  }
}

NegotiatedMedia planSection(const MediaSection& m, const LocalParams& local,
                            const std::map<std::string, OutgoingTrack>& outgoing) {
  NegotiatedMedia nm;
  nm.mid = m.mid;
  nm.kind = m.kind;
  nm.rejectReason = rejectionReason(m);
  nm.accepted = nm.rejectReason.empty();
  if (nm.accepted) negotiateAccepted(m, local, outgoing, nm);
  return nm;
}

std::string label(const MediaSection& m, size_t index) {
  return "m= section " + std::to_string(index) + (m.mid.empty() ? "" : " (mid " + m.mid + ")");
}

std::string checkTransport(const TransportAttributes& t, const std::string& where) {
  if (t.iceUfrag.empty() || t.icePwd.empty()) {
    return where + " has no a=ice-ufrag/a=ice-pwd (RFC 8839 §5.4)";
  }
  if (!t.fingerprint || !iequals(t.fingerprint->algorithm, "sha-256")) {
    return where + " has no sha-256 a=fingerprint (RFC 8122 §5, RFC 8827 §6.5)";
  }
  if (!t.setup.empty() && t.setup != "actpass" && t.setup != "active" && t.setup != "passive") {
    return where + " has a=setup:" + t.setup +
           "; expected actpass, active or passive (RFC 4145 §4, RFC 8842 §5)";
  }
  return "";
}

// Per accepted section: a=mid (RFC 8843 §7.2.1), a=rtcp-mux (RFC 5761 §5.1.3, RFC 8843 §9.1),
// transport attributes unless bundle-only (those share the BUNDLE-tag transport, §7.2.1).
std::string checkSections(const SessionDescription& offer,
                          const std::vector<NegotiatedMedia>& plans) {
  std::vector<std::string> mids;
  for (size_t i = 0; i < plans.size(); ++i) {
    if (!plans[i].accepted) continue;
    const MediaSection& m = offer.media[i];
    if (m.mid.empty()) return label(m, i) + " has no a=mid, which BUNDLE needs (RFC 8843 §7.2.1)";
    if (std::find(mids.begin(), mids.end(), m.mid) != mids.end()) {
      return label(m, i) + " repeats a=mid:" + m.mid + " (RFC 5888 §4)";
    }
    mids.push_back(m.mid);
    if (!m.rtcpMux) {
      return label(m, i) + " has no a=rtcp-mux; ringcast only does RTP/RTCP multiplexing " +
             "(RFC 5761 §5.1.3, RFC 8843 §9.1)";
    }
    if (m.bundleOnly) continue;
    if (auto err = checkTransport(effectiveTransport(offer, m), label(m, i)); !err.empty()) {
      return err;
    }
  }
  return "";
}

// RFC 9725 §4.2 (WHIP) and RFC 8829 §5.1.1 max-bundle: one BUNDLE group holds every accepted
// section.
const std::vector<std::string>* bundleGroupFor(const SessionDescription& offer,
                                               const std::vector<NegotiatedMedia>& plans) {
  for (const auto& group : offer.bundleGroups) {
    bool all = std::all_of(plans.begin(), plans.end(), [&](const NegotiatedMedia& nm) {
      return !nm.accepted || std::find(group.begin(), group.end(), nm.mid) != group.end();
    });
    if (all) return &group;
  }
  return nullptr;
}

// The offerer BUNDLE-tagged section (RFC 8843 §7.2.1): first mid of the group that we accept
// and that carries its own transport; otherwise the first accepted section.
size_t tagIndex(const SessionDescription& offer, const std::vector<NegotiatedMedia>& plans,
                const std::vector<std::string>& group) {
  for (const std::string& mid : group) {
    for (size_t i = 0; i < plans.size(); ++i) {
      if (plans[i].accepted && plans[i].mid == mid && !offer.media[i].bundleOnly) return i;
    }
  }
  size_t first = 0;
  while (!plans[first].accepted) ++first;
  return first;
}

// RFC 5763 §5 / RFC 8842 §5.2: answer active to passive, passive to active; to actpass (or a
// missing a=setup, which RFC 4145 §4 reads as active) the configured role, passive by default.
std::string answerSetup(const std::string& remote, const LocalParams& local) {
  if (remote == "passive") return "active";
  if (remote == "actpass" && local.setup == "active") return "active";
  return "passive";
}

std::string acceptedNothing(const SessionDescription& offer,
                            const std::vector<NegotiatedMedia>& plans) {
  std::string reasons;
  for (size_t i = 0; i < plans.size(); ++i) {
    reasons +=
        (reasons.empty() ? "" : "; ") + label(offer.media[i], i) + ": " + plans[i].rejectReason;
  }
  return "no m= section could be accepted: " + reasons;
}

AnswerResult refuse(std::string reason) {
  AnswerResult r;
  r.error = std::move(reason);
  return r;
}

}  // namespace

AnswerResult negotiate(const SessionDescription& offer, const LocalParams& local,
                       const std::map<std::string, OutgoingTrack>& outgoing) {
  if (offer.media.empty()) return refuse("offer has no m= sections");
  std::vector<NegotiatedMedia> plans;
  for (const MediaSection& m : offer.media) plans.push_back(planSection(m, local, outgoing));
  auto isAccepted = [](const NegotiatedMedia& nm) { return nm.accepted; };
  if (std::none_of(plans.begin(), plans.end(), isAccepted))
    return refuse(acceptedNothing(offer, plans));
  if (auto err = checkSections(offer, plans); !err.empty()) return refuse(err);
  const auto* group = bundleGroupFor(offer, plans);
  if (!group) {
    return refuse(
        "offer has no a=group:BUNDLE holding every accepted section; ringcast only "
        "does BUNDLE (RFC 8843, RFC 9725 §4.2)");
  }
  size_t tag = tagIndex(offer, plans, *group);
  TransportAttributes remote = effectiveTransport(offer, offer.media[tag]);
  if (auto err = checkTransport(remote, label(offer.media[tag], tag)); !err.empty())
    return refuse(err);

  AnswerResult result;
  detail::AnswerContext ctx{local, answerSetup(remote.setup, local)};
  result.weAreDtlsClient = ctx.setup == "active";
  result.remoteUfrag = remote.iceUfrag;
  result.remotePwd = remote.icePwd;
  result.remoteFingerprintSha256 = remote.fingerprint->value;
  result.answer = detail::buildAnswer(offer, plans, ctx);
  result.media = std::move(plans);
  return result;
}

}  // namespace rc::sdp
