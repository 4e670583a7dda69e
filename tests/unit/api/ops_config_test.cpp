// Operations config keys, precedence (file < environment < command line) and key sources.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>

#include "api/config.h"
#include "api/daemon.h"

namespace rc::api {
namespace {

namespace fs = std::filesystem;

struct TempDir {
  fs::path path = fs::temp_directory_path() / ("rc-ops-" + std::to_string(::getpid()));
  TempDir() { fs::create_directories(path); }
  ~TempDir() { fs::remove_all(path); }
  std::string write(const std::string& name, const std::string& text) const {
    std::ofstream(path / name) << text;
    return (path / name).string();
  }
};

EnvLookup envFrom(std::map<std::string, std::string> vars) {
  return [vars = std::move(vars)](const char* name) -> const char* {
    auto it = vars.find(name);
    return it == vars.end() ? nullptr : it->second.c_str();
  };
}

TEST(OpsConfig, ParsesOperationsSections) {
  Config c = parseConfig(R"(
shutdown:
  drain_timeout: 2m
idle:
  timeout: 15m
  command: shutdown -h now
tls:
  cert_file: /etc/ringcast/cert.pem
  key_file: /etc/ringcast/key.pem
limits:
  join_per_minute_per_ip: 30
  body_bytes: 65536
logging:
  json: true
)");
  EXPECT_EQ(c.shutdown.drainTimeoutSec, 120);
  EXPECT_EQ(c.idle.timeoutSec, 900);
  EXPECT_EQ(c.idle.command, "shutdown -h now");
  EXPECT_TRUE(c.tls.enabled());
  EXPECT_EQ(c.tls.keyFile, "/etc/ringcast/key.pem");
  EXPECT_EQ(c.limits.joinPerMinutePerIp, 30);
  EXPECT_EQ(c.limits.bodyBytes, 65536u);
  EXPECT_TRUE(c.logging.json);
}

TEST(OpsConfig, Defaults) {
  Config c = parseConfig("");
  EXPECT_EQ(c.shutdown.drainTimeoutSec, 30);
  EXPECT_EQ(c.idle.timeoutSec, 0);
  EXPECT_FALSE(c.tls.enabled());
  EXPECT_EQ(c.limits.joinPerMinutePerIp, 60);
  EXPECT_EQ(c.limits.bodyBytes, size_t{1} << 20);
}

void expectError(const std::string& yaml, const std::string& fragment, int line) {
  try {
    parseConfig(yaml, "t.yaml");
    FAIL() << "accepted: " << yaml;
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << e.what();
    EXPECT_EQ(e.line(), line) << e.what();
  }
}

TEST(OpsConfig, InvalidValuesNameLineAndReason) {
  expectError("port: 1\nshutdown:\n  drain_timeout: soon\n", "shutdown.drain_timeout", 3);
  expectError("idle:\n  timeout: 10s\n", "needs 'idle.command'", 2);
  expectError("tls:\n  cert_file: a.pem\n", "must be given together", 2);
  expectError("limits:\n  body_bytes: 12\n", "limits.body_bytes' must be between", 2);
  expectError("limits:\n  join_per_minute_per_ip: many\n", "must be an integer", 2);
  expectError("limits:\n  joins: 3\n", "unknown key 'limits.joins'", 2);
  expectError("port: 70000\n", "'port' must be between 0 and 65535", 1);
  expectError("rtc:\n  udp_port: [1]\n", "must be an integer", 2);
  expectError("idle:\n  timeout: off\n  comand: x\n", "unknown key 'idle.comand'", 3);
}

TEST(OpsConfig, IdleOffSpellings) {
  EXPECT_EQ(parseConfig("idle:\n  timeout: off\n").idle.timeoutSec, 0);
  EXPECT_EQ(parseConfig("idle:\n  timeout: 0\n").idle.timeoutSec, 0);
}

TEST(OpsConfig, KeyFileFromEnvironmentReplacesFileKeys) {
  TempDir dir;
  std::string keyFile = dir.write("keys.yaml", "APIfromfile: s3cret-file\n");
  Config c = parseConfig("keys:\n  APIyaml: yaml-secret\n");
  applyEnvOverrides(c, envFrom({{"RINGCAST_KEY_FILE", keyFile}}));
  EXPECT_EQ(c.keys.size(), 1u);
  EXPECT_EQ(c.keys.at("APIfromfile"), "s3cret-file");
}

TEST(OpsConfig, LiveKitKeysEnvironmentIsAccepted) {
  Config c;
  applyEnvOverrides(c, envFrom({{"LIVEKIT_KEYS", "APIlk: lk-secret, APIlk2: other"}}));
  EXPECT_EQ(c.keys.at("APIlk"), "lk-secret");
  EXPECT_EQ(c.keys.at("APIlk2"), "other");
  // RINGCAST_KEYS wins over LIVEKIT_KEYS.
  Config d;
  applyEnvOverrides(d, envFrom({{"LIVEKIT_KEYS", "APIlk: a"}, {"RINGCAST_KEYS", "APIrc: b"}}));
  EXPECT_EQ(d.keys.size(), 1u);
  EXPECT_EQ(d.keys.at("APIrc"), "b");
}

TEST(OpsConfig, KeyFileAndKeyListCombine) {
  TempDir dir;
  std::string keyFile = dir.write("keys.yaml", "APIa: secret-a\n");
  Config c;
  applyEnvOverrides(c, envFrom({{"RINGCAST_KEY_FILE", keyFile}, {"RINGCAST_KEYS", "APIb: b"}}));
  EXPECT_EQ(c.keys.size(), 2u);
}

TEST(OpsConfig, BadKeyListNamesTheVariableNotTheSecret) {
  Config c;
  try {
    applyEnvOverrides(c, envFrom({{"LIVEKIT_KEYS", "no-colon-topsecret"}}));
    FAIL();
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("LIVEKIT_KEYS"), std::string::npos);
    EXPECT_EQ(std::string(e.what()).find("topsecret"), std::string::npos);
  }
}

TEST(OpsConfig, PrecedenceFileThenEnvironmentThenCommandLine) {
  TempDir dir;
  std::string cfgPath = dir.write("ringcast.yaml",
                                  "port: 1000\nrtc:\n  udp_port: 2000\nkeys:\n  APIf: file-secret\n"
                                  "logging:\n  level: warn\n");
  std::string keyFile = dir.write("cli-keys.yaml", "APIcli: cli-secret\n");
  ::setenv("RINGCAST_PORT", "1001", 1);
  ::setenv("RINGCAST_UDP_PORT", "2001", 1);
  ::setenv("RINGCAST_LOG_LEVEL", "error", 1);
  ServeOptions o;
  o.configPath = cfgPath;
  o.port = 1002;  // command line beats environment
  o.keyFile = keyFile;
  std::string generated;
  Config c = resolveServeConfig(o, &generated);
  ::unsetenv("RINGCAST_PORT");
  ::unsetenv("RINGCAST_UDP_PORT");
  ::unsetenv("RINGCAST_LOG_LEVEL");
  EXPECT_EQ(c.port, 1002);         // command line
  EXPECT_EQ(c.rtc.udpPort, 2001);  // environment over file
  EXPECT_EQ(c.logging.level, "error");
  EXPECT_EQ(c.keys.size(), 1u);  // --key-file replaced the file's keys
  EXPECT_EQ(c.keys.at("APIcli"), "cli-secret");
  EXPECT_TRUE(generated.empty());

  ServeOptions fileOnly;
  fileOnly.configPath = cfgPath;
  Config f = resolveServeConfig(fileOnly, nullptr);
  EXPECT_EQ(f.port, 1000);
  EXPECT_EQ(f.logging.level, "warn");
  fileOnly.logLevel = "debug";
  EXPECT_EQ(resolveServeConfig(fileOnly, nullptr).logging.level, "debug");
}

}  // namespace
}  // namespace rc::api
