// The `run` and `joins` subcommands: options, then the table on stdout and JSON in a file.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>

#include "bench/loadgen/commands.h"
#include "bench/loadgen/record_soak.h"
#include "bench/loadgen/run.h"

namespace rc::bench {
namespace {

struct CommonFlags {
  RunOptions options;
  std::string jsonPath;
};

void addCommonFlags(CLI::App* cmd, CommonFlags& f) {
  RunOptions& o = f.options;
  cmd->add_option("--server-url", o.serverUrl, "server HTTP base URL")->capture_default_str();
  cmd->add_option("--kind", o.kind, "server kind")
      ->check(CLI::IsMember({"ringcast", "janus"}))
      ->capture_default_str();
  cmd->add_option("--api-key", o.apiKey, "ringcast API key (tokens are minted with it)");
  cmd->add_option("--api-secret", o.apiSecret, "ringcast API secret");
  cmd->add_option("--threads", o.threads, "load generator threads")->capture_default_str();
  cmd->add_option("--signaling-threads", o.signalingThreads,
                  "concurrent signalling exchanges while joining")
      ->capture_default_str();
  cmd->add_option("--ramp-per-s", o.rampPerS, "join rate limit (0 = unlimited)")
      ->capture_default_str();
  cmd->add_flag("!--no-receive-gro", o.receiveGro,
                "subscribers read without UDP_GRO (each datagram received alone)");
  cmd->add_option("--server-pid", o.serverPid, "server process for CPU and RSS (/proc)");
  cmd->add_option("--room", o.room, "room name (default: a fresh random one)");
  cmd->add_option("--json", f.jsonPath, "write the result as JSON to this file");
}

int finish(const nlohmann::json& result, const std::string& jsonPath, const std::string& table) {
  std::cout << table << std::flush;
  if (!jsonPath.empty()) {
    std::ofstream out(jsonPath);
    out << result.dump(2) << "\n";
    if (!out) {
      std::fprintf(stderr, "ringcast-bench: cannot write %s\n", jsonPath.c_str());
      return 1;
    }
  }
  return 0;
}

int finish(const nlohmann::json& result, const std::string& jsonPath) {
  return finish(result, jsonPath, formatTable(result));
}

void checkCredentials(const RunOptions& o) {
  if (o.kind == "ringcast" && (o.apiKey.empty() || o.apiSecret.empty()))
    throw CLI::ValidationError("--api-key/--api-secret", "required for --kind ringcast");
}

template <typename Body>
void runGuarded(Body body) {
  try {
    int rc = body();
    if (rc != 0) throw CLI::RuntimeError(rc);
  } catch (const CLI::Error&) {
    throw;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "ringcast-bench: %s\n", e.what());
    throw CLI::RuntimeError(1);
  }
}

}  // namespace

void addRunCommand(CLI::App& app) {
  auto flags = std::make_shared<CommonFlags>();
  CLI::App* cmd = app.add_subcommand("run", "run one scenario and report forwarding figures");
  addCommonFlags(cmd, *flags);
  RunOptions& o = flags->options;
  cmd->add_option("--scenario", o.scenario, "livestream | audio | meeting")
      ->check(CLI::IsMember({"livestream", "audio", "meeting"}))
      ->capture_default_str();
  cmd->add_option("--publishers", o.publishers, "publishers (default 1 livestream, 10 audio)");
  cmd->add_option("--subscribers", o.subscribers, "subscribers (meeting: participants)")
      ->capture_default_str();
  cmd->add_option("--duration", o.durationS, "measured steady-state seconds")
      ->capture_default_str();
  cmd->add_option("--settle", o.settleS, "seconds between the last join and measuring")
      ->capture_default_str();
  cmd->add_option("--video-kbps", o.videoKbps, "publisher video bitrate")->capture_default_str();
  cmd->add_option("--subscriber-address", o.subscriberAddress,
                  "IPv4 address the subscribers' sockets bind to");
  cmd->add_option("--after-join", o.afterJoin,
                  "shell command run once all subscribers joined, before --settle");
  cmd->add_flag("--media-after-join", o.mediaAfterJoin,
                "publishers send no media until every subscriber has joined");
  cmd->add_flag("--count-at-server", o.countAtServer,
                "count forwarded packets at ringcast (rtp_packets_out), not at the subscribers");
  cmd->callback([flags] {
    checkCredentials(flags->options);
    if (flags->options.countAtServer && flags->options.kind != "ringcast")
      throw CLI::ValidationError("--count-at-server", "needs --kind ringcast");
    runGuarded([&] { return finish(runScenario(flags->options), flags->jsonPath); });
  });
}

void addJoinsCommand(CLI::App& app) {
  auto flags = std::make_shared<CommonFlags>();
  auto count = std::make_shared<int>(1000);
  CLI::App* cmd = app.add_subcommand("joins", "measure how fast ICE + DTLS joins complete");
  addCommonFlags(cmd, *flags);
  cmd->add_option("--count", *count, "WHEP joins to make")->capture_default_str();
  cmd->add_option("--rooms", flags->options.rooms, "spread the joins over this many rooms")
      ->capture_default_str();
  cmd->callback([flags, count] {
    checkCredentials(flags->options);
    runGuarded([&] { return finish(runJoins(flags->options, *count), flags->jsonPath); });
  });
}

void addRecordCommand(CLI::App& app) {
  auto flags = std::make_shared<CommonFlags>();
  auto soak = std::make_shared<RecordSoakOptions>();
  CLI::App* cmd = app.add_subcommand(
      "record", "record N synthetic publishers for a long run; sample recorder CPU and RSS");
  addCommonFlags(cmd, *flags);
  cmd->add_option("--recordings", soak->recordings, "publishers, each recorded in its own room")
      ->capture_default_str();
  cmd->add_option("--duration", soak->durationS, "seconds of recording")->capture_default_str();
  cmd->add_option("--sample", soak->sampleS, "seconds between samples")->capture_default_str();
  cmd->add_option("--video-kbps", flags->options.videoKbps, "publisher video bitrate")
      ->capture_default_str();
  cmd->callback([flags, soak] {
    checkCredentials(flags->options);
    soak->run = flags->options;
    runGuarded([&] {
      nlohmann::json result = runRecordSoak(*soak);
      return finish(result, flags->jsonPath, formatRecordSoak(result));
    });
  });
}

}  // namespace rc::bench
