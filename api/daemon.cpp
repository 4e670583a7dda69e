#include "api/daemon.h"

#include <pthread.h>
#include <signal.h>

#include <spdlog/spdlog.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>

#include "api/app_api.h"
#include "api/egress_service.h"
#include "api/http_server.h"
#include "api/logging.h"
#include "api/ops_routes.h"
#include "api/room_service.h"
#include "api/token.h"
#include "api/webhook.h"
#include "api/whip_handlers.h"
#include "tuning/host_check.h"

namespace rc::api {
namespace {

void applyCommandLine(const ServeOptions& o, Config& cfg) {
  if (o.port) cfg.port = static_cast<uint16_t>(*o.port);
  if (o.udpPort) cfg.rtc.udpPort = static_cast<uint16_t>(*o.udpPort);
  if (o.workers) cfg.rtc.workers = *o.workers;
  if (o.ioBackend) cfg.rtc.ioBackend = *o.ioBackend;
  if (o.nodeIp) cfg.rtc.nodeIp = *o.nodeIp;
  if (o.dev) cfg.dev = true;
  if (o.keyFile) {
    cfg.keys.clear();  // like RINGCAST_KEY_FILE: the named file replaces the keys
    cfg.keyFile = *o.keyFile;
    loadKeyFile(cfg, *o.keyFile);
  }
  if (o.logLevel) cfg.logging.level = *o.logLevel;
  if (o.logJson) cfg.logging.json = true;
  if (o.tlsCert) cfg.tls.certFile = *o.tlsCert;
  if (o.tlsKey) cfg.tls.keyFile = *o.tlsKey;
  if (o.drainTimeoutSec) cfg.shutdown.drainTimeoutSec = *o.drainTimeoutSec;
}

// Blocks SIGINT/SIGTERM/SIGHUP in this thread and every thread it creates afterwards, so
// that the signal loop receives them synchronously.
sigset_t blockControlSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  return set;
}

// The next signal, or 0 after `timeout` without one.
int waitForSignal(const sigset_t& set, std::chrono::milliseconds timeout) {
  timespec ts{static_cast<time_t>(timeout.count() / 1000),
              static_cast<long>(timeout.count() % 1000) * 1'000'000};
  int sig = ::sigtimedwait(&set, nullptr, &ts);
  return sig > 0 ? sig : 0;
}

const char* signalName(int sig) {
  return sig == SIGINT ? "SIGINT" : sig == SIGTERM ? "SIGTERM" : "SIGHUP";
}

void printDevBanner(const Config& cfg, const std::string& generatedKey, uint16_t port, bool tls) {
  if (!generatedKey.empty()) {
    // Printed once, to stdout only; secrets never go to the log.
    std::cout << "API key: " << generatedKey << "\n"
              << "API secret: " << cfg.keys.at(generatedKey) << "\n";
  }
  std::cout << "Demo page: " << (tls ? "https" : "http") << "://localhost:" << port << "/\n"
            << std::flush;
}

enum class LoopResult { Drained, DeadlinePassed, Forced };

// The main thread's loop: signals (SIGHUP reload, SIGTERM/SIGINT drain, a second one exits at
// once), the drain deadline and the idle hook, ticking every 250 ms.
LoopResult signalLoop(const sigset_t& signals, MediaEngine& engine, HttpServer& server,
                      OpsState& ops) {
  using Clock = std::chrono::steady_clock;
  while (true) {
    int sig = waitForSignal(signals, std::chrono::milliseconds(250));
    auto now = Clock::now();
    if (sig == SIGHUP) {
      if (server.tls()) {
        server.reloadTls();
      } else {
        spdlog::info("received SIGHUP: no TLS configured, nothing to reload");
      }
    } else if (sig != 0) {
      if (!ops.drain.begin(now)) {
        spdlog::warn("received {} while draining: exiting now", signalName(sig));
        return LoopResult::Forced;
      }
      spdlog::info("received {}: draining, no new joins; exit when all sessions end or in {} s",
                   signalName(sig), ops.drain.secondsLeft(now));
    }
    uint64_t participants = engine.stats().participants;
    if (ops.drain.draining() && ops.drain.finished(participants, now)) {
      if (participants == 0) return LoopResult::Drained;
      spdlog::warn("drain deadline passed with {} session(s) left", participants);
      return LoopResult::DeadlinePassed;
    }
    if (!ops.drain.draining()) ops.idle.tick(participants, now);
  }
}

HttpServerOptions serverOptions(const Config& cfg) {
  HttpServerOptions o;
  o.bindAddress = cfg.bindAddress;
  o.port = cfg.port;
  o.bodyLimit = cfg.limits.bodyBytes;
  o.tlsCertFile = cfg.tls.certFile;
  o.tlsKeyFile = cfg.tls.keyFile;
  return o;
}

void createRecordingDir(const Config& cfg) {
  std::error_code ec;
  std::filesystem::create_directories(cfg.recordingDir, ec);
  if (ec) {
    spdlog::warn("cannot create recording folder '{}': {}", cfg.recordingDir, ec.message());
  } else {
    spdlog::info("dev mode: recordings go to {}",
                 std::filesystem::absolute(cfg.recordingDir).lexically_normal().string());
  }
}

// Room events go to the configured webhook URLs, signed with webhook.api_key's secret
// (default: the first key).
std::unique_ptr<WebhookNotifier> startWebhooks(const Config& cfg, MediaEngine& engine) {
  if (cfg.webhook.urls.empty()) return nullptr;
  WebhookOptions options;
  options.urls = cfg.webhook.urls;
  options.caFile = cfg.webhook.caFile;
  auto key = cfg.webhook.apiKey.empty() ? cfg.keys.begin() : cfg.keys.find(cfg.webhook.apiKey);
  options.apiKey = key->first;
  options.apiSecret = key->second;
  auto notifier = std::make_unique<WebhookNotifier>(std::move(options));
  engine.setEventSink([n = notifier.get()](const RoomEvent& e) { n->notify(e); });
  spdlog::info("webhooks: {} URL(s), signed with key {}", cfg.webhook.urls.size(), key->first);
  return notifier;
}

// The recorder, its egress webhooks and its /metrics series (after the webhook failures').
RecorderBundle startRecorder(const Config& cfg, MediaEngine& engine,
                             const RecorderFactory& recorders, WebhookNotifier* webhooks,
                             OpsState& ops) {
  if (!recorders) return {};
  RecorderBundle bundle = recorders(cfg, engine);
  if (!bundle.recorder) return bundle;
  if (webhooks) {
    bundle.recorder->setEventSink([webhooks](const char* event, const EgressInfo& info) {
      webhooks->notifyEgress(event, info);
    });
  }
  if (bundle.appendMetrics) {
    ops.extraMetrics = [previous = ops.extraMetrics,
                        metrics = bundle.appendMetrics](std::string& out) {
      if (previous) previous(out);
      metrics(out);
    };
  }
  spdlog::info("recorder: enabled");
  return bundle;
}

int serveWith(Config& cfg, const std::string& generatedKey, const EngineFactory& factory,
              const RecorderFactory& recorders, const sigset_t& signals) {
  std::unique_ptr<MediaEngine> engine = factory(cfg);
  if (!engine) {
    spdlog::critical("media engine could not be created");
    return 1;
  }
  if (cfg.dev) createRecordingDir(cfg);
  TokenVerifier verifier(cfg.keys);
  std::unique_ptr<WebhookNotifier> webhooks = startWebhooks(cfg, *engine);
  auto ops = std::make_shared<OpsState>(cfg);
  if (webhooks) {
    ops->extraMetrics = [w = webhooks.get()](std::string& out) { appendWebhookMetrics(*w, out); };
  }
  RecorderBundle recording = startRecorder(cfg, *engine, recorders, webhooks.get(), *ops);
  Router router;
  ApiContext ctx{*engine, verifier, cfg, unixNowSec, webhooks.get(), recording.recorder.get()};
  addServiceRoutes(router, ctx, ops);
  addWhipWhepRoutes(router, ctx);
  addRoomServiceRoutes(router, ctx);
  addAppApiRoutes(router, ctx);
  addEgressRoutes(router, ctx);
  installOpsHooks(router, ops);
  HttpServer server(router, serverOptions(cfg));
  uint16_t port = 0;
  try {
    port = server.start();
  } catch (const std::exception& e) {
    spdlog::critical("cannot serve on {}:{}: {}", cfg.bindAddress, cfg.port, e.what());
    recording.recorder.reset();
    engine->stop();
    return 1;
  }
  spdlog::info("ringcast {} listening on {}://{}:{} (media udp {}, {} key(s))", RINGCAST_VERSION,
               server.tls() ? "https" : "http", cfg.bindAddress, port, cfg.rtc.udpPort,
               cfg.keys.size());
  if (cfg.dev) printDevBanner(cfg, generatedKey, port, server.tls());
  LoopResult result = signalLoop(signals, *engine, server, *ops);
  server.stop();
  recording.recorder.reset();  // ends every recording: the files are finished and handed over
  engine->stop();
  if (webhooks) webhooks->stop();
  spdlog::info("stopped ({})", result == LoopResult::Drained          ? "all sessions ended"
                               : result == LoopResult::DeadlinePassed ? "drain deadline"
                                                                      : "forced");
  return 0;
}

}  // namespace

Config resolveServeConfig(const ServeOptions& options, std::string* generatedKey) {
  Config cfg = options.configPath.empty() ? Config{} : loadConfigFile(options.configPath);
  applyEnvOverrides(cfg);
  applyCommandLine(options, cfg);
  if (options.configPath.empty() && cfg.keys.empty()) cfg.dev = true;
  if (cfg.dev && cfg.keys.empty()) {
    std::string key = addRandomDevKey(cfg);
    if (generatedKey) *generatedKey = key;
  }
  if (cfg.keys.empty()) {
    throw ConfigError("no API keys configured (use 'keys', 'key_file' or RINGCAST_KEYS)");
  }
  if (cfg.dev && cfg.rtc.nodeIp.empty()) cfg.rtc.nodeIp = "127.0.0.1";
  validateConfig(cfg);
  return cfg;
}

int runServe(const ServeOptions& options, const EngineFactory& factory,
             const RecorderFactory& recorders) {
  Config cfg;
  std::string generatedKey;
  try {
    cfg = resolveServeConfig(options, &generatedKey);
    setupLogging(cfg.logging);
  } catch (const ConfigError& e) {
    std::cerr << "ringcast: " << e.what() << "\n";
    return 2;
  }
  sigset_t signals = blockControlSignals();
  if (auto warning = tuning::startupWarning(cfg.tuning.profile)) spdlog::warn("{}", *warning);
  try {
    return serveWith(cfg, generatedKey, factory, recorders, signals);
  } catch (const std::exception& e) {
    spdlog::critical("fatal: {}", e.what());
    return 1;
  }
}

int runToken(const TokenOptions& o) {
  try {
    std::string key = o.apiKey, secret = o.apiSecret;
    if (secret.empty()) {
      Config cfg = o.configPath.empty() ? Config{} : loadConfigFile(o.configPath);
      applyEnvOverrides(cfg);
      if (cfg.keys.empty())
        throw ConfigError("no API key: give --config, --api-key/--api-secret or RINGCAST_KEYS");
      auto it = key.empty() ? cfg.keys.begin() : cfg.keys.find(key);
      if (it == cfg.keys.end()) throw ConfigError("API key '" + key + "' is not in the config");
      key = it->first;
      secret = it->second;
    }
    if (key.empty()) throw ConfigError("--api-key is required with --api-secret");
    AccessClaims claims;
    claims.identity = o.identity;
    claims.name = o.name;
    claims.metadata = o.metadata;
    claims.video.roomJoin = true;
    claims.video.room = o.room;
    claims.video.canPublish = o.publish;
    claims.video.canSubscribe = o.subscribe;
    claims.video.canPublishData = o.publishData;
    int64_t ttl = parseDurationSec(o.ttl);
    if (ttl <= 0) throw ConfigError("--ttl must be positive");
    std::cout << issueToken(key, secret, claims, ttl) << "\n";
    return 0;
  } catch (const ConfigError& e) {
    std::cerr << "ringcast token: " << e.what() << "\n";
    return 2;
  }
}

}  // namespace rc::api
