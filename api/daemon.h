// The two commands of the `ringcast` binary, independent of command-line parsing.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "api/config.h"
#include "api/media_engine.h"
#include "api/recorder.h"

namespace rc::api {

using EngineFactory = std::function<std::unique_ptr<MediaEngine>(const Config&)>;

// The recorder of a running engine (issue 5) and its /metrics series. A default-constructed
// factory, or one returning a null recorder, leaves recording answering 501.
struct RecorderBundle {
  std::unique_ptr<Recorder> recorder;
  std::function<void(std::string& out)> appendMetrics;
};
using RecorderFactory = std::function<RecorderBundle(const Config&, MediaEngine&)>;

struct ServeOptions {
  std::string configPath;  // empty: no file
  bool dev = false;
  std::optional<int> port, udpPort, workers;
  std::optional<std::string> ioBackend, nodeIp;
  std::optional<std::string> keyFile, logLevel, tlsCert, tlsKey;
  std::optional<int> drainTimeoutSec;
  bool logJson = false;
};

// Builds the effective config: file, then environment, then command line. Without a config
// file and without keys (RINGCAST_KEYS), dev mode is implied. In dev mode with no keys a random
// key pair is generated (`generatedKey` set). Throws ConfigError.
Config resolveServeConfig(const ServeOptions& options, std::string* generatedKey);

// Runs the daemon. SIGTERM/SIGINT start a drain (no new joins, /readyz 503); it exits 0 once
// every session has ended or shutdown.drain_timeout has passed; a second SIGTERM/SIGINT exits
// at once. SIGHUP reloads the TLS certificate. Returns the process exit code.
int runServe(const ServeOptions& options, const EngineFactory& factory,
             const RecorderFactory& recorders = {});

struct TokenOptions {
  std::string room, identity, name, metadata;
  std::string configPath, apiKey, apiSecret;
  std::string ttl = "6h";
  bool publish = true, subscribe = true, publishData = true;
};

// Prints a token to stdout. Returns the exit code (errors on stderr).
int runToken(const TokenOptions& options);

}  // namespace rc::api
