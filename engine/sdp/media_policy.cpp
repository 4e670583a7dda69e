#include "engine/sdp/media_policy.h"

#include <algorithm>
#include <string>

#include "engine/sdp/sdp_text.h"

namespace rc::sdp::detail {
namespace {

using text::fmtpParam;
using text::iequals;

bool isOpus(const Codec& c) {
  return iequals(c.name, "opus") && c.clockRate == 48000 && c.channels == 2;
}

bool isAudioRed(const Codec& c) {
  return iequals(c.name, "red") && c.clockRate == 48000 && c.channels == 2;
}

// RFC 7741 (VP8), RFC 9628 (VP9 profile-id), RFC 6184 §8.1 (H264 packetization-mode), AV1 RTP
// spec §7 ("AV1"; Chromium's older "AV1X").
bool isSupportedVideo(const Codec& c) {
  if (c.clockRate != 90000) return false;
  if (iequals(c.name, "VP8") || iequals(c.name, "AV1") || iequals(c.name, "AV1X")) return true;
  if (iequals(c.name, "VP9")) {
    auto profile = fmtpParam(c.fmtp, "profile-id");
    return !profile || *profile == "0" || *profile == "2";
  }
  if (iequals(c.name, "H264")) return fmtpParam(c.fmtp, "packetization-mode") == "1";
  return false;
}

// RFC 2198 fmtp "111/111": the redundant encodings' payload type; falls back to the first opus.
const Codec* opusCarriedByRed(const MediaSection& m, const Codec& red) {
  auto first = text::split(red.fmtp, '/').front();
  auto pt = text::parseUint(text::trim(first), 127);
  if (pt) {
    const Codec* c = m.findCodec(static_cast<int>(*pt));
    if (c && isOpus(*c)) return c;
  }
  for (const Codec* c : offeredInOrder(m)) {
    if (isOpus(*c)) return c;
  }
  return nullptr;
}

bool hasFeedback(const Codec& c, std::string_view value) {
  return std::find(c.rtcpFb.begin(), c.rtcpFb.end(), value) != c.rtcpFb.end();
}

}  // namespace

std::vector<const Codec*> offeredInOrder(const MediaSection& m) {
  std::vector<const Codec*> out;
  for (const std::string& format : m.formats) {
    auto pt = text::parseUint(format, 127);
    const Codec* c = pt ? m.findCodec(static_cast<int>(*pt)) : nullptr;
    if (c && !c->name.empty() && std::find(out.begin(), out.end(), c) == out.end()) {
      out.push_back(c);
    }
  }
  return out;
}

bool isSupportedPrimary(std::string_view kind, const Codec& c) {
  if (kind == "audio") return isOpus(c);
  if (kind == "video") return isSupportedVideo(c);
  return false;
}

std::vector<const Codec*> selectForReceive(const MediaSection& m) {
  for (const Codec* c : offeredInOrder(m)) {
    if (m.kind == "audio" && isAudioRed(*c)) {
      if (const Codec* opus = opusCarriedByRed(m, *c)) return {c, opus};
      continue;
    }
    if (isSupportedPrimary(m.kind, *c)) return {c};
  }
  return {};
}

std::vector<const Codec*> selectAllSupported(const MediaSection& m) {
  std::vector<const Codec*> out;
  for (const Codec* c : offeredInOrder(m)) {
    bool red = m.kind == "audio" && isAudioRed(*c) && opusCarriedByRed(m, *c) != nullptr;
    if (red || isSupportedPrimary(m.kind, *c)) out.push_back(c);
  }
  return out;
}

const Codec* rtxFor(const MediaSection& m, int pt) {
  for (const Codec* c : offeredInOrder(m)) {
    if (iequals(c->name, "rtx") && fmtpParam(c->fmtp, "apt") == std::to_string(pt)) return c;
  }
  return nullptr;
}

NegotiatedCodec toNegotiated(const MediaSection& m, const Codec& c, bool weReceive) {
  NegotiatedCodec n;
  n.pt = c.pt;
  n.name = c.name;
  n.clockRate = c.clockRate;
  n.channels = c.channels;
  n.fmtp = c.fmtp;
  bool video = m.kind == "video";
  if (video) {
    if (const Codec* rtx = rtxFor(m, c.pt)) n.rtxPt = rtx->pt;
    n.nack = hasFeedback(c, "nack");
    n.pli = hasFeedback(c, "nack pli");
    n.fir = hasFeedback(c, "ccm fir");
  }
  // Transport-wide CC feedback only where we receive (we generate the feedback, not consume it).
  n.transportCc = weReceive && hasFeedback(c, "transport-cc");
  return n;
}

std::vector<std::string> feedbackLines(const NegotiatedCodec& c) {
  std::vector<std::string> out;
  if (c.transportCc) out.emplace_back("transport-cc");
  if (c.fir) out.emplace_back("ccm fir");
  if (c.nack) out.emplace_back("nack");
  if (c.pli) out.emplace_back("nack pli");
  return out;
}

std::vector<ExtMap> acceptedExtensions(const MediaSection& m, bool weReceive) {
  std::vector<std::string_view> uris = {ext_uri::kMid, ext_uri::kAbsSendTime, ext_uri::kAudioLevel};
  if (weReceive) {
    uris.insert(uris.end(), {ext_uri::kTransportCc, ext_uri::kRid, ext_uri::kRepairedRid});
  }
  std::vector<ExtMap> out;
  for (const ExtMap& e : m.extmaps) {
    if (std::find(uris.begin(), uris.end(), e.uri) != uris.end())
      out.push_back({e.id, e.uri, "", ""});
  }
  return out;
}

NegotiatedExtensions extensionIds(const std::vector<ExtMap>& accepted) {
  NegotiatedExtensions ids;
  for (const ExtMap& e : accepted) {
    if (e.uri == ext_uri::kMid) ids.mid = e.id;
    if (e.uri == ext_uri::kAbsSendTime) ids.absSendTime = e.id;
    if (e.uri == ext_uri::kTransportCc) ids.transportCc = e.id;
    if (e.uri == ext_uri::kRid) ids.rid = e.id;
    if (e.uri == ext_uri::kRepairedRid) ids.repairedRid = e.id;
    if (e.uri == ext_uri::kAudioLevel) ids.audioLevel = e.id;
    if (e.uri == ext_uri::kPlayoutDelay) ids.playoutDelay = e.id;
  }
  return ids;
}

}  // namespace rc::sdp::detail
