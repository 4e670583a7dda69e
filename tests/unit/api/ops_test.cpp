// Drain state machine, per-IP rate limiter, idle hook timer, metrics format, admission gate,
// request ids and structured logging.
#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>
#include <sys/wait.h>
#include <unistd.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <sstream>
#include <thread>

#include "api/logging.h"
#include "api/ops_routes.h"
#include "tests/unit/api/fake_media_engine.h"

namespace rc::api {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
const Clock::time_point t0 = Clock::time_point(1000s);

TEST(Drain, ServingUntilBeginThenWaitsForSessionsOrDeadline) {
  DrainState d(30s);
  EXPECT_FALSE(d.draining());
  EXPECT_FALSE(d.finished(0, t0));  // not draining: never finished
  EXPECT_TRUE(d.begin(t0));
  EXPECT_TRUE(d.draining());
  EXPECT_FALSE(d.begin(t0 + 1s));  // second signal: caller exits at once
  EXPECT_EQ(d.secondsLeft(t0 + 10s), 20);
  EXPECT_FALSE(d.finished(3, t0 + 29s));
  EXPECT_EQ(d.phase(), DrainState::Phase::Draining);
  EXPECT_TRUE(d.finished(3, t0 + 30s));  // deadline
  EXPECT_EQ(d.phase(), DrainState::Phase::Done);
}

TEST(Drain, FinishesWhenLastSessionEnds) {
  DrainState d(30s);
  d.begin(t0);
  EXPECT_FALSE(d.finished(1, t0 + 5s));
  EXPECT_TRUE(d.finished(0, t0 + 6s));
  EXPECT_EQ(d.secondsLeft(t0 + 60s), 1);  // never below 1 (Retry-After)
}

TEST(RateLimiter, BurstThenRefillPerClient) {
  RateLimiter rl(3);  // 3 per minute: one token every 20 s
  for (int i = 0; i < 3; ++i) EXPECT_EQ(rl.acquire("10.0.0.1", t0), 0);
  EXPECT_EQ(rl.acquire("10.0.0.1", t0), 20);
  EXPECT_EQ(rl.acquire("10.0.0.2", t0), 0);  // another client has its own bucket
  EXPECT_EQ(rl.acquire("10.0.0.1", t0 + 10s), 10);
  EXPECT_EQ(rl.acquire("10.0.0.1", t0 + 20s), 0);
  EXPECT_GT(rl.acquire("10.0.0.1", t0 + 20s), 0);
}

TEST(RateLimiter, OffWhenZero) {
  RateLimiter rl(0);
  for (int i = 0; i < 1000; ++i) EXPECT_EQ(rl.acquire("x", t0), 0);
}

TEST(RateLimiter, EvictsFullBucketsWhenTableIsFull) {
  RateLimiter rl(60, 2);
  rl.acquire("a", t0);
  rl.acquire("b", t0);
  rl.acquire("c", t0 + 2min);  // a and b have refilled: evicted
  EXPECT_EQ(rl.clients(), 1u);
}

struct LaunchLog {
  std::vector<std::string> commands;
  IdleHook::Launcher launcher() {
    return [this](const std::string& c) {
      commands.push_back(c);
      return pid_t{-1};
    };
  }
};

TEST(IdleHook, RunsOnceAfterTimeoutAndRearmsWhenParticipantsReturn) {
  LaunchLog log;
  IdleHook hook(10s, "touch idle", log.launcher());
  EXPECT_FALSE(hook.tick(0, t0));
  EXPECT_DOUBLE_EQ(hook.idleSeconds(t0 + 4s), 4.0);
  EXPECT_FALSE(hook.tick(0, t0 + 9s));
  EXPECT_TRUE(hook.tick(0, t0 + 10s));
  EXPECT_FALSE(hook.tick(0, t0 + 50s));  // once
  EXPECT_EQ(log.commands, std::vector<std::string>{"touch idle"});
  EXPECT_FALSE(hook.tick(2, t0 + 51s));  // participants back: re-armed
  EXPECT_EQ(hook.idleSeconds(t0 + 52s), 0.0);
  EXPECT_FALSE(hook.tick(0, t0 + 60s));
  EXPECT_FALSE(hook.tick(0, t0 + 69s));
  EXPECT_TRUE(hook.tick(0, t0 + 70s));
  EXPECT_EQ(log.commands.size(), 2u);
}

TEST(IdleHook, ParticipantsResetTheIdlePeriod) {
  LaunchLog log;
  IdleHook hook(10s, "x", log.launcher());
  hook.tick(0, t0);
  hook.tick(1, t0 + 8s);
  EXPECT_FALSE(hook.tick(0, t0 + 12s));
  EXPECT_FALSE(hook.tick(0, t0 + 21s));
  EXPECT_TRUE(hook.tick(0, t0 + 22s));
}

TEST(IdleHook, DisabledStillMeasuresIdleTime) {
  LaunchLog log;
  IdleHook hook(0s, "", log.launcher());
  EXPECT_FALSE(hook.tick(0, t0));
  EXPECT_FALSE(hook.tick(0, t0 + 1h));
  EXPECT_TRUE(log.commands.empty());
  EXPECT_DOUBLE_EQ(hook.idleSeconds(t0 + 1h), 3600.0);
}

TEST(IdleHook, SpawnsShellCommandWithoutBlockingAndReapsIt) {
  auto marker = std::filesystem::temp_directory_path() / ("rc-idle-" + std::to_string(::getpid()));
  std::filesystem::remove(marker);
  IdleHook hook(1s, "sleep 0.2; echo idle > '" + marker.string() + "'");
  auto start = Clock::now();
  hook.tick(0, start);
  EXPECT_TRUE(hook.tick(0, start + 1s));
  EXPECT_LT(Clock::now() - start, 150ms);  // did not wait for the command
  for (int i = 0; i < 100 && !hook.reap(); ++i) std::this_thread::sleep_for(20ms);
  EXPECT_TRUE(hook.reap());
  EXPECT_TRUE(std::filesystem::exists(marker));
  EXPECT_EQ(::waitpid(-1, nullptr, WNOHANG), -1);  // no zombie left
  std::filesystem::remove(marker);
}

struct OpsFixture : ::testing::Test {
  Config config = [] {
    Config c;
    c.keys["APIk"] = "topsecret-value";
    c.limits.joinPerMinutePerIp = 2;
    return c;
  }();
  testing::FakeMediaEngine engine;
  TokenVerifier verifier{config.keys};
  std::shared_ptr<OpsState> ops = std::make_shared<OpsState>(config);
  Router router;

  void SetUp() override {
    ApiContext ctx{engine, verifier, config};
    addServiceRoutes(router, ctx, ops);
    router.add(
        "POST", "/join/{room}", [](const HttpRequest&) { return HttpResponse::text(201, "in"); },
        RouteOptions{.admission = true});
    installOpsHooks(router, ops);
  }

  HttpResponse send(std::string method, std::string target, std::string ip = "10.1.1.1",
                    HeaderList headers = {}) {
    HttpRequest r;
    r.method = std::move(method);
    r.target = std::move(target);
    r.remoteAddress = std::move(ip);
    r.headers = std::move(headers);
    return router.dispatch(std::move(r));
  }
};

TEST_F(OpsFixture, RateLimitAnswers429WithRetryAfterPerIp) {
  EXPECT_EQ(send("POST", "/join/a").status, 201);
  EXPECT_EQ(send("POST", "/join/a").status, 201);
  HttpResponse r = send("POST", "/join/a");
  EXPECT_EQ(r.status, 429);
  EXPECT_EQ(r.header("Retry-After"), "30");
  EXPECT_NE(r.body.find("too many join requests"), std::string::npos);
  EXPECT_EQ(send("POST", "/join/a", "10.1.1.2").status, 201);
  EXPECT_EQ(send("GET", "/healthz").status, 200);  // not an admission route
}

TEST_F(OpsFixture, DrainRefusesJoinsAndReadyz) {
  EXPECT_EQ(send("GET", "/readyz").status, 200);
  ops->drain.begin(Clock::now());
  HttpResponse join = send("POST", "/join/a");
  EXPECT_EQ(join.status, 503);
  EXPECT_TRUE(join.header("Retry-After").has_value());
  EXPECT_NE(join.body.find("draining"), std::string::npos);
  HttpResponse ready = send("GET", "/readyz");
  EXPECT_EQ(ready.status, 503);
  EXPECT_NE(ready.body.find("draining"), std::string::npos);
  EXPECT_EQ(send("GET", "/healthz").status, 200);  // still alive
}

TEST_F(OpsFixture, ReadyzReportsAnUnresponsiveWorker) {
  engine.responsive = false;
  HttpResponse r = send("GET", "/readyz");
  EXPECT_EQ(r.status, 503);
  EXPECT_NE(r.body.find("did not answer"), std::string::npos);
}

TEST_F(OpsFixture, RequestIdIsEchoedOrGenerated) {
  HttpResponse echoed = send("GET", "/healthz", "", {{"X-Request-Id", "abc-123"}});
  EXPECT_EQ(echoed.header("X-Request-Id"), "abc-123");
  HttpResponse generated = send("GET", "/nope");
  EXPECT_EQ(generated.status, 404);
  ASSERT_TRUE(generated.header("X-Request-Id").has_value());
  EXPECT_EQ(generated.header("X-Request-Id")->size(), 16u);
  HttpResponse bad = send("GET", "/healthz", "", {{"X-Request-Id", "has space"}});
  EXPECT_NE(bad.header("X-Request-Id"), "has space");
}

// Parses the exposition text: every sample's family has HELP and TYPE lines before it.
TEST_F(OpsFixture, MetricsAreWellFormedPrometheusText) {
  engine.statsValue.rooms = 2;
  engine.statsValue.participants = 5;
  engine.statsValue.counters = {{"drop_malformed", 7}, {"nacks_in", 3}, {"plis_out", 4}};
  engine.statsValue.workerLoad = {{250'000'000, 1'000'000'000, 12288}};
  send("GET", "/healthz");
  send("GET", "/nope");
  ops->extraMetrics = [](std::string& out) {
    out +=
        "# HELP ringcast_webhook_failures_total x\n# TYPE ringcast_webhook_failures_total "
        "counter\nringcast_webhook_failures_total 0\n";
  };
  HttpResponse r = send("GET", "/metrics");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.header("Content-Type"), "text/plain; version=0.0.4; charset=utf-8");
  std::istringstream in(r.body);
  std::map<std::string, std::string> types;
  std::set<std::string> helps;
  std::map<std::string, std::string> samples;
  for (std::string line; std::getline(in, line);) {
    if (line.starts_with("# HELP ")) {
      helps.insert(line.substr(7, line.find(' ', 7) - 7));
    } else if (line.starts_with("# TYPE ")) {
      auto name = line.substr(7, line.find(' ', 7) - 7);
      types[name] = line.substr(line.rfind(' ') + 1);
    } else {
      std::string series = line.substr(0, line.rfind(' '));
      std::string family = series.substr(0, series.find('{'));
      ASSERT_TRUE(types.count(family)) << "no TYPE before " << line;
      ASSERT_TRUE(helps.count(family)) << "no HELP before " << line;
      if (types[family] == "counter") EXPECT_TRUE(family.ends_with("_total")) << family;
      samples[series] = line.substr(line.rfind(' ') + 1);
    }
  }
  EXPECT_EQ(samples["ringcast_rooms"], "2");
  EXPECT_EQ(types["ringcast_participants"], "gauge");
  EXPECT_EQ(samples["ringcast_drops_total{reason=\"malformed\"}"], "7");
  EXPECT_EQ(samples["ringcast_nacks_in_total"], "3");
  EXPECT_EQ(samples["ringcast_plis_out_total"], "4");
  EXPECT_EQ(samples["ringcast_worker_busy_ratio{worker=\"0\"}"], "0.25");
  EXPECT_EQ(samples["ringcast_worker_pool_buffers{worker=\"0\"}"], "12288");
  EXPECT_EQ(types["ringcast_worker_pool_buffers"], "gauge");
  EXPECT_EQ(samples["ringcast_http_requests_total{route=\"/healthz\",code=\"200\"}"], "1");
  EXPECT_EQ(samples["ringcast_http_requests_total{route=\"unmatched\",code=\"404\"}"], "1");
  EXPECT_EQ(types["ringcast_idle_seconds"], "gauge");
  EXPECT_EQ(samples["ringcast_draining"], "0");
  EXPECT_EQ(samples["ringcast_webhook_failures_total"], "0");
}

struct CapturedLog {
  std::ostringstream out;
  explicit CapturedLog(bool json, std::string level = "debug") {
    setupLogging(Config::Logging{.level = std::move(level), .json = json},
                 std::make_shared<spdlog::sinks::ostream_sink_mt>(out));
  }
  ~CapturedLog() { setupLogging(Config::Logging{.level = "warn"}); }
};

TEST(Logging, JsonLinesCarryMessageAndFields) {
  CapturedLog log(true);
  logFields(spdlog::level::info, "said \"hi\"\n",
            {{"request_id", "r1"}, {"room", "a\\b"}, {"empty", ""}});
  spdlog::warn("plain {}", 5);
  std::istringstream in(log.out.str());
  std::string first, second;
  std::getline(in, first);
  std::getline(in, second);
  auto j = nlohmann::json::parse(first);
  EXPECT_EQ(j["msg"], "said \"hi\"\n");
  EXPECT_EQ(j["level"], "info");
  EXPECT_EQ(j["request_id"], "r1");
  EXPECT_EQ(j["room"], "a\\b");
  EXPECT_FALSE(j.contains("empty"));
  EXPECT_TRUE(j.contains("time"));
  EXPECT_EQ(nlohmann::json::parse(second)["msg"], "plain 5");
}

TEST(Logging, TextLinesAppendFields) {
  CapturedLog log(false);
  logFields(spdlog::level::info, "http request", {{"status", "200"}, {"request_id", "r9"}});
  EXPECT_NE(log.out.str().find("http request status=200 request_id=r9"), std::string::npos);
}

TEST_F(OpsFixture, AccessLogHasRequestIdAndNeverTheSecret) {
  CapturedLog log(true);
  std::string token = issueToken("APIk", "topsecret-value", AccessClaims{}, 60);
  send("POST", "/join/room1", "10.9.9.9",
       {{"X-Request-Id", "req-42"}, {"Authorization", "Bearer " + token}});
  std::string text = log.out.str();
  auto j = nlohmann::json::parse(text.substr(0, text.find('\n')));
  EXPECT_EQ(j["request_id"], "req-42");
  EXPECT_EQ(j["room"], "room1");
  EXPECT_EQ(j["status"], "201");
  EXPECT_EQ(text.find("topsecret-value"), std::string::npos);
  EXPECT_EQ(text.find(token), std::string::npos);
}

}  // namespace
}  // namespace rc::api
