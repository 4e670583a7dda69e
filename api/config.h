// Daemon configuration: YAML file (LiveKit-compatible key names), environment
// overrides and the generated development defaults.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace rc::api {

struct Config {
  uint16_t port = 7880;
  std::string bindAddress = "0.0.0.0";
  struct Rtc {
    uint16_t udpPort = 7882;
    int workers = 0;                 // 0 = one per core
    std::string ioBackend = "auto";  // auto | io_uring | mmsg
    std::string nodeIp;              // IP put in ICE candidates; empty = auto (127.0.0.1 in dev)
    int transportTimeoutSec = 30;
  } rtc;
  std::map<std::string, std::string> keys;  // API key -> secret (never logged)
  std::string keyFile;
  struct Logging {
    std::string level = "info";  // trace | debug | info | warn | error | critical | off
    bool json = false;
  } logging;
  bool dev = false;
  std::string recordingDir = "./recordings";
  // LiveKit `webhook:` section. Events are signed with api_key's secret (default: the first
  // key). http:// and https:// URLs; https receivers are verified against the system CA store
  // or `ca_file`.
  struct Webhook {
    std::vector<std::string> urls;
    std::string apiKey;
    std::string caFile;
  } webhook;
  // `room:` defaults for rooms created on demand or without explicit values (LiveKit keys).
  struct RoomDefaults {
    uint32_t emptyTimeoutSec = 300;  // an empty room closes after this long
    uint32_t maxParticipants = 0;    // 0 = no limit
  } room;
  struct Tuning {
    std::string profile = "sfu";  // built-in name, a .conf path, or "off" (tuning/)
  } tuning;
  struct Shutdown {
    int drainTimeoutSec = 30;  // SIGTERM: sessions may continue this long, then exit 0
  } shutdown;
  struct Idle {
    int timeoutSec = 0;   // 0 = off; otherwise run `command` after this long without participants
    std::string command;  // run once via /bin/sh -c
  } idle;
  struct Tls {
    std::string certFile, keyFile;  // both set: serve HTTPS (reloaded on SIGHUP)
    bool enabled() const { return !certFile.empty(); }
  } tls;
  struct Limits {
    int joinPerMinutePerIp = 60;  // admission routes (WHIP/WHEP POST, /get-token); 0 = off
    size_t bodyBytes = 1 << 20;   // larger request bodies get 413
  } limits;
  // `recording:` section (issue 5). recording.dir is `recordingDir` above (the top-level
  // recording_dir key is kept). Empty s3.bucket: recordings stay in the local folder.
  // Keys may also come from AWS_* environment variables or the EC2 instance role (IMDSv2);
  // access_key, secret and session_token are never logged.
  struct Recording {
    std::string spoolDir;  // spool + journals; empty = <recordingDir>/.spool
    struct S3 {
      std::string bucket, region, endpoint, accessKey, secret, sessionToken;
      bool forcePathStyle = false;
    } s3;
  } recording;
};

// A configuration problem. line() is 1-based, 0 when it is not tied to a file line.
class ConfigError : public std::runtime_error {
 public:
  ConfigError(const std::string& what, int line = 0) : std::runtime_error(what), line_(line) {}
  int line() const { return line_; }

 private:
  int line_;
};

// Parses YAML text. `sourceName` prefixes error messages ("ringcast.yaml:3: ...").
// Accepted keys: port, bind_address, bind_addresses (first entry is used), rtc.{udp_port,
// node_ip, workers, io_backend, transport_timeout}, keys {KEY: secret}, key_file,
// logging.{level, json}, dev, recording_dir, tuning.profile, webhook.{urls, api_key},
// room.{empty_timeout, max_participants}, shutdown.drain_timeout, idle.{timeout, command},
// tls.{cert_file, key_file}, limits.{join_per_minute_per_ip, body_bytes}, recording.{dir,
// spool_dir, s3.{bucket, region, endpoint, access_key, secret, session_token,
// force_path_style}}. Any other key is an error naming it.
Config parseConfig(std::string_view yaml, const std::string& sourceName = "config");
// Reads and parses a file; a key_file it names is loaded into `keys`.
Config loadConfigFile(const std::string& path);
// Loads a LiveKit-style key file ("KEY: secret" per line, YAML) into config.keys.
void loadKeyFile(Config& config, const std::string& path);

// Development defaults: dev = true, one random API key ("API" + 12 alphanumerics) with a
// random 32-byte secret (base64url, 43 characters).
Config defaultDevConfig();
// Adds a random dev key pair to `config.keys` and returns the key.
std::string addRandomDevKey(Config& config);

using EnvLookup = std::function<const char*(const char*)>;
// RINGCAST_PORT, RINGCAST_UDP_PORT, RINGCAST_NODE_IP, RINGCAST_LOG_LEVEL, RINGCAST_KEYS
// ("key: secret", one pair per line or comma-separated; LIVEKIT_KEYS is read when
// RINGCAST_KEYS is unset) and RINGCAST_KEY_FILE (a LiveKit key file). Keys from the
// environment replace the file's keys. Recording: RINGCAST_RECORDING_DIR,
// RINGCAST_RECORDING_SPOOL_DIR, RINGCAST_S3_BUCKET, RINGCAST_S3_REGION (else AWS_REGION),
// RINGCAST_S3_ENDPOINT, RINGCAST_S3_FORCE_PATH_STYLE (true/false, 1/0).
void applyEnvOverrides(Config& config, const EnvLookup& getenv = nullptr);

// Checks cross-field constraints (io backend name, ports, worker count); throws ConfigError.
void validateConfig(const Config& config);

// "90", "90s", "15m", "6h", "2d" -> seconds. Throws ConfigError on anything else.
int64_t parseDurationSec(std::string_view text);

}  // namespace rc::api
