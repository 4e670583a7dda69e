#include "api/config.h"

#include <openssl/rand.h>
#include <yaml-cpp/yaml.h>

#include <charconv>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <unordered_map>

#include "api/webhook.h"
#include "crypto/jwt.h"
#include "tuning/profile_catalog.h"

namespace rc::api {
namespace {

struct Ctx {
  const std::string& source;
};

[[noreturn]] void fail(const Ctx& c, const YAML::Node& node, const std::string& msg) {
  int line = node.Mark().line >= 0 ? node.Mark().line + 1 : 0;  // yaml-cpp lines are 0-based
  throw ConfigError(c.source + ":" + std::to_string(line) + ": " + msg, line);
}

int64_t readInt(const Ctx& c, const YAML::Node& n, const std::string& name, int64_t lo,
                int64_t hi) {
  int64_t v = 0;
  bool ok = n.IsScalar() && YAML::convert<int64_t>::decode(n, v);
  if (!ok) fail(c, n, "'" + name + "' must be an integer");
  if (v < lo || v > hi) {
    fail(c, n,
         "'" + name + "' must be between " + std::to_string(lo) + " and " + std::to_string(hi));
  }
  return v;
}

std::string readString(const Ctx& c, const YAML::Node& n, const std::string& name) {
  if (!n.IsScalar()) fail(c, n, "'" + name + "' must be a string");
  return n.Scalar();
}

bool readBool(const Ctx& c, const YAML::Node& n, const std::string& name) {
  bool v = false;
  if (!n.IsScalar() || !YAML::convert<bool>::decode(n, v)) {
    fail(c, n, "'" + name + "' must be true or false");
  }
  return v;
}

int readDuration(const Ctx& c, const YAML::Node& n, const std::string& name) {
  int64_t v = -1;
  if (n.IsScalar()) {
    try {
      v = parseDurationSec(n.Scalar());
    } catch (const ConfigError&) {
      v = -1;
    }
  }
  if (v < 0) fail(c, n, "'" + name + "' must be a duration (e.g. 30 or 30s)");
  if (v == 0 || v > 86400) fail(c, n, "'" + name + "' must be between 1s and 24h");
  return static_cast<int>(v);
}

// Iterates a mapping, calling handlers[key]; an unknown key is an error naming it.
using FieldHandler = std::function<void(const YAML::Node&)>;
void forEachField(const Ctx& c, const YAML::Node& map, const std::string& section,
                  const std::unordered_map<std::string, FieldHandler>& handlers) {
  if (!map.IsMap()) fail(c, map, "'" + section + "' must be a mapping");
  for (const auto& kv : map) {
    std::string key = kv.first.IsScalar() ? kv.first.Scalar() : "?";
    auto it = handlers.find(key);
    if (it == handlers.end()) {
      std::string full = section.empty() ? key : section + "." + key;
      fail(c, kv.first, "unknown key '" + full + "'");
    }
    it->second(kv.second);
  }
}

void parseRtc(const Ctx& c, const YAML::Node& n, Config::Rtc& rtc) {
  forEachField(
      c, n, "rtc",
      {{"udp_port", [&](auto& v) { rtc.udpPort = readInt(c, v, "rtc.udp_port", 0, 65535); }},
       {"node_ip", [&](auto& v) { rtc.nodeIp = readString(c, v, "rtc.node_ip"); }},
       {"workers", [&](auto& v) { rtc.workers = readInt(c, v, "rtc.workers", 0, 1024); }},
       {"io_backend", [&](auto& v) { rtc.ioBackend = readString(c, v, "rtc.io_backend"); }},
       {"transport_timeout",
        [&](auto& v) { rtc.transportTimeoutSec = readDuration(c, v, "rtc.transport_timeout"); }}});
  if (rtc.ioBackend != "auto" && rtc.ioBackend != "io_uring" && rtc.ioBackend != "mmsg") {
    fail(c, n["io_backend"], "'rtc.io_backend' must be auto, io_uring or mmsg");
  }
}

void parseLogging(const Ctx& c, const YAML::Node& n, Config::Logging& log) {
  forEachField(c, n, "logging",
               {{"level", [&](auto& v) { log.level = readString(c, v, "logging.level"); }},
                {"json", [&](auto& v) { log.json = readBool(c, v, "logging.json"); }},
                {"sample", [&](auto&) {}},  // LiveKit key, accepted and ignored
                {"pion_level", [&](auto&) {}}});
}

void parseTuning(const Ctx& c, const YAML::Node& n, Config::Tuning& tuning) {
  forEachField(c, n, "tuning",
               {{"profile", [&](auto& v) {
                   tuning.profile = readString(c, v, "tuning.profile");
                   if (tuning.profile != "off" && !rc::tuning::looksLikeProfile(tuning.profile)) {
                     fail(c, v,
                          "'tuning.profile' must be off, a built-in "
                          "profile (ringcast tune list) or a .conf path");
                   }
                 }}});
}

void parseShutdown(const Ctx& c, const YAML::Node& n, Config::Shutdown& sd) {
  forEachField(c, n, "shutdown", {{"drain_timeout", [&](auto& v) {
                                     sd.drainTimeoutSec =
                                         readDuration(c, v, "shutdown.drain_timeout");
                                   }}});
}

void parseIdle(const Ctx& c, const YAML::Node& n, Config::Idle& idle) {
  forEachField(c, n, "idle",
               {{"timeout",
                 [&](auto& v) {
                   // "0" or "off" disables the hook.
                   bool off = v.IsScalar() && (v.Scalar() == "0" || v.Scalar() == "off");
                   idle.timeoutSec = off ? 0 : readDuration(c, v, "idle.timeout");
                 }},
                {"command", [&](auto& v) { idle.command = readString(c, v, "idle.command"); }}});
  if (idle.timeoutSec > 0 && idle.command.empty()) {
    fail(c, n, "'idle.timeout' needs 'idle.command'");
  }
}

void parseTls(const Ctx& c, const YAML::Node& n, Config::Tls& tls) {
  forEachField(c, n, "tls",
               {{"cert_file", [&](auto& v) { tls.certFile = readString(c, v, "tls.cert_file"); }},
                {"key_file", [&](auto& v) { tls.keyFile = readString(c, v, "tls.key_file"); }}});
  if (tls.certFile.empty() != tls.keyFile.empty()) {
    fail(c, n, "'tls.cert_file' and 'tls.key_file' must be given together");
  }
}

void parseLimits(const Ctx& c, const YAML::Node& n, Config::Limits& lim) {
  forEachField(
      c, n, "limits",
      {{"join_per_minute_per_ip",
        [&](auto& v) {
          lim.joinPerMinutePerIp = readInt(c, v, "limits.join_per_minute_per_ip", 0, 1'000'000);
        }},
       {"body_bytes",
        [&](auto& v) { lim.bodyBytes = readInt(c, v, "limits.body_bytes", 1024, 64 << 20); }}});
}

void parseKeys(const Ctx& c, const YAML::Node& n, std::map<std::string, std::string>& keys) {
  if (!n.IsMap()) fail(c, n, "'keys' must be a mapping of API key to secret");
  for (const auto& kv : n) {
    // Secrets never appear in messages.
    if (!kv.first.IsScalar() || !kv.second.IsScalar() || kv.second.Scalar().empty()) {
      fail(c, kv.first, "'keys' entries must be 'APIKEY: secret' strings");
    }
    keys[kv.first.Scalar()] = kv.second.Scalar();
  }
}

void parseBindAddresses(const Ctx& c, const YAML::Node& n, std::string& out) {
  if (n.IsScalar()) {
    out = n.Scalar();
  } else if (n.IsSequence() && n.size() >= 1 && n[0].IsScalar()) {
    out = n[0].Scalar();  // one listening address is supported: the first
  } else {
    fail(c, n, "'bind_addresses' must be a list of addresses");
  }
}

void parseWebhook(const Ctx& c, const YAML::Node& n, Config::Webhook& wh) {
  auto readUrls = [&](const YAML::Node& v) {
    if (!v.IsSequence()) fail(c, v, "'webhook.urls' must be a list of URLs");
    for (const auto& u : v) {
      std::string url = readString(c, u, "webhook.urls");
      if (!parseHttpUrl(url)) fail(c, u, "'webhook.urls' entries must be http:// or https:// URLs");
      wh.urls.push_back(url);
    }
  };
  forEachField(c, n, "webhook",
               {{"urls", readUrls},
                {"api_key", [&](auto& v) { wh.apiKey = readString(c, v, "webhook.api_key"); }},
                {"ca_file", [&](auto& v) { wh.caFile = readString(c, v, "webhook.ca_file"); }}});
}

void parseRoomDefaults(const Ctx& c, const YAML::Node& n, Config::RoomDefaults& room) {
  forEachField(
      c, n, "room",
      {{"empty_timeout",
        [&](auto& v) { room.emptyTimeoutSec = readInt(c, v, "room.empty_timeout", 1, 86400); }},
       {"max_participants", [&](auto& v) {
          room.maxParticipants = readInt(c, v, "room.max_participants", 0, 100000);
        }}});
}

void parseRecordingS3(const Ctx& c, const YAML::Node& n, Config::Recording::S3& s3) {
  auto str = [&](std::string& out, const char* name) {
    return [&c, &out, name](const YAML::Node& v) { out = readString(c, v, name); };
  };
  forEachField(c, n, "recording.s3",
               {{"bucket", str(s3.bucket, "recording.s3.bucket")},
                {"region", str(s3.region, "recording.s3.region")},
                {"endpoint", str(s3.endpoint, "recording.s3.endpoint")},
                {"access_key", str(s3.accessKey, "recording.s3.access_key")},
                {"secret", str(s3.secret, "recording.s3.secret")},
                {"session_token", str(s3.sessionToken, "recording.s3.session_token")},
                {"force_path_style", [&](auto& v) {
                   s3.forcePathStyle = readBool(c, v, "recording.s3.force_path_style");
                 }}});
}

void parseRecording(const Ctx& c, const YAML::Node& n, Config& cfg) {
  forEachField(
      c, n, "recording",
      {{"dir", [&](auto& v) { cfg.recordingDir = readString(c, v, "recording.dir"); }},
       {"spool_dir",
        [&](auto& v) { cfg.recording.spoolDir = readString(c, v, "recording.spool_dir"); }},
       {"s3", [&](auto& v) { parseRecordingS3(c, v, cfg.recording.s3); }}});
}

void parseTop(const Ctx& c, const YAML::Node& root, Config& cfg) {
  forEachField(
      c, root, "",
      {{"port", [&](auto& v) { cfg.port = readInt(c, v, "port", 0, 65535); }},
       {"bind_address", [&](auto& v) { cfg.bindAddress = readString(c, v, "bind_address"); }},
       {"bind_addresses", [&](auto& v) { parseBindAddresses(c, v, cfg.bindAddress); }},
       {"rtc", [&](auto& v) { parseRtc(c, v, cfg.rtc); }},
       {"keys", [&](auto& v) { parseKeys(c, v, cfg.keys); }},
       {"key_file", [&](auto& v) { cfg.keyFile = readString(c, v, "key_file"); }},
       {"logging", [&](auto& v) { parseLogging(c, v, cfg.logging); }},
       {"dev", [&](auto& v) { cfg.dev = readBool(c, v, "dev"); }},
       {"development", [&](auto& v) { cfg.dev = readBool(c, v, "development"); }},
       {"recording_dir", [&](auto& v) { cfg.recordingDir = readString(c, v, "recording_dir"); }},
       {"webhook", [&](auto& v) { parseWebhook(c, v, cfg.webhook); }},
       {"room", [&](auto& v) { parseRoomDefaults(c, v, cfg.room); }},
       {"tuning", [&](auto& v) { parseTuning(c, v, cfg.tuning); }},
       {"shutdown", [&](auto& v) { parseShutdown(c, v, cfg.shutdown); }},
       {"idle", [&](auto& v) { parseIdle(c, v, cfg.idle); }},
       {"tls", [&](auto& v) { parseTls(c, v, cfg.tls); }},
       {"limits", [&](auto& v) { parseLimits(c, v, cfg.limits); }},
       {"recording", [&](auto& v) { parseRecording(c, v, cfg); }}});
}

std::string trim(std::string_view s) {
  size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos) return {};
  size_t e = s.find_last_not_of(" \t\r\n");
  return std::string(s.substr(b, e - b + 1));
}

std::string randomAlnum(size_t n) {
  static constexpr char kChars[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  std::string out;
  while (out.size() < n) {
    unsigned char b[32];
    if (RAND_bytes(b, sizeof b) != 1) throw std::runtime_error("RAND_bytes failed");
    for (unsigned char x : b) {
      if (x < 248 && out.size() < n) out.push_back(kChars[x % 62]);  // 248 = 4*62: no bias
    }
  }
  return out;
}

uint16_t envPort(const char* name, const char* value) {
  int v = -1;
  std::string_view s(value);
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || v < 0 || v > 65535) {
    throw ConfigError(std::string(name) + ": not a port number: '" + std::string(s) + "'");
  }
  return static_cast<uint16_t>(v);
}

std::map<std::string, std::string> parseKeyList(std::string_view text, const std::string& name) {
  std::map<std::string, std::string> keys;
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t end = text.find_first_of(",\n", pos);
    if (end == std::string_view::npos) end = text.size();
    std::string item = trim(text.substr(pos, end - pos));
    pos = end + 1;
    if (item.empty()) continue;
    size_t colon = item.find(':');
    std::string key = colon == std::string::npos ? "" : trim(item.substr(0, colon));
    std::string secret = colon == std::string::npos ? "" : trim(item.substr(colon + 1));
    if (key.empty() || secret.empty()) {
      throw ConfigError(name + ": expected 'APIKEY: secret' pairs");
    }
    keys[key] = secret;
  }
  if (keys.empty()) throw ConfigError(name + ": no key given");
  return keys;
}

}  // namespace

Config parseConfig(std::string_view yaml, const std::string& sourceName) {
  Config cfg;
  Ctx c{sourceName};
  YAML::Node root;
  try {
    root = YAML::Load(std::string(yaml));
  } catch (const YAML::Exception& e) {
    int line = e.mark.line >= 0 ? e.mark.line + 1 : 0;
    throw ConfigError(sourceName + ":" + std::to_string(line) + ": " + e.msg, line);
  }
  if (root.IsNull()) return cfg;  // empty file: all defaults
  parseTop(c, root, cfg);
  return cfg;
}

Config loadConfigFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw ConfigError("cannot read config file '" + path + "'");
  std::stringstream ss;
  ss << in.rdbuf();
  Config cfg = parseConfig(ss.str(), path);
  if (!cfg.keyFile.empty()) loadKeyFile(cfg, cfg.keyFile);
  validateConfig(cfg);
  return cfg;
}

void loadKeyFile(Config& config, const std::string& path) {
  std::ifstream in(path);
  if (!in) throw ConfigError("cannot read key file '" + path + "'");
  std::stringstream ss;
  ss << in.rdbuf();
  Ctx c{path};
  YAML::Node root;
  try {
    root = YAML::Load(ss.str());
  } catch (const YAML::Exception& e) {
    int line = e.mark.line >= 0 ? e.mark.line + 1 : 0;
    throw ConfigError(path + ":" + std::to_string(line) + ": " + e.msg, line);
  }
  if (root.IsNull()) throw ConfigError(path + ": key file is empty");
  parseKeys(c, root, config.keys);
}

std::string addRandomDevKey(Config& config) {
  std::string key = "API" + randomAlnum(12);
  unsigned char secret[32];
  if (RAND_bytes(secret, sizeof secret) != 1) throw std::runtime_error("RAND_bytes failed");
  config.keys[key] = crypto::base64UrlEncode(std::span<const uint8_t>(secret, sizeof secret));
  return key;
}

Config defaultDevConfig() {
  Config cfg;
  cfg.dev = true;
  addRandomDevKey(cfg);
  return cfg;
}

namespace {

void applyRecordingEnv(Config& config, const std::function<const char*(const char*)>& get) {
  auto& s3 = config.recording.s3;
  if (const char* v = get("RINGCAST_RECORDING_DIR")) config.recordingDir = v;
  if (const char* v = get("RINGCAST_RECORDING_SPOOL_DIR")) config.recording.spoolDir = v;
  if (const char* v = get("RINGCAST_S3_BUCKET")) s3.bucket = v;
  if (const char* v = get("AWS_REGION"); v && s3.region.empty()) s3.region = v;
  if (const char* v = get("RINGCAST_S3_REGION")) s3.region = v;
  if (const char* v = get("RINGCAST_S3_ENDPOINT")) s3.endpoint = v;
  if (const char* v = get("RINGCAST_S3_FORCE_PATH_STYLE")) {
    std::string_view b(v);
    if (b != "true" && b != "false" && b != "1" && b != "0") {
      throw ConfigError("RINGCAST_S3_FORCE_PATH_STYLE must be true or false");
    }
    s3.forcePathStyle = b == "true" || b == "1";
  }
}

}  // namespace

void applyEnvOverrides(Config& config, const EnvLookup& getenv) {
  auto get = [&](const char* name) -> const char* {
    return getenv ? getenv(name) : std::getenv(name);
  };
  if (const char* v = get("RINGCAST_PORT")) config.port = envPort("RINGCAST_PORT", v);
  if (const char* v = get("RINGCAST_UDP_PORT"))
    config.rtc.udpPort = envPort("RINGCAST_UDP_PORT", v);
  if (const char* v = get("RINGCAST_NODE_IP")) config.rtc.nodeIp = v;
  if (const char* v = get("RINGCAST_LOG_LEVEL")) config.logging.level = v;
  applyRecordingEnv(config, get);
  const char* keyFile = get("RINGCAST_KEY_FILE");
  const char* keyList = get("RINGCAST_KEYS");
  const char* keyListName = "RINGCAST_KEYS";
  if (!keyList && (keyList = get("LIVEKIT_KEYS"))) keyListName = "LIVEKIT_KEYS";
  if (keyFile || keyList) config.keys.clear();
  if (keyFile) {
    config.keyFile = keyFile;
    loadKeyFile(config, keyFile);
  }
  if (keyList) {
    for (auto& [k, v] : parseKeyList(keyList, keyListName)) config.keys[k] = v;
  }
}

void validateConfig(const Config& config) {
  const auto& b = config.rtc.ioBackend;
  if (b != "auto" && b != "io_uring" && b != "mmsg") {
    throw ConfigError("rtc.io_backend must be auto, io_uring or mmsg (got '" + b + "')");
  }
  if (config.rtc.workers < 0) throw ConfigError("rtc.workers must be >= 0");
  if (config.rtc.transportTimeoutSec <= 0) throw ConfigError("rtc.transport_timeout must be > 0");
  if (config.idle.timeoutSec < 0) throw ConfigError("idle.timeout must be >= 0");
  if (config.idle.timeoutSec > 0 && config.idle.command.empty()) {
    throw ConfigError("idle.timeout needs idle.command");
  }
  if (config.tls.certFile.empty() != config.tls.keyFile.empty()) {
    throw ConfigError("tls.cert_file and tls.key_file must be given together");
  }
  if (config.limits.bodyBytes < 1024) throw ConfigError("limits.body_bytes must be >= 1024");
  for (const auto& [key, secret] : config.keys) {
    if (key.empty() || secret.empty()) throw ConfigError("API keys and secrets must not be empty");
  }
  if (!config.webhook.apiKey.empty() && !config.keys.count(config.webhook.apiKey)) {
    throw ConfigError("webhook.api_key '" + config.webhook.apiKey + "' is not one of the keys");
  }
}

int64_t parseDurationSec(std::string_view text) {
  std::string s = trim(text);
  int64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p == s.data() || v < 0) {
    throw ConfigError("invalid duration '" + s + "'");
  }
  std::string_view unit(p, s.data() + s.size() - p);
  int64_t mult = 0;
  if (unit.empty() || unit == "s")
    mult = 1;
  else if (unit == "m")
    mult = 60;
  else if (unit == "h")
    mult = 3600;
  else if (unit == "d")
    mult = 86400;
  if (mult == 0 || v > INT64_MAX / mult / 2) throw ConfigError("invalid duration '" + s + "'");
  return v * mult;
}

}  // namespace rc::api
