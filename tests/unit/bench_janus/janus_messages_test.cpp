// Janus HTTP API message building and reply checks (no server needed).
#include <gtest/gtest.h>

#include "bench/loadgen/janus_signaling.h"

namespace rc::bench::janus {
namespace {

using nlohmann::json;

TEST(JanusMessages, HandleRoundTrips) {
  HandleRef ref = parseHandle(formatHandle({"123", "456"}));
  EXPECT_EQ(ref.session, "123");
  EXPECT_EQ(ref.handle, "456");
  EXPECT_THROW(parseHandle("123"), std::runtime_error);
  EXPECT_THROW(parseHandle("/456"), std::runtime_error);
  EXPECT_THROW(parseHandle("123/"), std::runtime_error);
  EXPECT_THROW(parseHandle("1/2/3"), std::runtime_error);
}

TEST(JanusMessages, CreatedIdReadsLargeNumbers) {
  json reply =
      json::parse(R"({"janus":"success","transaction":"t","data":{"id":8473629105837261}})");
  EXPECT_EQ(createdId(reply), "8473629105837261");
}

TEST(JanusMessages, CreatedIdReportsJanusErrors) {
  json reply = json::parse(R"({"janus":"error","error":{"code":458,"reason":"No such session"}})");
  try {
    createdId(reply);
    FAIL() << "no exception";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("458: No such session"), std::string::npos);
  }
  EXPECT_THROW(createdId(json::parse(R"({"janus":"success"})")), std::runtime_error);
}

TEST(JanusMessages, PluginDataToleratesListedErrorsOnly) {
  json exists = json::parse(
      R"({"janus":"success","plugindata":{"plugin":"janus.plugin.videoroom",
          "data":{"videoroom":"event","error_code":427,"error":"Room exists"}}})");
  EXPECT_EQ(pluginData(exists, {kRoomExists})["error_code"], 427);
  EXPECT_THROW(pluginData(exists), std::runtime_error);
  EXPECT_THROW(pluginData(json::parse(R"({"janus":"success"})")), std::runtime_error);
}

TEST(JanusMessages, MatchesOnlyTheTransactionsEvent) {
  json event = json::parse(R"({"janus":"event","transaction":"rcb7","sender":1,
      "plugindata":{"plugin":"janus.plugin.videoroom","data":{"videoroom":"joined"}},
      "jsep":{"type":"answer","sdp":"v=0\r\n"}})");
  EXPECT_TRUE(answersTransaction(event, "rcb7"));
  EXPECT_FALSE(answersTransaction(event, "rcb8"));
  EXPECT_FALSE(answersTransaction(json::parse(R"({"janus":"keepalive"})"), "rcb7"));
  EXPECT_FALSE(answersTransaction(json::parse(R"({"janus":"ack","transaction":"rcb7"})"), "rcb7"));
  EXPECT_EQ(jsepSdp(event, "answer"), "v=0\r\n");
  EXPECT_THROW(jsepSdp(event, "offer"), std::runtime_error);
}

TEST(JanusMessages, PublisherIdsSkipsNonPublishers) {
  json data = json::parse(R"({"participants":[{"id":"alice","publisher":true},
      {"id":"bob","publisher":false},{"id":42,"publisher":true},{"publisher":true}]})");
  EXPECT_EQ(publisherIds(data), (std::vector<std::string>{"alice", "42"}));
  EXPECT_TRUE(publisherIds(json::object()).empty());
}

TEST(JanusMessages, OfferTakesTheDtlsClientRole) {
  EXPECT_EQ(offerAsDtlsClient("m=audio\r\na=setup:actpass\r\nm=video\r\na=setup:actpass\r\n"),
            "m=audio\r\na=setup:active\r\nm=video\r\na=setup:active\r\n");
  EXPECT_EQ(offerAsDtlsClient("a=setup:passive\r\n"), "a=setup:passive\r\n");
}

TEST(JanusMessages, BodiesCarryTheVideoroomFields) {
  json message = pluginMessage(publishBody("r1", "pub"), "t1", jsep("offer", "v=0"));
  EXPECT_EQ(message["janus"], "message");
  EXPECT_EQ(message["body"]["request"], "joinandconfigure");
  EXPECT_EQ(message["body"]["ptype"], "publisher");
  EXPECT_EQ(message["jsep"]["trickle"], false);
  EXPECT_FALSE(pluginMessage(createRoomBody("r1"), "t2").contains("jsep"));
  json sub = subscribeBody("r1", {"a", "b"});
  EXPECT_EQ(sub["streams"].size(), 2u);
  EXPECT_EQ(sub["streams"][1]["feed"], "b");
  EXPECT_EQ(createRoomBody("r1")["videocodec"], "vp8");
}

}  // namespace
}  // namespace rc::bench::janus
