#include "api/cli.h"

#include <CLI/CLI.hpp>

#include <string_view>
#include <vector>

#include "tuning/tune_command.h"

namespace rc::api {
namespace {

void addServeOptions(CLI::App& cmd, ServeOptions& o) {
  cmd.add_option("-c,--config", o.configPath, "YAML config file (LiveKit key names)");
  cmd.add_flag("--dev", o.dev, "development mode: random keys printed at start, /api/dev-token");
  cmd.add_option("--port", o.port, "HTTP port (default 7880)")->check(CLI::Range(0, 65535));
  cmd.add_option("--udp-port", o.udpPort, "media UDP port (default 7882)")
      ->check(CLI::Range(0, 65535));
  cmd.add_option("--workers", o.workers, "media workers, 0 = one per core")
      ->check(CLI::Range(0, 1024));
  cmd.add_option("--io-backend", o.ioBackend, "auto, io_uring or mmsg")
      ->check(CLI::IsMember({"auto", "io_uring", "mmsg"}));
  cmd.add_option("--node-ip", o.nodeIp, "IP address advertised in ICE candidates");
  cmd.add_option("--key-file", o.keyFile, "LiveKit key file ('APIKEY: secret' lines)");
  cmd.add_option("--log-level", o.logLevel, "trace, debug, info, warn, error, critical, off");
  cmd.add_flag("--log-json", o.logJson, "one JSON object per log line");
  cmd.add_option("--tls-cert", o.tlsCert, "PEM certificate chain: serve HTTPS");
  cmd.add_option("--tls-key", o.tlsKey, "PEM private key for --tls-cert");
  cmd.add_option("--drain-timeout", o.drainTimeoutSec,
                 "seconds sessions may continue after SIGTERM")
      ->check(CLI::Range(1, 86400));
}

void addTokenOptions(CLI::App& cmd, TokenOptions& o) {
  cmd.add_option("--room", o.room, "room name")->required();
  cmd.add_option("--identity", o.identity, "participant identity")->required();
  cmd.add_option("--name", o.name, "participant display name");
  cmd.add_option("--metadata", o.metadata, "participant metadata");
  cmd.add_option("-c,--config", o.configPath, "config file holding the API key");
  cmd.add_option("--api-key", o.apiKey, "API key");
  cmd.add_option("--api-secret", o.apiSecret, "API secret");
  cmd.add_option("--ttl", o.ttl, "validity, e.g. 3600, 30m, 6h, 1d (default 6h)");
  cmd.add_flag("--publish,!--no-publish", o.publish, "grant canPublish (default)");
  cmd.add_flag("--subscribe,!--no-subscribe", o.subscribe, "grant canSubscribe (default)");
  cmd.add_flag("--publish-data,!--no-publish-data", o.publishData, "grant canPublishData");
}

// `serve` is the default command: insert it when the first argument is an option other
// than help/version.
std::vector<std::string> withDefaultCommand(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  bool needsServe = args.empty() || (args[0].starts_with("-") && args[0] != "-h" &&
                                     args[0] != "--help" && args[0] != "--version");
  if (needsServe) args.insert(args.begin(), "serve");
  return args;
}

}  // namespace

int runCli(int argc, char** argv, const EngineFactory& factory, const RecorderFactory& recorders) {
  // `tune` has its own parser and exit codes (0 match, 1 differs, 2 usage): tuning/.
  if (argc > 1 && std::string_view(argv[1]) == "tune") {
    return tuning::runTuneCommand(argc - 1, argv + 1);
  }
  CLI::App app{"ringcast: WebRTC SFU (WHIP/WHEP, LiveKit-compatible tokens)", "ringcast"};
  app.set_version_flag("--version", std::string("ringcast ") + RINGCAST_VERSION);
  app.require_subcommand(0, 1);
  ServeOptions serve;
  TokenOptions token;
  auto* serveCmd = app.add_subcommand("serve", "run the daemon (default)");
  addServeOptions(*serveCmd, serve);
  auto* tokenCmd = app.add_subcommand("token", "print an access token for a room");
  addTokenOptions(*tokenCmd, token);
  app.add_subcommand("tune", "check or apply a host tuning profile (ringcast tune --help)");
  std::vector<std::string> args = withDefaultCommand(argc, argv);
  std::reverse(args.begin(), args.end());  // CLI11 parses a reversed vector
  try {
    app.parse(args);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  if (tokenCmd->parsed()) return runToken(token);
  return runServe(serve, factory, recorders);
}

}  // namespace rc::api
