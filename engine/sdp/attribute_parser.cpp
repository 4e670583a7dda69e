// a= attribute parsers. Each cites the RFC that defines its grammar.
#include "engine/sdp/attribute_parser.h"

#include <algorithm>
#include <array>
#include <limits>

#include "engine/sdp/sdp_text.h"

namespace rc::sdp::detail {
namespace {

using text::iequals;
using text::parseUint;
using text::splitFirst;
using text::splitWs;
using text::trim;

uint32_t parseSsrc(std::string_view token, std::string_view what) {
  auto v = parseUint(token, std::numeric_limits<uint32_t>::max());
  if (!v)
    fail("malformed " + std::string(what) + ": ssrc '" + std::string(token) +
         "' is not a 32-bit number");
  return static_cast<uint32_t>(*v);
}

Codec& codecFor(MediaSection& m, int pt) {
  for (Codec& c : m.codecs) {
    if (c.pt == pt) return c;
  }
  m.codecs.push_back(Codec{pt, "", 0, 0, "", {}});
  return m.codecs.back();
}

// <pt> SP <rest> shared by a=rtpmap / a=fmtp / a=rtcp-fb.
std::pair<int, std::string_view> ptAndRest(std::string_view value, std::string_view what) {
  auto halves = splitFirst(value, ' ');
  if (!halves || trim(halves->tail).empty()) {
    fail("malformed " + std::string(what) + ": expected '<pt> <value>'");
  }
  return {parsePayloadType(halves->head, what), trim(halves->tail)};
}

// RFC 8866 §6.6: a=rtpmap:<payload type> <encoding name>/<clock rate>[/<encoding parameters>]
void parseRtpmap(MediaSection& m, std::string_view value) {
  auto [pt, rest] = ptAndRest(value, "a=rtpmap");
  auto parts = text::split(rest, '/');
  if (parts.size() < 2 || parts.size() > 3 || trim(parts[0]).empty()) {
    fail("malformed a=rtpmap: expected '<pt> <name>/<clock>[/<channels>]'");
  }
  auto clock = parseUint(parts[1], std::numeric_limits<int>::max());
  if (!clock || *clock == 0) fail("malformed a=rtpmap: bad clock rate");
  int channels = 0;
  if (parts.size() == 3) {
    auto ch = parseUint(parts[2], 255);
    if (!ch || *ch == 0) fail("malformed a=rtpmap: bad channel count");
    channels = static_cast<int>(*ch);
  }
  Codec& c = codecFor(m, pt);
  if (!c.name.empty()) fail("malformed a=rtpmap: duplicate payload type " + std::to_string(pt));
  c.name = std::string(trim(parts[0]));
  c.clockRate = static_cast<int>(*clock);
  c.channels = channels;
}

// RFC 8866 §6.15: a=fmtp:<format> <format specific parameters>
void parseFmtp(MediaSection& m, std::string_view value) {
  auto [pt, rest] = ptAndRest(value, "a=fmtp");
  Codec& c = codecFor(m, pt);
  if (!c.fmtp.empty()) fail("malformed a=fmtp: duplicate for payload type " + std::to_string(pt));
  c.fmtp = std::string(rest);
}

// RFC 4585 §4.2: a=rtcp-fb:<pt|*> <type> [<param>]. The '*' form is kept as an other attribute.
void parseRtcpFb(MediaSection& m, std::string_view value) {
  if (value.starts_with("*")) {
    m.otherAttributes.emplace_back("rtcp-fb", std::string(value));
    return;
  }
  auto [pt, rest] = ptAndRest(value, "a=rtcp-fb");
  std::string joined;
  for (std::string_view tok : splitWs(rest))
    joined += (joined.empty() ? "" : " ") + std::string(tok);
  codecFor(m, pt).rtcpFb.push_back(std::move(joined));
}

// RFC 8285 §8: a=extmap:<id>[/<direction>] <URI> [<extensionattributes>]
void parseExtmap(MediaSection& m, std::string_view value) {
  auto toks = splitWs(value);
  if (toks.size() < 2) fail("malformed a=extmap: expected '<id>[/<direction>] <uri>'");
  ExtMap ext;
  auto idDir = splitFirst(toks[0], '/');
  std::string_view idText = idDir ? idDir->head : toks[0];
  auto id = parseUint(idText, std::numeric_limits<int>::max());
  if (!id) fail("malformed a=extmap: id is not a number");
  if (*id < 1 || *id > 255) fail("a=extmap id " + std::to_string(*id) + " outside 1..255");
  if (idDir) {
    if (!directionFromString(idDir->tail)) fail("malformed a=extmap: bad direction");
    ext.direction = std::string(idDir->tail);
  }
  ext.id = static_cast<int>(*id);
  ext.uri = std::string(toks[1]);
  size_t uriEnd = static_cast<size_t>(toks[1].data() - value.data()) + toks[1].size();
  ext.attributes = std::string(trim(value.substr(uriEnd)));
  m.extmaps.push_back(std::move(ext));
}

// RFC 5576 §4.1: a=ssrc:<ssrc-id> <attribute>[:<value>]
void parseSsrc(MediaSection& m, std::string_view value) {
  auto halves = splitFirst(value, ' ');
  if (!halves || trim(halves->tail).empty())
    fail("malformed a=ssrc: expected '<ssrc> <attribute>'");
  SsrcAttr attr;
  attr.ssrc = parseSsrc(halves->head, "a=ssrc");
  std::string_view rest = trim(halves->tail);
  auto nameValue = splitFirst(rest, ':');
  attr.name = std::string(nameValue ? trim(nameValue->head) : rest);
  if (attr.name.empty()) fail("malformed a=ssrc: empty attribute name");
  if (nameValue) attr.value = std::string(trim(nameValue->tail));
  m.ssrcAttrs.push_back(std::move(attr));
}

// RFC 5576 §4.2: a=ssrc-group:<semantics> *(SP <ssrc-id>)
void parseSsrcGroup(MediaSection& m, std::string_view value) {
  auto toks = splitWs(value);
  if (toks.size() < 2) fail("malformed a=ssrc-group: expected '<semantics> <ssrc>...'");
  SsrcGroup group{std::string(toks[0]), {}};
  for (size_t i = 1; i < toks.size(); ++i)
    group.ssrcs.push_back(parseSsrc(toks[i], "a=ssrc-group"));
  m.ssrcGroups.push_back(std::move(group));
}

// RFC 8851 §10: a=rid:<rid-id> SP <send|recv> [SP <params>]
void parseRid(MediaSection& m, std::string_view value) {
  auto toks = splitWs(value);
  if (toks.size() < 2 || (toks[1] != "send" && toks[1] != "recv")) {
    fail("malformed a=rid: expected '<id> send|recv [params]'");
  }
  Rid rid{std::string(toks[0]), std::string(toks[1]), ""};
  if (toks.size() > 2)
    rid.params = std::string(value.substr(static_cast<size_t>(toks[2].data() - value.data())));
  m.rids.push_back(std::move(rid));
}

// RFC 8122 §5: a=fingerprint:<hash-func> SP <fingerprint>. Keeps a sha-256 one in the typed
// field when several are given; the others stay as other attributes.
void applyFingerprint(std::optional<Fingerprint>& slot, std::vector<Attribute>& other,
                      std::string_view value) {
  auto toks = splitWs(value);
  if (toks.size() != 2) fail("malformed a=fingerprint: expected '<hash-func> <fingerprint>'");
  Fingerprint fp{std::string(toks[0]), std::string(toks[1])};
  bool better = !slot || (!iequals(slot->algorithm, "sha-256") && iequals(fp.algorithm, "sha-256"));
  if (!better) {
    other.emplace_back("fingerprint", fp.algorithm + " " + fp.value);
    return;
  }
  if (slot) other.emplace_back("fingerprint", slot->algorithm + " " + slot->value);
  slot = std::move(fp);
}

void requireValue(std::string_view name, std::string_view value) {
  if (value.empty()) fail("malformed a=" + std::string(name) + ": empty value");
}

using MediaHandler = void (*)(MediaSection&, std::string_view);

// Media-level attributes: a=mid (RFC 5888 §4), a=msid (RFC 8830 §2), a=simulcast (RFC 8853
// §5.1), a=rtcp-mux (RFC 5761 §5.1.1), a=rtcp-rsize (RFC 5506 §5), a=bundle-only (RFC 8843 §6),
// a=end-of-candidates (RFC 8840 §4.1), a=candidate (RFC 8839 §5.1), a=sctp-port and
// a=max-message-size (RFC 8841 §5, §6).

const std::array<std::pair<std::string_view, MediaHandler>, 17> kMediaHandlers = {{
    {"rtpmap", parseRtpmap},
    {"fmtp", parseFmtp},
    {"rtcp-fb", parseRtcpFb},
    {"extmap", parseExtmap},
    {"ssrc", parseSsrc},
    {"ssrc-group", parseSsrcGroup},
    {"rid", parseRid},
    {"mid",
     [](MediaSection& m, std::string_view v) {
       requireValue("mid", v);
       m.mid = v;
     }},
    {"msid", [](MediaSection& m, std::string_view v) { m.msid = v; }},
    {"simulcast", [](MediaSection& m, std::string_view v) { m.simulcast = v; }},
    {"rtcp-mux", [](MediaSection& m, std::string_view) { m.rtcpMux = true; }},
    {"rtcp-rsize", [](MediaSection& m, std::string_view) { m.rtcpRsize = true; }},
    {"bundle-only", [](MediaSection& m, std::string_view) { m.bundleOnly = true; }},
    {"end-of-candidates", [](MediaSection& m, std::string_view) { m.endOfCandidates = true; }},
    {"candidate",
     [](MediaSection& m, std::string_view v) { m.candidates.push_back({std::string(v)}); }},
    {"sctp-port", [](MediaSection& m, std::string_view v) { m.sctpPort = v; }},
    {"max-message-size", [](MediaSection& m, std::string_view v) { m.maxMessageSize = v; }},
}};

// Attributes allowed at session and media level (RFC 8839 §5.4, RFC 8122 §5, RFC 4145 §4).
template <typename Level>
bool applyTransportAttribute(Level& level, std::string_view name, std::string_view value) {
  if (name == "ice-ufrag") {
    level.iceUfrag = value;
  } else if (name == "ice-pwd") {
    level.icePwd = value;
  } else if (name == "setup") {
    level.setup = value;
  } else if (name == "fingerprint") {
    applyFingerprint(level.fingerprint, level.otherAttributes, value);
  } else {
    return false;
  }
  return true;
}

// RFC 5888 §5: a=group:<semantics> *(SP <identification-tag>)
void parseGroup(SessionDescription& s, std::string_view value) {
  auto toks = splitWs(value);
  if (toks.empty()) fail("malformed a=group: missing semantics");
  if (toks[0] != "BUNDLE") {
    s.otherAttributes.emplace_back("group", std::string(value));
    return;
  }
  s.bundleGroups.emplace_back(toks.begin() + 1, toks.end());
}

}  // namespace

void fail(std::string reason) {
  throw SyntaxError{std::move(reason)};
}

int parsePayloadType(std::string_view token, std::string_view what) {
  auto v = parseUint(token, std::numeric_limits<uint32_t>::max());
  if (!v)
    fail("malformed " + std::string(what) + ": payload type '" + std::string(token) +
         "' is not a number");
  if (*v > 127) fail("payload type " + std::to_string(*v) + " outside 0..127");
  return static_cast<int>(*v);
}

void applySessionAttribute(SessionDescription& s, std::string_view name, std::string_view value) {
  if (applyTransportAttribute(s, name, value)) return;
  if (name == "group") {
    parseGroup(s, value);
  } else if (name == "ice-lite") {
    s.iceLite = true;
  } else if (name == "msid-semantic") {
    s.msidSemantic = value;
  } else {
    s.otherAttributes.emplace_back(std::string(name), std::string(value));
  }
}

void applyMediaAttribute(MediaSection& m, std::string_view name, std::string_view value) {
  if (applyTransportAttribute(m, name, value)) return;
  if (auto dir = directionFromString(name)) {
    m.direction = *dir;
    return;
  }
  auto it = std::find_if(kMediaHandlers.begin(), kMediaHandlers.end(),
                         [&](const auto& entry) { return entry.first == name; });
  if (it != kMediaHandlers.end()) {
    it->second(m, value);
  } else {
    m.otherAttributes.emplace_back(std::string(name), std::string(value));
  }
}

}  // namespace rc::sdp::detail
