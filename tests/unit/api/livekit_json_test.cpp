// Protobuf-JSON reading and writing of the LiveKit messages (api/livekit_json.h).
#include "api/livekit_json.h"

#include <gtest/gtest.h>

namespace rc::api::lkjson {
namespace {

using nlohmann::json;

TEST(LivekitJson, IntegersAcceptNumbersAndDecimalStrings) {
  auto b = JsonBody::parse(R"({"a":"42","b":7,"c":7.0,"d":null,"big":"9007199254740993"})");
  EXPECT_EQ(b.optUint32("a", "a"), 42u);
  EXPECT_EQ(b.optUint32("b", "b"), 7u);
  EXPECT_EQ(b.optUint32("c", "c"), 7u);
  EXPECT_FALSE(b.optUint32("d", "d"));  // null is the default
  EXPECT_FALSE(b.optUint32("missing", "missing"));
  EXPECT_EQ(b.optInt64("big", "big"), 9007199254740993);
  for (const char* bad : {R"({"x":-1})", R"({"x":4294967296})", R"({"x":1.5})", R"({"x":"1e3"})",
                          R"({"x":""})", R"({"x":true})", R"({"x":[1]})"}) {
    auto body = JsonBody::parse(bad);
    try {
      body.optUint32("x", "x");
      ADD_FAILURE() << bad;
    } catch (const BodyError& e) {
      EXPECT_EQ(e.field(), "x");
      EXPECT_TRUE(e.malformed());
    }
  }
}

TEST(LivekitJson, SnakeCaseNamesAndNestedFieldNames) {
  auto b = JsonBody::parse(R"({"track_sid":"TR_1","permission":{"can_publish":1}})");
  EXPECT_EQ(b.optString("trackSid", "track_sid"), "TR_1");
  auto perm = b.optObject("permission", "permission");
  ASSERT_TRUE(perm);
  try {
    parsePermission(*perm);
    ADD_FAILURE();
  } catch (const BodyError& e) {
    EXPECT_EQ(e.field(), "permission.canPublish");
  }
}

TEST(LivekitJson, BodyShapeErrors) {
  EXPECT_NO_THROW(JsonBody::parse(""));  // an empty body is the empty message
  EXPECT_THROW(JsonBody::parse("nope"), BodyError);
  EXPECT_THROW(JsonBody::parse("\"str\""), BodyError);
  auto b = JsonBody::parse(R"({"name":""})");
  try {
    b.requireString("name", "name");
    ADD_FAILURE();
  } catch (const BodyError& e) {
    EXPECT_FALSE(e.malformed());
    EXPECT_EQ(e.field(), "name");
  }
}

TEST(LivekitJson, WritesProto3Json) {
  ParticipantInfo p;
  p.sid = "PA_1";
  p.identity = "ann";
  p.state = "ACTIVE";
  p.joinedAtMs = 1'700'000'000'500;
  p.permission = {true, false, true};
  p.tracks.push_back({"TR_1", "AUDIO", "", "audio/opus", "MICROPHONE", "0", true});
  json j = toJson(p);
  EXPECT_EQ(j["joinedAt"], "1700000000");
  EXPECT_EQ(j["joinedAtMs"], "1700000000500");
  EXPECT_EQ(j["permission"], json({{"canSubscribe", true}, {"canPublishData", true}}));
  EXPECT_FALSE(j.contains("isPublisher"));
  EXPECT_EQ(j["tracks"][0], json({{"sid", "TR_1"},
                                  {"muted", true},
                                  {"source", "MICROPHONE"},
                                  {"mimeType", "audio/opus"},
                                  {"mid", "0"}}));
  RoomEvent ev{"participant_joined", RoomInfo{"RM_1", "r", "", 300, 0, 5000, 1, 0}, p, {}};
  json e = toJson(ev, "EV_1", 1'700'000'001);
  EXPECT_EQ(e["event"], "participant_joined");
  EXPECT_EQ(e["createdAt"], "1700000001");
  EXPECT_EQ(e["room"]["creationTime"], "5");
  EXPECT_EQ(e["participant"]["identity"], "ann");
  EXPECT_FALSE(e.contains("track"));
}

}  // namespace
}  // namespace rc::api::lkjson
