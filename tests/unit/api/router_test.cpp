// Router and handler logic without sockets (Router::dispatch and serveRawRequest).
#include "api/router.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "api/demo_page.h"
#include "api/http_server.h"
#include "api/whip_handlers.h"
#include "fake_media_engine.h"

namespace rc::api {
namespace {

constexpr int64_t kNow = 1'700'000'000;

HttpRequest request(std::string method, std::string target, HeaderList headers = {},
                    std::string body = {}) {
  HttpRequest r;
  r.method = std::move(method);
  r.target = std::move(target);
  r.headers = std::move(headers);
  r.body = std::move(body);
  splitTarget(r);
  return r;
}

TEST(Router, PathParamsQueryAndErrors) {
  Router router;
  router.add("GET", "/a/{x}/b/{y}", [](const HttpRequest& r) {
    return HttpResponse::text(
        200, r.param("x") + "|" + r.param("y") + "|" + r.queryParam("q").value_or("-"));
  });
  router.add("GET", "/boom",
             [](const HttpRequest&) -> HttpResponse { throw std::runtime_error("kaput"); });
  EXPECT_EQ(router.dispatch(request("GET", "/a/h%20i/b/2?q=a+b%21")).body, "h i|2|a b!");
  EXPECT_EQ(router.dispatch(request("GET", "/a//b/2")).status, 404);
  EXPECT_EQ(router.dispatch(request("GET", "/a/%zz/b/2")).status, 404);
  EXPECT_EQ(router.dispatch(request("GET", "/nothing")).status, 404);
  auto r405 = router.dispatch(request("POST", "/a/1/b/2"));
  EXPECT_EQ(r405.status, 405);
  EXPECT_EQ(r405.header("Allow"), "GET, OPTIONS");
  auto r500 = router.dispatch(request("GET", "/boom"));
  EXPECT_EQ(r500.status, 500);
  EXPECT_NE(r500.body.find("kaput"), std::string::npos);
}

class HandlerTest : public ::testing::Test {
 protected:
  HandlerTest() {
    config.keys = {{"APIk", "sec"}};
    addAllRoutes(router, ApiContext{engine, verifier, config, [] { return kNow; }});
  }
  std::string token(const std::string& room, bool publish = true, bool subscribe = true) {
    AccessClaims c;
    c.identity = "ann";
    c.name = "Ann";
    c.video.roomJoin = true;
    c.video.room = room;
    c.video.canPublish = publish;
    c.video.canSubscribe = subscribe;
    return "Bearer " + issueToken("APIk", "sec", c, 600, kNow);
  }
  HttpResponse post(const std::string& target, const std::string& auth,
                    const std::string& type = "application/sdp") {
    HeaderList h = {{"Content-Type", type}, {"Origin", "https://example.org"}};
    if (!auth.empty()) h.emplace_back("Authorization", auth);
    return router.dispatch(request("POST", target, h, "v=0\r\noffer\r\n"));
  }

  Config config;
  testing::FakeMediaEngine engine;
  TokenVerifier verifier{{{"APIk", "sec"}}};
  Router router;
};

TEST_F(HandlerTest, WhipPublishCreatesSession) {
  auto r = post("/whip/my%20room", token("my room"));
  EXPECT_EQ(r.status, 201);
  EXPECT_EQ(r.header("Location"), "/whip/my%20room/sess1");
  EXPECT_EQ(r.header("Content-Type"), "application/sdp");
  EXPECT_EQ(r.header("ETag"), "\"sess1\"");
  EXPECT_EQ(r.header("Access-Control-Allow-Origin"), "https://example.org");
  EXPECT_EQ(r.body, engine.next.answerSdp);
  ASSERT_EQ(engine.publishes.size(), 1u);
  EXPECT_EQ(engine.publishes[0].room, "my room");
  EXPECT_EQ(engine.publishes[0].identity, "ann");
  EXPECT_EQ(engine.publishes[0].name, "Ann");
  EXPECT_EQ(engine.publishes[0].offerSdp, "v=0\r\noffer\r\n");
}

TEST_F(HandlerTest, WhepPlayPassesParticipant) {
  auto r = post("/whep/r1?participant=bob", token("r1", false, true));
  EXPECT_EQ(r.status, 201);
  EXPECT_EQ(r.header("Location"), "/whep/r1/sess1");
  ASSERT_EQ(engine.plays.size(), 1u);
  EXPECT_EQ(engine.plays[0].participant, "bob");
  EXPECT_EQ(engine.plays[0].identity, "ann");
  EXPECT_EQ(post("/whep/r1", token("r1", true, false)).status, 403);
}

TEST_F(HandlerTest, AuthErrors) {
  auto missing = post("/whip/r1", "");
  EXPECT_EQ(missing.status, 401);
  EXPECT_TRUE(missing.header("WWW-Authenticate"));
  EXPECT_TRUE(missing.header("Access-Control-Allow-Origin"));  // CORS on errors too
  EXPECT_EQ(post("/whip/r1", "Basic abc").status, 401);
  EXPECT_EQ(post("/whip/r1", "Bearer junk").status, 401);
  EXPECT_EQ(post("/whip/r2", token("r1")).status, 403);
  EXPECT_EQ(post("/whip/r1", token("r1", false)).status, 403);
  EXPECT_EQ(post("/whip/r1", token("r1"), "text/plain").status, 415);
  EXPECT_EQ(post("/whip/r1", token("r1"), "Application/SDP; charset=utf-8").status, 201);
  EXPECT_TRUE(engine.publishes.size() == 1);
}

TEST_F(HandlerTest, EngineErrorsPassThrough) {
  engine.next = {400, "no supported codec", "", ""};
  auto r = post("/whip/r1", token("r1"));
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("no supported codec"), std::string::npos);
  engine.next = {503, "", "", ""};
  EXPECT_EQ(post("/whip/r1", token("r1")).status, 503);
  engine.next = {0, "", "", ""};
  EXPECT_EQ(post("/whip/r1", token("r1")).status, 500);
  engine.throwOnPublish = true;
  EXPECT_EQ(post("/whip/r1", token("r1")).status, 500);
}

TEST_F(HandlerTest, PatchAndDelete) {
  HeaderList frag = {{"Content-Type", "application/trickle-ice-sdpfrag"}};
  EXPECT_EQ(router.dispatch(request("PATCH", "/whip/r1/sess1", frag, "a=x")).status, 204);
  EXPECT_EQ(router.dispatch(request("PATCH", "/whip/r1/nope", frag, "a=x")).status, 404);
  EXPECT_EQ(router.dispatch(request("PATCH", "/whip/r1/sess1", {}, "a=x")).status, 415);
  HeaderList wrongTag = frag;
  wrongTag.emplace_back("If-Match", "\"other\"");
  EXPECT_EQ(router.dispatch(request("PATCH", "/whip/r1/sess1", wrongTag, "a=x")).status, 412);
  HeaderList badAuth = {{"Authorization", token("other-room")}};
  EXPECT_EQ(router.dispatch(request("DELETE", "/whip/r1/sess1", badAuth)).status, 403);
  EXPECT_EQ(router.dispatch(request("DELETE", "/whip/r1/sess1")).status, 200);
  EXPECT_EQ(router.dispatch(request("DELETE", "/whip/r1/sess1")).status, 404);
}

TEST_F(HandlerTest, PatchWithSdpOfferRenegotiates) {
  HeaderList sdp = {{"Content-Type", "application/sdp"}};
  auto ok = router.dispatch(request("PATCH", "/whep/r1/sess1", sdp, "v=0\r\n"));
  EXPECT_EQ(ok.status, 200);
  EXPECT_EQ(ok.header("Content-Type").value_or(""), "application/sdp");
  EXPECT_EQ(ok.body, "v=0\r\n");
  EXPECT_EQ(router.dispatch(request("PATCH", "/whep/r1/nope", sdp, "v=0\r\n")).status, 404);
  EXPECT_EQ(router.dispatch(request("PATCH", "/whep/r1/sess1", sdp, "")).status, 400);
}

TEST_F(HandlerTest, ServiceRoutes) {
  EXPECT_EQ(router.dispatch(request("GET", "/healthz")).body, "ok");
  auto page = router.dispatch(request("GET", "/"));
  EXPECT_EQ(page.status, 200);
  EXPECT_EQ(page.body, demoPageHtml());
  EXPECT_FALSE(page.body.empty());
  EXPECT_EQ(router.dispatch(request("GET", "/api/dev-token?room=r")).status, 404);  // not dev
}

TEST_F(HandlerTest, DevTokenOnlyInDevMode) {
  config.dev = true;
  Router dev;
  addAllRoutes(dev, ApiContext{engine, verifier, config, [] { return kNow; }});
  auto r = dev.dispatch(request("GET", "/api/dev-token?room=lobby&identity=zed"));
  ASSERT_EQ(r.status, 200);
  auto body = nlohmann::json::parse(r.body);
  EXPECT_EQ(body["identity"], "zed");
  auto claims = verifier.verify(body["token"].get<std::string>(), kNow);
  ASSERT_TRUE(std::holds_alternative<AccessClaims>(claims));
  EXPECT_FALSE(authorizePublish(std::get<AccessClaims>(claims), "lobby"));
  EXPECT_EQ(dev.dispatch(request("GET", "/api/dev-token")).status, 400);
}

TEST_F(HandlerTest, RawRequests) {
  std::string ok = serveRawRequest(router, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(ok.rfind("HTTP/1.1 200 OK\r\n", 0), 0u) << ok;
  std::string bad = serveRawRequest(router, "GARBAGE\r\n\r\n");
  EXPECT_EQ(bad.rfind("HTTP/1.1 400", 0), 0u) << bad;
  std::string big = serveRawRequest(
      router, "POST /whip/r HTTP/1.1\r\nHost: x\r\nContent-Length: 2000000\r\n\r\nxx");
  EXPECT_EQ(big.rfind("HTTP/1.1 413", 0), 0u) << big;
}

}  // namespace
}  // namespace rc::api
