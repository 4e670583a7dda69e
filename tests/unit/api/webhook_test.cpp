// Webhook signing (what livekit-server-sdk's WebhookReceiver checks), URL parsing, and the
// notifier's delivery, retry, give-up and drop paths against a local TCP receiver.
#include "api/webhook.h"

#include <gtest/gtest.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/write.hpp>

#include "crypto/jwt.h"

namespace rc::api {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

TEST(Webhook, BodyHashAndAuthorization) {
  // SHA-256 of the empty string (FIPS 180-4 test vector), base64 with padding.
  EXPECT_EQ(sha256Base64(""), "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=");
  std::string auth = webhookAuthorization("APIk", "sec", R"({"event":"x"})", 1000);
  auto verified = crypto::verifyHs256(auth, "sec");
  ASSERT_TRUE(verified.claims);
  EXPECT_EQ((*verified.claims)["iss"], "APIk");
  EXPECT_EQ((*verified.claims)["sha256"], sha256Base64(R"({"event":"x"})"));
  EXPECT_GT((*verified.claims)["exp"].get<int64_t>(), 1000);
  EXPECT_FALSE(crypto::verifyHs256(auth, "other").claims);
}

TEST(Webhook, ParsesHttpUrls) {
  auto u = parseHttpUrl("http://example.org:8080/hook?a=1");
  ASSERT_TRUE(u);
  EXPECT_EQ(u->host, "example.org");
  EXPECT_EQ(u->port, "8080");
  EXPECT_EQ(u->target, "/hook?a=1");
  auto d = parseHttpUrl("http://[::1]");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->host, "::1");
  EXPECT_EQ(d->port, "80");
  EXPECT_EQ(d->target, "/");
  auto s = parseHttpUrl("https://hooks.example/in");
  ASSERT_TRUE(s);
  EXPECT_TRUE(s->tls);
  EXPECT_EQ(s->port, "443");
  for (const char* bad : {"ftp://x/", "http://", "http://:80/", "http://h:x/", "ftp://h",
                          "http://user@h/", "http://[::1/"}) {
    EXPECT_FALSE(parseHttpUrl(bad)) << bad;
  }
}

// Accepts `n` connections, answering each with the next status in `statuses`, and keeps the
// requests it read.
class Receiver {
 public:
  explicit Receiver(std::vector<int> statuses)
      : acceptor_(ioc_, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)),
        statuses_(std::move(statuses)) {
    thread_ = std::thread([this] { serve(); });
  }
  ~Receiver() { wait(); }
  void wait() {  // until every expected request was answered
    if (thread_.joinable()) thread_.join();
  }
  std::string url() const {
    return "http://127.0.0.1:" + std::to_string(acceptor_.local_endpoint().port()) + "/hook";
  }
  std::vector<std::string> requests;

 private:
  void serve() {
    for (int status : statuses_) {
      tcp::socket s(ioc_);
      acceptor_.accept(s);
      asio::streambuf buf;
      boost::system::error_code ec;
      asio::read_until(s, buf, "\r\n\r\n", ec);
      std::string head(asio::buffers_begin(buf.data()), asio::buffers_end(buf.data()));
      requests.push_back(head);
      std::string res = "HTTP/1.1 " + std::to_string(status) +
                        " X\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
      asio::write(s, asio::buffer(res), ec);
    }
  }
  asio::io_context ioc_;
  tcp::acceptor acceptor_;
  std::vector<int> statuses_;
  std::thread thread_;
};

template <typename Pred>
bool eventually(Pred pred) {
  for (int i = 0; i < 500 && !pred(); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  return pred();
}

RoomEvent event() {
  return {"room_started", RoomInfo{"RM_1", "r", "", 300, 0, 1000, 0, 0}, {}, {}};
}

TEST(Webhook, DeliversAndRetriesAfterAFailure) {
  Receiver rx({503, 200});
  WebhookNotifier n({{rx.url()}, "APIk", "sec", 16, 3, std::chrono::milliseconds(20)});
  n.notify(event());
  ASSERT_TRUE(eventually([&] { return n.stats().delivered == 1; }));
  EXPECT_EQ(n.stats().retries, 1u);
  EXPECT_EQ(n.stats().failed, 0u);
  n.stop();
  rx.wait();
  ASSERT_EQ(rx.requests.size(), 2u);
  EXPECT_NE(rx.requests[1].find("Content-Type: application/webhook+json"), std::string::npos);
  EXPECT_NE(rx.requests[1].find("Authorization: ey"), std::string::npos);
  EXPECT_NE(rx.requests[1].find("POST /hook HTTP/1.1"), std::string::npos);
}

TEST(Webhook, GivesUpAndDropsWithoutBlocking) {
  Receiver rx({500, 500});
  WebhookNotifier n({{rx.url()}, "APIk", "sec", 1, 2, std::chrono::milliseconds(10)});
  n.notify(event());
  ASSERT_TRUE(eventually([&] { return n.stats().failed == 1; }));
  EXPECT_EQ(n.stats().delivered, 0u);
  // A queue of one: while one event waits, the next is dropped (and counted), not blocked on.
  WebhookNotifier dead(
      {{"http://127.0.0.1:9/x"}, "APIk", "sec", 1, 50, std::chrono::milliseconds(5000)});
  auto t0 = std::chrono::steady_clock::now();
  for (int i = 0; i < 5; ++i) dead.notify(event());
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::milliseconds(500));
  EXPECT_GE(dead.stats().dropped, 3u);
}

}  // namespace
}  // namespace rc::api
