#include "api/config.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>

namespace rc::api {
namespace {

TEST(Config, ParsesLiveKitStyleFile) {
  Config c = parseConfig(R"(
port: 17880
bind_addresses:
  - 127.0.0.1
rtc:
  udp_port: 17882
  node_ip: 10.0.0.5
  workers: 3
  io_backend: mmsg
  transport_timeout: 45s
keys:
  APIabc: secret-one
  APIdef: secret-two
logging:
  level: debug
  json: true
)");
  EXPECT_EQ(c.port, 17880);
  EXPECT_EQ(c.bindAddress, "127.0.0.1");
  EXPECT_EQ(c.rtc.udpPort, 17882);
  EXPECT_EQ(c.rtc.nodeIp, "10.0.0.5");
  EXPECT_EQ(c.rtc.workers, 3);
  EXPECT_EQ(c.rtc.ioBackend, "mmsg");
  EXPECT_EQ(c.rtc.transportTimeoutSec, 45);
  EXPECT_EQ(c.keys.size(), 2u);
  EXPECT_EQ(c.keys.at("APIdef"), "secret-two");
  EXPECT_EQ(c.logging.level, "debug");
  EXPECT_TRUE(c.logging.json);
  EXPECT_FALSE(c.dev);
}

TEST(Config, EmptyFileGivesDefaults) {
  Config c = parseConfig("");
  EXPECT_EQ(c.port, 7880);
  EXPECT_EQ(c.rtc.udpPort, 7882);
  EXPECT_EQ(c.rtc.ioBackend, "auto");
  EXPECT_EQ(c.rtc.transportTimeoutSec, 30);
}

int errorLine(const std::string& yaml, std::string* message) {
  try {
    parseConfig(yaml, "test.yaml");
  } catch (const ConfigError& e) {
    *message = e.what();
    return e.line();
  }
  return -1;
}

TEST(Config, UnknownKeyNamesKeyAndLine) {
  std::string msg;
  EXPECT_EQ(errorLine("port: 1\nrtc:\n  udp_port: 2\nredis_url: x\n", &msg), 4);
  EXPECT_NE(msg.find("test.yaml:4"), std::string::npos) << msg;
  EXPECT_NE(msg.find("redis_url"), std::string::npos) << msg;
  EXPECT_EQ(errorLine("rtc:\n  udp_prot: 2\n", &msg), 2);
  EXPECT_NE(msg.find("rtc.udp_prot"), std::string::npos) << msg;
}

TEST(Config, WrongTypesAreErrors) {
  std::string msg;
  EXPECT_EQ(errorLine("port: 1\nport2: 3\n", &msg), 2);
  EXPECT_EQ(errorLine("\nport: abc\n", &msg), 2);
  EXPECT_NE(msg.find("'port' must be an integer"), std::string::npos) << msg;
  EXPECT_EQ(errorLine("port: 70000\n", &msg), 1);
  EXPECT_EQ(errorLine("port: -1\n", &msg), 1);
  EXPECT_EQ(errorLine("rtc: 5\n", &msg), 1);
  EXPECT_EQ(errorLine("rtc:\n  io_backend: epoll\n", &msg), 2);
  EXPECT_EQ(errorLine("keys:\n  - a\n", &msg), 2);
  EXPECT_EQ(errorLine("logging:\n  json: maybe\n", &msg), 2);
  EXPECT_EQ(errorLine("port: [1\n", &msg) > 0, true) << msg;  // YAML syntax error
}

TEST(Config, SecretsNeverInErrors) {
  std::string msg;
  errorLine("keys:\n  APIx:\n    nested: topsecret\n", &msg);
  EXPECT_EQ(msg.find("topsecret"), std::string::npos) << msg;
}

TEST(Config, EnvOverrides) {
  std::map<std::string, std::string> env = {{"RINGCAST_PORT", "9000"},
                                            {"RINGCAST_UDP_PORT", "9002"},
                                            {"RINGCAST_NODE_IP", "192.0.2.1"},
                                            {"RINGCAST_KEYS", "APIone: s1, APItwo: s2"}};
  auto lookup = [&](const char* name) -> const char* {
    auto it = env.find(name);
    return it == env.end() ? nullptr : it->second.c_str();
  };
  Config c = parseConfig("keys:\n  APIold: x\n");
  applyEnvOverrides(c, lookup);
  EXPECT_EQ(c.port, 9000);
  EXPECT_EQ(c.rtc.udpPort, 9002);
  EXPECT_EQ(c.rtc.nodeIp, "192.0.2.1");
  EXPECT_EQ(c.keys, (std::map<std::string, std::string>{{"APIone", "s1"}, {"APItwo", "s2"}}));
  env["RINGCAST_PORT"] = "port";
  EXPECT_THROW(applyEnvOverrides(c, lookup), ConfigError);
}

TEST(Config, LoadFileWithKeyFile) {
  auto dir = std::filesystem::temp_directory_path() / ("rc_cfg_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "keys.yaml") << "APIfile: filesecret\n";
  std::ofstream(dir / "c.yaml") << "port: 1234\nkey_file: " << (dir / "keys.yaml").string() << "\n";
  Config c = loadConfigFile((dir / "c.yaml").string());
  EXPECT_EQ(c.port, 1234);
  EXPECT_EQ(c.keys.at("APIfile"), "filesecret");
  EXPECT_THROW(loadConfigFile((dir / "missing.yaml").string()), ConfigError);
  std::filesystem::remove_all(dir);
}

TEST(Config, DevDefaultsHaveRandomKeys) {
  Config a = defaultDevConfig(), b = defaultDevConfig();
  ASSERT_EQ(a.keys.size(), 1u);
  const auto& [key, secret] = *a.keys.begin();
  EXPECT_TRUE(a.dev);
  EXPECT_EQ(key.size(), 15u);
  EXPECT_EQ(key.substr(0, 3), "API");
  EXPECT_EQ(secret.size(), 43u);  // 32 bytes base64url
  EXPECT_NE(a.keys, b.keys);
}

TEST(Config, Durations) {
  EXPECT_EQ(parseDurationSec("90"), 90);
  EXPECT_EQ(parseDurationSec("15m"), 900);
  EXPECT_EQ(parseDurationSec("6h"), 21600);
  EXPECT_EQ(parseDurationSec("1d"), 86400);
  EXPECT_THROW(parseDurationSec("6x"), ConfigError);
  EXPECT_THROW(parseDurationSec(""), ConfigError);
}

}  // namespace
}  // namespace rc::api
