// The real server on 127.0.0.1:0 with a small Beast client.
#include "api/http_server.h"

#include <gtest/gtest.h>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "api/whip_handlers.h"
#include "fake_media_engine.h"

namespace rc::api {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using Response = http::response<http::string_body>;

class Client {
 public:
  explicit Client(uint16_t port) : socket_(ioc_) {
    socket_.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
  }
  Response send(http::verb verb, const std::string& target,
                std::vector<std::pair<std::string, std::string>> headers = {},
                std::string body = {}) {
    http::request<http::string_body> req{verb, target, 11};
    req.set(http::field::host, "127.0.0.1");
    for (auto& [k, v] : headers) req.set(k, v);
    req.body() = std::move(body);
    req.prepare_payload();
    http::write(socket_, req);
    return read();
  }
  // Errors ignored: the server may close its side before reading everything (413).
  void writeRaw(const std::string& bytes) {
    boost::system::error_code ec;
    asio::write(socket_, asio::buffer(bytes), ec);
  }
  Response read() {
    Response res;
    http::read(socket_, buffer_, res);
    return res;
  }

 private:
  asio::io_context ioc_;
  tcp::socket socket_;
  beast::flat_buffer buffer_;
};

class HttpServerTest : public ::testing::Test {
 protected:
  HttpServerTest() {
    config.keys = {{"APIk", "sec"}};
    addAllRoutes(router, ApiContext{engine, verifier, config});
    port = server.start();
  }
  std::string token(const std::string& room) {
    AccessClaims c;
    c.identity = "ann";
    c.video.roomJoin = true;
    c.video.room = room;
    return "Bearer " + issueToken("APIk", "sec", c, 600);
  }
  Response whip(Client& c, const std::string& room, const std::string& auth,
                const std::string& type = "application/sdp") {
    std::vector<std::pair<std::string, std::string>> h = {{"Content-Type", type},
                                                          {"Origin", "http://other.test"}};
    if (!auth.empty()) h.emplace_back("Authorization", auth);
    return c.send(http::verb::post, "/whip/" + room, h, "v=0\r\n");
  }

  Config config;
  testing::FakeMediaEngine engine;
  TokenVerifier verifier{{{"APIk", "sec"}}};
  Router router;
  HttpServer server{router, HttpServerOptions{.bindAddress = "127.0.0.1", .port = 0}};
  uint16_t port = 0;
};

TEST_F(HttpServerTest, WhipCreatedWithLocationAndCors) {
  Client c(port);
  auto r = whip(c, "room1", token("room1"));
  EXPECT_EQ(r.result_int(), 201);
  EXPECT_EQ(r[http::field::location], "/whip/room1/sess1");
  EXPECT_EQ(r[http::field::content_type], "application/sdp");
  EXPECT_EQ(r[http::field::access_control_allow_origin], "http://other.test");
  EXPECT_NE(r[http::field::access_control_expose_headers].find("Location"), std::string::npos);
  EXPECT_EQ(r.body(), engine.next.answerSdp);
  // Same connection (keep-alive): DELETE the session, then again -> 404.
  EXPECT_EQ(c.send(http::verb::delete_, "/whip/room1/sess1").result_int(), 200);
  EXPECT_EQ(c.send(http::verb::delete_, "/whip/room1/sess1").result_int(), 404);
}

TEST_F(HttpServerTest, AuthAndContentTypeErrors) {
  Client c(port);
  EXPECT_EQ(whip(c, "room1", "").result_int(), 401);
  EXPECT_EQ(whip(c, "room1", token("room2")).result_int(), 403);
  EXPECT_EQ(whip(c, "room1", token("room1"), "text/plain").result_int(), 415);
}

TEST_F(HttpServerTest, EngineBadOfferPassedThrough) {
  engine.next = {400, "unsupported codec set", "", ""};
  Client c(port);
  auto r = whip(c, "room1", token("room1"));
  EXPECT_EQ(r.result_int(), 400);
  EXPECT_NE(r.body().find("unsupported codec set"), std::string::npos);
}

TEST_F(HttpServerTest, NotFoundMethodNotAllowedPreflight) {
  Client c(port);
  EXPECT_EQ(c.send(http::verb::get, "/nope").result_int(), 404);
  auto r405 = c.send(http::verb::get, "/whip/room1");
  EXPECT_EQ(r405.result_int(), 405);
  EXPECT_EQ(r405[http::field::allow], "POST, OPTIONS");
  auto pre = c.send(http::verb::options, "/whip/room1",
                    {{"Origin", "http://other.test"},
                     {"Access-Control-Request-Method", "POST"},
                     {"Access-Control-Request-Headers", "authorization, content-type"}});
  EXPECT_EQ(pre.result_int(), 204);
  EXPECT_EQ(pre[http::field::access_control_allow_origin], "http://other.test");
  EXPECT_NE(pre[http::field::access_control_allow_methods].find("POST"), std::string::npos);
  EXPECT_NE(pre[http::field::access_control_allow_headers].find("Authorization"),
            std::string::npos);
  EXPECT_EQ(c.send(http::verb::get, "/healthz").body(), "ok");
}

TEST_F(HttpServerTest, BodyTooLargeIs413) {
  Client c(port);
  c.writeRaw(
      "POST /whip/room1 HTTP/1.1\r\nHost: x\r\nContent-Type: application/sdp\r\n"
      "Content-Length: 1048577\r\n\r\n");
  EXPECT_EQ(c.read().result_int(), 413);
  Client chunked(port);  // no Content-Length: the limit applies while reading
  chunked.writeRaw("POST /whip/room1 HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n" +
                   std::string("100001\r\n") + std::string(0x100001, 'a') + "\r\n0\r\n\r\n");
  EXPECT_EQ(chunked.read().result_int(), 413);
}

TEST_F(HttpServerTest, ExpectContinueGetsInterimResponse) {
  Client c(port);
  c.writeRaw(
      "POST /whip/room1 HTTP/1.1\r\nHost: x\r\nContent-Type: application/sdp\r\n"
      "Authorization: " +
      token("room1") + "\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n");
  auto interim = c.read();
  EXPECT_EQ(interim.result_int(), 100);
  c.writeRaw("v=0\r\n");
  EXPECT_EQ(c.read().result_int(), 201);
}

TEST_F(HttpServerTest, MalformedRequestIs400) {
  Client c(port);
  c.writeRaw("GET / HTTP/1.1\r\nBad Header\r\n\r\n");
  EXPECT_EQ(c.read().result_int(), 400);
}

TEST(HttpServer, StopIsIdempotentAndPortInUseThrows) {
  Router router;
  HttpServer a(router, HttpServerOptions{.bindAddress = "127.0.0.1", .port = 0});
  uint16_t port = a.start();
  HttpServer b(router, HttpServerOptions{.bindAddress = "127.0.0.1", .port = port});
  EXPECT_ANY_THROW(b.start());
  a.stop();
  a.stop();
}

}  // namespace
}  // namespace rc::api
