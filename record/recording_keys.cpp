#include "record/recording_keys.h"

#include <nlohmann/json.hpp>

#include <ctime>

namespace rc::record {
namespace {

void replaceAll(std::string& s, const std::string& from, const std::string& to) {
  for (size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size())) {
    s.replace(at, from.size(), to);
  }
}

}  // namespace

std::string keyTime(int64_t unixNs) {
  std::time_t secs = static_cast<std::time_t>(unixNs / 1'000'000'000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H%M%S", &tm);
  return buf;
}

std::string keySafe(const std::string& text) {
  std::string out = text;
  for (char& c : out) {
    bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '_' || c == '-';
    if (!ok) c = '_';
  }
  if (out.empty() || out == "." || out == "..") out = "_" + out;
  return out;
}

std::string recordingKey(const std::string& filepath, const KeyFields& f,
                         const std::string& extension) {
  std::string name = keySafe(f.identity.empty() ? f.trackId : f.identity) + "-" + keyTime(f.unixNs);
  std::string key = filepath;
  if (key.empty()) key = keySafe(f.room) + "/";
  if (key.back() == '/') key += name;
  replaceAll(key, "{room_name}", keySafe(f.room));
  replaceAll(key, "{room_id}", keySafe(f.roomId));
  replaceAll(key, "{publisher_identity}", keySafe(f.identity));
  replaceAll(key, "{track_id}", keySafe(f.trackId));
  replaceAll(key, "{time}", keyTime(f.unixNs));
  while (!key.empty() && key.front() == '/') key.erase(0, 1);
  replaceAll(key, "../", "");
  std::string dotExt = "." + extension;
  if (key.size() < dotExt.size() || key.compare(key.size() - dotExt.size(), dotExt.size(), dotExt))
    key += dotExt;
  return key;
}

const char* codecName(MediaCodec codec) {
  switch (codec) {
    case MediaCodec::Opus:
      return "opus";
    case MediaCodec::VP8:
      return "vp8";
    case MediaCodec::VP9:
      return "vp9";
    case MediaCodec::H264:
      return "h264";
    case MediaCodec::AV1:
      return "av1";
  }
  return "unknown";
}

std::string roomManifest(const api::EgressInfo& info, const std::vector<ManifestEntry>& entries) {
  using nlohmann::json;
  json participants = json::array();
  for (const auto& e : entries) {
    json tracks = json::array();
    for (const auto& t : e.tracks) {
      tracks.push_back({{"trackId", t.trackId},
                        {"kind", t.isVideo() ? "video" : "audio"},
                        {"codec", codecName(t.codec)},
                        {"payloadType", t.payloadType},
                        {"clockRate", t.clockRate},
                        {"channels", t.channels}});
    }
    participants.push_back({{"identity", e.identity},
                            {"file", e.key},
                            {"startOffsetMs", e.startOffsetMs},
                            {"durationMs", e.durationMs},
                            {"tracks", tracks}});
  }
  json doc{{"egressId", info.egressId},   {"roomName", info.roomName},
           {"roomId", info.roomId},       {"startedAtNs", info.startedAtNs},
           {"endedAtNs", info.endedAtNs}, {"participants", participants}};
  return doc.dump(2);
}

}  // namespace rc::record
