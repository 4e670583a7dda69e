#include "api/daemon.h"

#include <pthread.h>
#include <signal.h>

#include <spdlog/spdlog.h>

#include <cstdio>
#include <iostream>

#include "api/http_server.h"
#include "api/logging.h"
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
}

// Blocks SIGINT/SIGTERM in this thread and every thread it creates afterwards, so that
// waitForSignal() receives them synchronously.
sigset_t blockStopSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  return set;
}

int waitForSignal(const sigset_t& set) {
  int sig = 0;
  while (sigwait(&set, &sig) != 0) {
  }
  return sig;
}

void printDevBanner(const Config& cfg, const std::string& generatedKey, uint16_t port) {
  if (!generatedKey.empty()) {
    // Printed once, to stdout only; secrets never go to the log.
    std::cout << "API key: " << generatedKey << "\n"
              << "API secret: " << cfg.keys.at(generatedKey) << "\n";
  }
  std::cout << "Demo page: http://localhost:" << port << "/\n" << std::flush;
}

// Room events go to the configured webhook URLs, signed with webhook.api_key's secret
// (default: the first key).
std::unique_ptr<WebhookNotifier> startWebhooks(const Config& cfg, MediaEngine& engine) {
  if (cfg.webhook.urls.empty()) return nullptr;
  WebhookOptions options;
  options.urls = cfg.webhook.urls;
  auto key = cfg.webhook.apiKey.empty() ? cfg.keys.begin() : cfg.keys.find(cfg.webhook.apiKey);
  options.apiKey = key->first;
  options.apiSecret = key->second;
  auto notifier = std::make_unique<WebhookNotifier>(std::move(options));
  engine.setEventSink([n = notifier.get()](const RoomEvent& e) { n->notify(e); });
  spdlog::info("webhooks: {} URL(s), signed with key {}", cfg.webhook.urls.size(), key->first);
  return notifier;
}

int serveWith(Config& cfg, const std::string& generatedKey, const EngineFactory& factory,
              const sigset_t& signals) {
  std::unique_ptr<MediaEngine> engine = factory(cfg);
  if (!engine) {
    spdlog::critical("media engine could not be created");
    return 1;
  }
  TokenVerifier verifier(cfg.keys);
  std::unique_ptr<WebhookNotifier> webhooks = startWebhooks(cfg, *engine);
  Router router;
  addAllRoutes(router, ApiContext{*engine, verifier, cfg, unixNowSec, webhooks.get()});
  HttpServer server(router, HttpServerOptions{.bindAddress = cfg.bindAddress, .port = cfg.port});
  uint16_t port = 0;
  try {
    port = server.start();
  } catch (const std::exception& e) {
    spdlog::critical("cannot listen on {}:{}: {}", cfg.bindAddress, cfg.port, e.what());
    engine->stop();
    return 1;
  }
  spdlog::info("ringcast {} listening on http://{}:{} (media udp {}, {} key(s))", RINGCAST_VERSION,
               cfg.bindAddress, port, cfg.rtc.udpPort, cfg.keys.size());
  if (cfg.dev) printDevBanner(cfg, generatedKey, port);
  int sig = waitForSignal(signals);
  spdlog::info("received {}, shutting down", sig == SIGINT ? "SIGINT" : "SIGTERM");
  server.stop();
  engine->stop();
  if (webhooks) webhooks->stop();
  spdlog::info("stopped");
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

int runServe(const ServeOptions& options, const EngineFactory& factory) {
  Config cfg;
  std::string generatedKey;
  try {
    cfg = resolveServeConfig(options, &generatedKey);
    setupLogging(cfg.logging);
  } catch (const ConfigError& e) {
    std::cerr << "ringcast: " << e.what() << "\n";
    return 2;
  }
  sigset_t signals = blockStopSignals();
  if (auto warning = tuning::startupWarning(cfg.tuning.profile)) spdlog::warn("{}", *warning);
  try {
    return serveWith(cfg, generatedKey, factory, signals);
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
