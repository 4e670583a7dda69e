// Answer building for offers from browsers / WHIP / WHEP clients (RFC 3264 offer/answer,
// RFC 8829 JSEP §5.3). Stateless: the engine keeps state between renegotiations and passes the
// tracks it sends; every call answers one complete offer.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "engine/sdp/session_description.h"

namespace rc::sdp {

struct LocalParams {
  std::string iceUfrag, icePwd;
  std::string fingerprintSha256;  // "AB:CD:..." of our DTLS certificate
  std::string candidateIp;        // IPv4 or IPv6 (has a ':') of our one host candidate
  uint16_t candidatePort = 0;
  std::string setup = "passive";  // what we answer to actpass/active (RFC 8842 §5.2)
  // WHEP: a viewer may come before the publisher. When true, a section the remote wants to
  // receive on but for which `outgoing` has no track is still answered sendonly, announcing a
  // generated placeholder track (reported in NegotiatedMedia::sending).
  bool announceSendOnlyWithoutTrack = false;
  // o= line (RFC 8866 §5.2). sessionId 0 = random; the engine passes the previous id and an
  // incremented version when it answers a renegotiation (RFC 3264 §8).
  uint64_t sessionId = 0;
  uint64_t sessionVersion = 2;
};

// What we send in a section (sendonly from our side).
struct OutgoingTrack {
  std::string streamId, trackId;
  uint32_t ssrc = 0, rtxSsrc = 0;  // rtxSsrc 0 = no RTX stream
  std::string cname;
  bool operator==(const OutgoingTrack&) const = default;
};

struct NegotiatedCodec {
  int pt = 0;
  std::string name;  // as offered ("VP8", "opus", "H264", "red", ...)
  int clockRate = 0;
  int channels = 0;
  std::string fmtp;
  int rtxPt = -1;  // -1 = no RTX (RFC 4588)
  bool nack = false, pli = false, fir = false, transportCc = false;
};

struct NegotiatedExtensions {  // RTP header extension ids (RFC 8285); 0 = not negotiated
  int mid = 0, absSendTime = 0, transportCc = 0, rid = 0, repairedRid = 0, audioLevel = 0,
      playoutDelay = 0;
};

struct NegotiatedMedia {
  std::string mid;
  std::string kind;
  bool accepted = false;
  std::string rejectReason;
  // RecvOnly = remote publishes to us; SendOnly = we send to remote; SendRecv; Inactive.
  Direction ourDirection = Direction::Inactive;
  std::vector<NegotiatedCodec> codecs;  // answer order; first is preferred
  NegotiatedExtensions ext;
  uint32_t remoteSsrc = 0, remoteRtxSsrc = 0;  // from a=ssrc / a=ssrc-group:FID when remote sends
  std::vector<std::string> rids;  // negotiated rids; empty while simulcast is not answered
  std::string remoteMsid;         // a=msid value ("<stream> <track>")
  std::string remoteTrackId;
  std::string remoteStreamId;
  std::optional<OutgoingTrack> sending;  // the track announced in the answer when we send
};

struct AnswerResult {
  std::string error;  // non-empty: the offer is refused (HTTP 400); other fields are unset
  SessionDescription answer;
  std::vector<NegotiatedMedia> media;  // one per offer m= section, in offer order
  std::string remoteUfrag, remotePwd, remoteFingerprintSha256;
  bool weAreDtlsClient = false;
};

// outgoing: for each mid where the remote wants to receive (offer recvonly or sendrecv), the
// track we will send there. Without a track the section is answered inactive (or recvonly for
// sendrecv offers), unless local.announceSendOnlyWithoutTrack is set.
AnswerResult negotiate(const SessionDescription& offer, const LocalParams& local,
                       const std::map<std::string, OutgoingTrack>& outgoing);

// RTP header extension URIs ringcast understands (RFC 8285 §6 keeps the offered ids).
namespace ext_uri {
inline constexpr std::string_view kMid = "urn:ietf:params:rtp-hdrext:sdes:mid";
inline constexpr std::string_view kAbsSendTime =
    "http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time";
inline constexpr std::string_view kTransportCc =
    "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01";
inline constexpr std::string_view kAudioLevel = "urn:ietf:params:rtp-hdrext:ssrc-audio-level";
inline constexpr std::string_view kRid = "urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id";
inline constexpr std::string_view kRepairedRid =
    "urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id";
inline constexpr std::string_view kPlayoutDelay =
    "http://www.webrtc.org/experiments/rtp-hdrext/playout-delay";
}  // namespace ext_uri

}  // namespace rc::sdp
