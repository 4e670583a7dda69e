#include "engine/room/down_track.h"

#include <strings.h>

#include <string_view>

namespace rc::engine {
namespace {

std::string fmtpValue(const std::string& fmtp, std::string_view key) {
  size_t pos = 0;
  while (pos < fmtp.size()) {
    size_t end = fmtp.find(';', pos);
    if (end == std::string::npos) end = fmtp.size();
    std::string_view item(fmtp.data() + pos, end - pos);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    if (item.substr(0, key.size()) == key && item.size() > key.size() && item[key.size()] == '=') {
      return std::string(item.substr(key.size() + 1));
    }
    pos = end + 1;
  }
  return {};
}

// Codec identity for forwarding without transcoding: same encoding name and
// clock rate; for H264 the same packetization-mode (RFC 6184 §8.1) and, when both
// say, the same profile_idc; for VP9 the same profile-id.
int matchScore(const sdp::NegotiatedCodec& src, const sdp::NegotiatedCodec& sub) {
  if (strcasecmp(src.name.c_str(), sub.name.c_str()) != 0 || src.clockRate != sub.clockRate)
    return -1;
  if (strcasecmp(src.name.c_str(), "H264") == 0) {
    std::string a = fmtpValue(src.fmtp, "packetization-mode"),
                b = fmtpValue(sub.fmtp, "packetization-mode");
    if ((a.empty() ? "0" : a) != (b.empty() ? "0" : b)) return -1;
    std::string pa = fmtpValue(src.fmtp, "profile-level-id"),
                pb = fmtpValue(sub.fmtp, "profile-level-id");
    if (pa.size() >= 2 && pb.size() >= 2 && strncasecmp(pa.c_str(), pb.c_str(), 2) == 0) return 2;
    return 1;
  }
  if (strcasecmp(src.name.c_str(), "VP9") == 0) {
    std::string a = fmtpValue(src.fmtp, "profile-id"), b = fmtpValue(sub.fmtp, "profile-id");
    if ((a.empty() ? "0" : a) != (b.empty() ? "0" : b)) return -1;
  }
  return 1;
}

}  // namespace

bool mapCodecs(DownTrack& down, const std::vector<sdp::NegotiatedCodec>& sourceCodecs) {
  down.ptMap.fill(-1);
  down.rtxPt = -1;
  bool any = false;
  for (size_t i = 0; i < sourceCodecs.size(); ++i) {
    const auto& src = sourceCodecs[i];
    const sdp::NegotiatedCodec* best = nullptr;
    int bestScore = 0;
    for (const auto& sub : down.codecs) {
      int score = matchScore(src, sub);
      if (score > bestScore) {
        best = &sub;
        bestScore = score;
      }
    }
    if (!best || src.pt < 0 || src.pt > 127) continue;
    down.ptMap[static_cast<size_t>(src.pt)] = static_cast<int16_t>(best->pt);
    if (i == 0) down.rtxPt = best->rtxPt;
    any = true;
  }
  return any;
}

}  // namespace rc::engine
