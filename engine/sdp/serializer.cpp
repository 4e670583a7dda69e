// SDP serializer: RFC 8866 §5 line order (v o s i u e p c b t r z k a, then m= sections with
// i c b k a), CRLF line endings (RFC 8866 §5).
#include <string>

#include "engine/sdp/session_description.h"

namespace rc::sdp {
namespace {

class Writer {
 public:
  void line(char type, std::string_view value) {
    out_ += type;
    out_ += '=';
    out_ += value;
    out_ += "\r\n";
  }
  void attr(std::string_view name, std::string_view value = {}) {
    out_ += "a=";
    out_ += name;
    if (!value.empty()) {
      out_ += ':';
      out_ += value;
    }
    out_ += "\r\n";
  }
  // Other lines of the given types, in stored order.
  void others(const std::vector<OtherLine>& lines, std::string_view types) {
    for (const auto& [type, value] : lines) {
      if (types.find(type) != std::string_view::npos) line(type, value);
    }
  }
  void transport(const std::string& ufrag, const std::string& pwd,
                 const std::optional<Fingerprint>& fp, const std::string& setup) {
    if (!ufrag.empty()) attr("ice-ufrag", ufrag);
    if (!pwd.empty()) attr("ice-pwd", pwd);
    if (fp) attr("fingerprint", fp->algorithm + " " + fp->value);
    if (!setup.empty()) attr("setup", setup);
  }
  void attributes(const std::vector<Attribute>& attrs) {
    for (const auto& [name, value] : attrs) attr(name, value);
  }
  std::string take() { return std::move(out_); }

 private:
  std::string out_;
};

std::string joinWs(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& s : items) out += (out.empty() ? "" : " ") + s;
  return out;
}

std::string mediaLineValue(const MediaSection& m) {
  std::string v = m.kind + " " + std::to_string(m.port);
  if (m.portCount > 0) v += "/" + std::to_string(m.portCount);
  v += " " + m.proto;
  for (const std::string& f : m.formats) v += " " + f;
  return v;
}

void writeCodecs(Writer& w, const MediaSection& m) {
  for (const Codec& c : m.codecs) {
    std::string pt = std::to_string(c.pt);
    if (!c.name.empty()) {
      std::string map = pt + " " + c.name + "/" + std::to_string(c.clockRate);
      if (c.channels > 0) map += "/" + std::to_string(c.channels);
      w.attr("rtpmap", map);
    }
    std::string fbPrefix = pt + " ";
    for (const std::string& fb : c.rtcpFb) w.attr("rtcp-fb", fbPrefix + fb);
    if (!c.fmtp.empty()) w.attr("fmtp", pt + " " + c.fmtp);
  }
}

void writeExtmaps(Writer& w, const MediaSection& m) {
  for (const ExtMap& e : m.extmaps) {
    std::string v = std::to_string(e.id);
    if (!e.direction.empty()) v += "/" + e.direction;
    v += " " + e.uri;
    if (!e.attributes.empty()) v += " " + e.attributes;
    w.attr("extmap", v);
  }
}

void writeSsrcs(Writer& w, const MediaSection& m) {
  for (const SsrcGroup& g : m.ssrcGroups) {
    std::string v = g.semantics;
    for (uint32_t ssrc : g.ssrcs) v += " " + std::to_string(ssrc);
    w.attr("ssrc-group", v);
  }
  for (const SsrcAttr& a : m.ssrcAttrs) {
    std::string v = std::to_string(a.ssrc) + " " + a.name;
    if (!a.value.empty()) v += ":" + a.value;
    w.attr("ssrc", v);
  }
}

bool sessionHasDirection(const SessionDescription& s) {
  for (const auto& attr : s.otherAttributes) {
    if (directionFromString(attr.first)) return true;
  }
  return false;
}

// Non-RTP sections (data channels) omit the default a=sendrecv unless a session-level
// direction would otherwise apply on re-parse (RFC 8866 §6.7).
bool writesDirection(const SessionDescription& s, const MediaSection& m) {
  bool rtp = m.proto.find("RTP/") != std::string::npos;
  return rtp || m.direction != Direction::SendRecv || sessionHasDirection(s);
}

void writeMedia(Writer& w, const SessionDescription& s, const MediaSection& m) {
  w.line('m', mediaLineValue(m));
  w.others(m.otherLines, "i");
  if (!m.connection.empty()) w.line('c', m.connection);
  w.others(m.otherLines, "bk");
  if (!m.mid.empty()) w.attr("mid", m.mid);
  w.transport(m.iceUfrag, m.icePwd, m.fingerprint, m.setup);
  writeExtmaps(w, m);
  if (writesDirection(s, m)) w.attr(toString(m.direction));
  if (!m.msid.empty()) w.attr("msid", m.msid);
  if (m.rtcpMux) w.attr("rtcp-mux");
  if (m.rtcpRsize) w.attr("rtcp-rsize");
  if (m.bundleOnly) w.attr("bundle-only");
  writeCodecs(w, m);
  for (const Rid& r : m.rids) {
    w.attr("rid", r.id + " " + r.direction + (r.params.empty() ? "" : " " + r.params));
  }
  if (!m.simulcast.empty()) w.attr("simulcast", m.simulcast);
  writeSsrcs(w, m);
  if (!m.sctpPort.empty()) w.attr("sctp-port", m.sctpPort);
  if (!m.maxMessageSize.empty()) w.attr("max-message-size", m.maxMessageSize);
  w.attributes(m.otherAttributes);
  for (const Candidate& c : m.candidates) w.attr("candidate", c.raw);
  if (m.endOfCandidates) w.attr("end-of-candidates");
}

void writeSessionAttributes(Writer& w, const SessionDescription& s) {
  if (s.iceLite) w.attr("ice-lite");
  for (const auto& group : s.bundleGroups) {
    w.attr("group", group.empty() ? "BUNDLE" : "BUNDLE " + joinWs(group));
  }
  if (!s.msidSemantic.empty()) w.attr("msid-semantic", " " + s.msidSemantic);
  w.transport(s.iceUfrag, s.icePwd, s.fingerprint, s.setup);
  w.attributes(s.otherAttributes);
}

}  // namespace

std::string SessionDescription::serialize() const {
  Writer w;
  w.line('v', "0");
  w.line('o', origin);
  w.line('s', sessionName);
  w.others(otherLines, "iuep");
  if (!connection.empty()) w.line('c', connection);
  w.others(otherLines, "b");
  w.line('t', timing);
  w.others(otherLines, "trz");
  w.others(otherLines, "k");
  writeSessionAttributes(w, *this);
  for (const MediaSection& m : media) writeMedia(w, *this, m);
  return w.take();
}

}  // namespace rc::sdp
