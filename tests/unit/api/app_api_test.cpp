// The app API (/get-token and the recording calls) through the router.
#include "api/app_api.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "api/config.h"
#include "crypto/jwt.h"
#include "fake_media_engine.h"

namespace rc::api {
namespace {

using nlohmann::json;
constexpr int64_t kNow = 1'700'000'000;

class AppApiTest : public ::testing::Test {
 protected:
  AppApiTest() {
    config.keys = {{"APIk", "sec"}};
    addAllRoutes(router, ApiContext{engine, verifier, config, [] { return kNow; }});
  }
  static std::string token(VideoGrant g) {
    AccessClaims c;
    c.video = g;
    return "Bearer " + issueToken("APIk", "sec", c, 600, kNow);
  }
  HttpResponse post(const std::string& path, const std::string& body, const std::string& auth) {
    HttpRequest r;
    r.method = "POST";
    r.target = path;
    r.headers = {{"Content-Type", "application/json"}, {"Host", "sfu.example:7880"}};
    if (!auth.empty()) r.headers.emplace_back("Authorization", auth);
    r.body = body;
    splitTarget(r);
    return router.dispatch(r);
  }
  static json errorOf(const HttpResponse& r) { return json::parse(r.body); }

  Config config;
  testing::FakeMediaEngine engine;
  TokenVerifier verifier{{{"APIk", "sec"}}};
  Router router;
};

TEST_F(AppApiTest, HostAndViewerTokens) {
  VideoGrant create;
  create.roomCreate = true;
  auto r = post("/get-token", R"({"roomName":"c","identity":"t","role":"host","ttl":"2h"})",
                token(create));
  ASSERT_EQ(r.status, 200) << r.body;
  json body = json::parse(r.body);
  EXPECT_EQ(body["url"], "http://sfu.example:7880");
  auto claims = verifier.verify(body["token"].get<std::string>(), kNow);
  ASSERT_TRUE(std::holds_alternative<AccessClaims>(claims));
  const auto& host = std::get<AccessClaims>(claims);
  EXPECT_EQ(host.exp, kNow + 7200);
  EXPECT_TRUE(host.video.roomJoin && host.video.canPublish && host.video.roomAdmin &&
              host.video.roomRecord);
  EXPECT_EQ(host.video.room, "c");
  VideoGrant admin;
  admin.roomAdmin = true;
  admin.room = "c";
  auto v = post("/get-token", R"({"roomName":"c","identity":"s"})", token(admin));
  ASSERT_EQ(v.status, 200) << v.body;
  auto viewer = std::get<AccessClaims>(
      verifier.verify(json::parse(v.body)["token"].get<std::string>(), kNow));
  EXPECT_FALSE(viewer.video.canPublish);
  EXPECT_TRUE(viewer.video.canSubscribe && viewer.video.canPublishData);
  EXPECT_FALSE(viewer.video.roomAdmin);
}

TEST_F(AppApiTest, Errors) {
  VideoGrant create;
  create.roomCreate = true;
  EXPECT_EQ(post("/get-token", R"({"roomName":"c","identity":"t"})", "").status, 401);
  VideoGrant other;
  other.roomAdmin = true;
  other.room = "d";
  EXPECT_EQ(post("/get-token", R"({"roomName":"c","identity":"t"})", token(other)).status, 403);
  auto noId = post("/get-token", R"({"roomName":"c"})", token(create));
  EXPECT_EQ(noId.status, 400);
  EXPECT_EQ(errorOf(noId)["code"], "invalid_argument");
  EXPECT_NE(errorOf(noId)["msg"].get<std::string>().find("identity"), std::string::npos);
  auto badType = post("/get-token", R"({"roomName":"c","identity":"t","name":3})", token(create));
  EXPECT_EQ(badType.status, 400);
  EXPECT_NE(errorOf(badType)["msg"].get<std::string>().find("'name'"), std::string::npos);
  EXPECT_EQ(post("/get-token", R"({"roomName":"c","identity":"t","ttl":0})", token(create)).status,
            400);
  EXPECT_EQ(
      post("/get-token", R"({"roomName":"c","identity":"t","role":"owner"})", token(create)).status,
      400);
}

TEST_F(AppApiTest, RecordingIsNotImplementedYet) {
  VideoGrant rec;
  rec.roomRecord = true;
  auto r = post("/start-recording", R"({"roomName":"c"})", token(rec));
  EXPECT_EQ(r.status, 501);
  EXPECT_EQ(errorOf(r)["code"], "unimplemented");
  EXPECT_EQ(post("/stop-recording", R"({})", token(rec)).status, 400);
  VideoGrant create;
  create.roomCreate = true;
  EXPECT_EQ(post("/list-recordings", R"({"roomName":"c"})", token(create)).status, 403);
}

TEST(RoomConfig, WebhookAndRoomSections) {
  Config c = parseConfig(
      "keys: {K1: s1, K2: s2}\nwebhook:\n  urls: [http://h/x]\n  api_key: K2\n"
      "room:\n  empty_timeout: 60\n  max_participants: 10\n");
  EXPECT_EQ(c.webhook.urls, std::vector<std::string>{"http://h/x"});
  EXPECT_EQ(c.webhook.apiKey, "K2");
  EXPECT_EQ(c.room.emptyTimeoutSec, 60u);
  EXPECT_EQ(c.room.maxParticipants, 10u);
  EXPECT_NO_THROW(validateConfig(c));
  c.webhook.apiKey = "K3";
  EXPECT_THROW(validateConfig(c), ConfigError);
  EXPECT_EQ(parseConfig("webhook:\n  urls: [https://h/x]\n  ca_file: /etc/ca.pem\n").webhook.caFile,
            "/etc/ca.pem");
  EXPECT_THROW(parseConfig("webhook:\n  urls: [ftp://h/x]\n"), ConfigError);
  EXPECT_THROW(parseConfig("webhook:\n  urls: http://h/x\n"), ConfigError);
  EXPECT_THROW(parseConfig("room:\n  empty_timeout: 0\n"), ConfigError);
  EXPECT_THROW(parseConfig("room:\n  departure: 1\n"), ConfigError);
}

}  // namespace
}  // namespace rc::api
