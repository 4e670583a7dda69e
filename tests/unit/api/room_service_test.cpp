// The Twirp RoomService handlers against a fake engine: protobuf-JSON in and out, LiveKit's
// grant rules, and the Twirp error shapes (code + HTTP status).
#include "api/room_service.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "api/whip_handlers.h"
#include "fake_media_engine.h"

namespace rc::api {
namespace {

using nlohmann::json;
constexpr int64_t kNow = 1'700'000'000;

class RoomServiceTest : public ::testing::Test {
 protected:
  RoomServiceTest() {
    config.keys = {{"APIk", "sec"}};
    addAllRoutes(router, ApiContext{engine, verifier, config, [] { return kNow; }});
    engine.rooms["r1"] = RoomInfo{"RM_1", "r1", "m", 300, 0, 1'700'000'000'000, 1, 1};
    ParticipantInfo p;
    p.sid = "PA_1", p.identity = "ann", p.state = "ACTIVE", p.isPublisher = true;
    p.tracks.push_back({"TR_v", "VIDEO", "1", "video/VP8", "CAMERA", "1", false});
    p.tracks.push_back({"TR_a", "AUDIO", "0", "audio/opus", "MICROPHONE", "0", false});
    engine.participants["r1"] = {p};
  }

  static std::string token(VideoGrant g, const std::string& secret = "sec", int64_t ttl = 600) {
    AccessClaims c;
    c.video = g;
    return "Bearer " + issueToken("APIk", secret, c, ttl, kNow);
  }
  static std::string admin(const std::string& room) {
    VideoGrant g;
    g.roomAdmin = true;
    g.room = room;
    return token(g);
  }
  static std::string creator() {
    VideoGrant g;
    g.roomCreate = true;
    g.roomList = true;
    return token(g);
  }

  HttpResponse call(const std::string& method, const std::string& body, const std::string& auth,
                    const std::string& type = "application/json") {
    HttpRequest r;
    r.method = "POST";
    r.target = "/twirp/livekit.RoomService/" + method;
    r.headers = {{"Content-Type", type}};
    if (!auth.empty()) r.headers.emplace_back("Authorization", auth);
    r.body = body;
    splitTarget(r);
    return router.dispatch(r);
  }

  static void expectTwirp(const HttpResponse& r, int status, const std::string& code,
                          const std::string& mention = "") {
    EXPECT_EQ(r.status, status) << r.body;
    EXPECT_EQ(r.header("Content-Type"), "application/json");
    json j = json::parse(r.body);
    EXPECT_EQ(j["code"], code) << r.body;
    EXPECT_NE(j["msg"].get<std::string>().find(mention), std::string::npos) << r.body;
  }

  Config config;
  testing::FakeMediaEngine engine;
  TokenVerifier verifier{{{"APIk", "sec"}}};
  Router router;
};

TEST_F(RoomServiceTest, CreateRoomReadsCamelAndSnakeCaseAndAnswersProtobufJson) {
  auto r = call("CreateRoom", R"({"name":"new","empty_timeout":"60","maxParticipants":4,
                                  "metadata":"hi","unknownField":1})",
                creator());
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.header("Content-Type"), "application/json");
  ASSERT_TRUE(engine.lastCreate);
  EXPECT_EQ(engine.lastCreate->emptyTimeout, 60u);
  EXPECT_EQ(engine.lastCreate->maxParticipants, 4u);
  json j = json::parse(r.body);
  EXPECT_EQ(j["name"], "new");
  EXPECT_EQ(j["emptyTimeout"], 60);
  EXPECT_EQ(j["creationTime"], "1700000000");  // int64 as a string
  EXPECT_EQ(j["creationTimeMs"], "1700000000123");
  EXPECT_FALSE(j.contains("numParticipants"));  // proto3 defaults are omitted
  // emptyTimeout 0 means "use the default".
  call("CreateRoom", R"({"name":"d","emptyTimeout":0})", creator());
  EXPECT_FALSE(engine.lastCreate->emptyTimeout);
}

TEST_F(RoomServiceTest, ListAndDeleteRooms) {
  auto all = json::parse(call("ListRooms", "{}", creator()).body);
  ASSERT_EQ(all["rooms"].size(), 1u);
  EXPECT_EQ(all["rooms"][0]["numPublishers"], 1);
  auto none = json::parse(call("ListRooms", R"({"names":["zz"]})", creator()).body);
  EXPECT_TRUE(none["rooms"].empty());
  EXPECT_EQ(call("DeleteRoom", R"({"room":"r1"})", creator()).body, "{}");
  expectTwirp(call("DeleteRoom", R"({"room":"r1"})", creator()), 404, "not_found", "r1");
}

TEST_F(RoomServiceTest, ParticipantsAndTracks) {
  auto list = json::parse(call("ListParticipants", R"({"room":"r1"})", admin("r1")).body);
  ASSERT_EQ(list["participants"].size(), 1u);
  const json& p = list["participants"][0];
  EXPECT_EQ(p["identity"], "ann");
  EXPECT_EQ(p["state"], "ACTIVE");
  EXPECT_EQ(p["isPublisher"], true);
  EXPECT_EQ(p["tracks"][0]["type"], "VIDEO");
  EXPECT_EQ(p["tracks"][0]["source"], "CAMERA");
  EXPECT_FALSE(p["tracks"][1].contains("type"));  // AUDIO is the enum's zero value
  auto got = call("GetParticipant", R"({"room":"r1","identity":"ann"})", admin("r1"));
  EXPECT_EQ(json::parse(got.body)["sid"], "PA_1");
  expectTwirp(call("GetParticipant", R"({"room":"r1","identity":"bob"})", admin("r1")), 404,
              "not_found", "bob");
  auto mute = call("MutePublishedTrack", R"({"room":"r1","identity":"ann","track_sid":"TR_v",
                                              "muted":true})",
                   admin("r1"));
  ASSERT_EQ(mute.status, 200) << mute.body;
  EXPECT_EQ(json::parse(mute.body)["track"]["muted"], true);
  EXPECT_EQ(engine.lastMute, "r1/ann/TR_v:1");
  expectTwirp(call("MutePublishedTrack", R"({"room":"r1","identity":"ann"})", admin("r1")), 400,
              "invalid_argument", "trackSid");
  EXPECT_EQ(call("RemoveParticipant", R"({"room":"r1","identity":"ann"})", admin("r1")).body, "{}");
  EXPECT_TRUE(engine.participants["r1"].empty());
}

TEST_F(RoomServiceTest, UpdateParticipantPermissionAndMetadata) {
  auto r = call("UpdateParticipant", R"({"room":"r1","identity":"ann","metadata":"",
                 "name":"Ann B","permission":{"can_subscribe":true,"canPublish":false}})",
                admin("r1"));
  ASSERT_EQ(r.status, 200) << r.body;
  ASSERT_TRUE(engine.lastUpdate);
  EXPECT_FALSE(engine.lastUpdate->metadata);  // empty string: unchanged
  EXPECT_EQ(engine.lastUpdate->name, "Ann B");
  ASSERT_TRUE(engine.lastUpdate->permission);
  EXPECT_TRUE(engine.lastUpdate->permission->canSubscribe);
  EXPECT_FALSE(engine.lastUpdate->permission->canPublish);
  EXPECT_FALSE(engine.lastUpdate->permission->canPublishData);
  expectTwirp(
      call("UpdateParticipant",
           R"({"room":"r1","identity":"ann","permission":{"canPublish":"no"}})", admin("r1")),
      400, "malformed", "permission.canPublish");
  auto meta = call("UpdateRoomMetadata", R"({"room":"r1","metadata":"new"})", admin("r1"));
  EXPECT_EQ(json::parse(meta.body)["metadata"], "new");
}

TEST_F(RoomServiceTest, AuthenticationAndGrants) {
  auto missing = call("ListRooms", "{}", "");
  expectTwirp(missing, 401, "unauthenticated", "missing");
  EXPECT_TRUE(missing.header("WWW-Authenticate"));
  VideoGrant list;
  list.roomList = true;
  expectTwirp(call("ListRooms", "{}", token(list, "wrong")), 401, "unauthenticated");
  expectTwirp(call("ListRooms", "{}", token(list, "sec", -60)), 401, "unauthenticated", "expired");
  expectTwirp(call("ListRooms", "{}", "Basic abc"), 401, "unauthenticated");
  EXPECT_EQ(call("ListRooms", "{}", token(list)).status, 200);
  expectTwirp(call("CreateRoom", R"({"name":"x"})", token(list)), 403, "permission_denied",
              "roomCreate");
  expectTwirp(call("DeleteRoom", R"({"room":"r1"})", admin("r1")), 403, "permission_denied");
  expectTwirp(call("ListRooms", "{}", admin("r1")), 403, "permission_denied", "roomList");
  expectTwirp(call("ListParticipants", R"({"room":"r1"})", admin("r2")), 403, "permission_denied",
              "r2");
  expectTwirp(call("ListParticipants", R"({"room":"r1"})", creator()), 403, "permission_denied",
              "roomAdmin");
}

TEST_F(RoomServiceTest, BadRequestsAndRoutes) {
  expectTwirp(call("CreateRoom", "{", creator()), 400, "malformed", "JSON");
  expectTwirp(call("CreateRoom", "[1]", creator()), 400, "malformed", "object");
  expectTwirp(call("CreateRoom", "{}", creator()), 400, "invalid_argument", "name");
  expectTwirp(call("CreateRoom", R"({"name":"x","emptyTimeout":-1})", creator()), 400, "malformed",
              "emptyTimeout");
  expectTwirp(call("CreateRoom", R"({"name":"x","maxParticipants":1.5})", creator()), 400,
              "malformed", "maxParticipants");
  expectTwirp(call("ListRooms", R"({"names":"r1"})", creator()), 400, "malformed", "names");
  expectTwirp(call("ListParticipants", "{}", admin("r1")), 400, "invalid_argument", "room");
  expectTwirp(call("Nope", "{}", creator()), 404, "bad_route", "Nope");
  expectTwirp(call("ListRooms", "{}", creator(), "application/protobuf"), 404, "bad_route");
  HttpRequest get;
  get.method = "GET";
  get.target = "/twirp/livekit.RoomService/ListRooms";
  splitTarget(get);
  EXPECT_EQ(router.dispatch(get).status, 405);
}

TEST_F(RoomServiceTest, EngineWithoutRoomsAnswersUnimplemented) {
  class Bare : public testing::FakeMediaEngine {
   public:
    RoomResult<std::vector<RoomInfo>> listRooms(const std::vector<std::string>& n) override {
      return MediaEngine::listRooms(n);
    }
  } bare;
  Router r2;
  addAllRoutes(r2, ApiContext{bare, verifier, config, [] { return kNow; }});
  HttpRequest r;
  r.method = "POST";
  r.target = "/twirp/livekit.RoomService/ListRooms";
  r.headers = {{"Content-Type", "application/json"}, {"Authorization", creator()}};
  splitTarget(r);
  expectTwirp(r2.dispatch(r), 501, "unimplemented");
}

}  // namespace
}  // namespace rc::api
