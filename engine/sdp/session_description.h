// SDP data model, parser and serializer (RFC 8866 grammar, RFC 8829 JSEP attributes).
//
// The model keeps what the SFU negotiates on as typed fields and everything else as
// `otherAttributes` / `otherLines`, so parse -> serialize -> parse yields an equal model.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace rc::sdp {

// RFC 8866 §6.7 (a=sendrecv / a=sendonly / a=recvonly / a=inactive).
enum class Direction { SendRecv, SendOnly, RecvOnly, Inactive };

std::string_view toString(Direction d);
std::optional<Direction> directionFromString(std::string_view s);
// The direction the other side of an offer/answer sees (RFC 3264 §6.1): sendonly <-> recvonly.
Direction reverse(Direction d);

// a=rtpmap (RFC 8866 §6.6), a=fmtp (§6.15), a=rtcp-fb (RFC 4585 §4.2).
// name as in rtpmap (case preserved); rtcpFb values e.g. "nack", "nack pli", "ccm fir",
// "transport-cc", "goog-remb". A codec first seen through a=fmtp/a=rtcp-fb without a=rtpmap
// has an empty name and clockRate 0.
struct Codec {
  int pt = 0;
  std::string name;
  int clockRate = 0;
  int channels = 0;  // 0 = not written in a=rtpmap
  std::string fmtp;
  std::vector<std::string> rtcpFb;
  bool operator==(const Codec&) const = default;
};

// a=extmap (RFC 8285 §8): id 1..255, optional direction and extension attributes.
struct ExtMap {
  int id = 0;
  std::string uri;
  std::string direction;   // "" when absent
  std::string attributes;  // "" when absent
  bool operator==(const ExtMap&) const = default;
};

// a=ssrc-group (RFC 5576 §4.2), semantics "FID", "SIM", "FEC-FR", ...
struct SsrcGroup {
  std::string semantics;
  std::vector<uint32_t> ssrcs;
  bool operator==(const SsrcGroup&) const = default;
};

// a=ssrc (RFC 5576 §4.1): a=ssrc:1 cname:x -> {1, "cname", "x"}.
struct SsrcAttr {
  uint32_t ssrc = 0;
  std::string name;
  std::string value;
  bool operator==(const SsrcAttr&) const = default;
};

// a=rid (RFC 8851 §4): direction "send" or "recv"; params is the rest of the line.
struct Rid {
  std::string id;
  std::string direction;
  std::string params;
  bool operator==(const Rid&) const = default;
};

// a=candidate (RFC 8839 §5.1); raw is everything after "a=candidate:".
struct Candidate {
  std::string raw;
  bool operator==(const Candidate&) const = default;
};

// a=fingerprint (RFC 8122 §5): {"sha-256", "AB:CD:..."}.
struct Fingerprint {
  std::string algorithm;
  std::string value;
  bool operator==(const Fingerprint&) const = default;
};

using Attribute = std::pair<std::string, std::string>;  // name, value ("" for a property)
using OtherLine = std::pair<char, std::string>;         // e.g. {'b', "AS:2000"}

struct MediaSection {
  // m=<kind> <port>[/<portCount>] <proto> <formats...> (RFC 8866 §5.14)
  std::string kind;
  int port = 9;
  int portCount = 0;  // 0 = not written
  std::string proto;
  std::vector<std::string> formats;
  std::string connection;  // c= value, "" when absent (RFC 8866 §5.7)

  std::string mid;                            // RFC 5888 §4
  Direction direction = Direction::SendRecv;  // RFC 8866 §6.7
  std::vector<Codec> codecs;                  // order of first appearance
  std::vector<ExtMap> extmaps;
  std::vector<SsrcAttr> ssrcAttrs;
  std::vector<SsrcGroup> ssrcGroups;
  std::vector<Rid> rids;
  std::string simulcast;  // a=simulcast value (RFC 8853 §5.1)
  std::string msid;       // a=msid value "<stream> <track>" (RFC 8830 §2)
  std::string iceUfrag, icePwd;
  std::optional<Fingerprint> fingerprint;
  std::string setup;  // RFC 4145 §4
  bool rtcpMux = false, rtcpRsize = false, bundleOnly = false, endOfCandidates = false;
  std::vector<Candidate> candidates;
  std::string sctpPort;                    // RFC 8841 §5
  std::string maxMessageSize;              // RFC 8841 §6
  std::vector<Attribute> otherAttributes;  // anything else, kept for round trip
  std::vector<OtherLine> otherLines;       // i=, b=, k= lines

  std::vector<uint32_t> ssrcs() const;  // distinct, in order (a=ssrc, then a=ssrc-group)
  const Codec* findCodec(int pt) const;
  bool operator==(const MediaSection&) const = default;
};

struct SessionDescription {
  std::string origin = "- 0 0 IN IP4 0.0.0.0";
  std::string sessionName = "-";
  std::string timing = "0 0";                          // first t= line
  std::string connection;                              // session-level c=, "" when absent
  std::vector<std::vector<std::string>> bundleGroups;  // a=group:BUNDLE (RFC 8843 §7)
  bool iceLite = false;                                // RFC 8839 §5.3
  std::string iceUfrag, icePwd;
  std::optional<Fingerprint> fingerprint;
  std::string setup;
  std::string msidSemantic;  // value of a=msid-semantic, e.g. "WMS *"
  std::vector<Attribute> otherAttributes;
  std::vector<OtherLine> otherLines;  // i= u= e= p= b= r= z= k= and extra t= lines
  std::vector<MediaSection> media;

  // CRLF line endings, v= o= s= ... t= ... a= order per RFC 8866 §5.
  std::string serialize() const;
  bool operator==(const SessionDescription&) const = default;
};

struct ParseError {
  int line = 0;  // 1-based; 0 for whole-document errors (size limits)
  std::string reason;
};

inline constexpr size_t kMaxSdpBytes = size_t{64} * 1024;
inline constexpr int kMaxSdpLines = 10000;

// Accepts LF or CRLF. Rejects: missing v=0, unknown line types, lines out of place, malformed
// m=/a=rtpmap/a=fmtp/a=rtcp-fb/a=extmap/a=ssrc/a=ssrc-group/a=group/a=fingerprint/a=rid,
// payload types outside 0..127, extension ids outside 1..255, more than 10k lines or 64 KiB.
std::variant<SessionDescription, ParseError> parse(std::string_view text);

// Transport attributes of a media section, falling back to the session level (RFC 8839 §5.4,
// RFC 8122 §5, RFC 4145 §4 allow each at either level).
struct TransportAttributes {
  std::string iceUfrag, icePwd;
  std::optional<Fingerprint> fingerprint;
  std::string setup;
};
TransportAttributes effectiveTransport(const SessionDescription& session, const MediaSection& m);

}  // namespace rc::sdp
