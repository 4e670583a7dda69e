#include "bench/loadgen/ice_controller.h"

#include <gtest/gtest.h>
#include <netinet/in.h>

#include <array>
#include <cstring>
#include <vector>

#include "engine/stun/ice_lite.h"

namespace rc::bench {
namespace {

// The load generator's client against the server's own ICE-lite responder.
class IceControllerTest : public ::testing::Test {
 protected:
  IceControllerTest() : client_("cufrag", "client-password-0123456789", "sufrag", kServerPwd) {
    creds_.localUfrag = "sufrag";
    creds_.localPwd = kServerPwd;
    from_ = io::SocketAddress::fromSockaddr(reinterpret_cast<const sockaddr*>(&clientAddr()),
                                            sizeof(sockaddr_in));
  }

  static const sockaddr_in& clientAddr() {
    static sockaddr_in a = [] {
      sockaddr_in s{};
      s.sin_family = AF_INET;
      s.sin_port = htons(40000);
      s.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
      return s;
    }();
    return a;
  }

  // The server's answer to `request`.
  std::vector<uint8_t> answer(std::span<const uint8_t> request) {
    std::array<uint8_t, 512> out{};
    stun::StunResult r = server_.handle(
        request, from_, [this](std::string_view) { return &creds_; }, out);
    EXPECT_EQ(r.outcome, stun::StunOutcome::Response);
    return {out.begin(), out.begin() + static_cast<long>(r.responseLength)};
  }

  IceController::Outcome deliver(std::vector<uint8_t> response) {
    sockaddr_storage from{};
    std::memcpy(&from, &clientAddr(), sizeof(sockaddr_in));
    std::array<uint8_t, 512> reply{};
    size_t replyLength = 0;
    return client_.handle(response, from, sizeof(sockaddr_in), reply, replyLength);
  }

  static constexpr const char* kServerPwd = "server-password-0123456789";
  IceController client_;
  stun::IceLiteResponder server_;
  stun::Credentials creds_;
  io::SocketAddress from_;
};

TEST_F(IceControllerTest, ARetransmissionIsTheSameRequest) {
  std::array<uint8_t, 512> first{}, again{};
  size_t len = client_.buildCheck(first, true);
  ASSERT_GT(len, 20u);
  ASSERT_EQ(client_.retransmitCheck(again), len);
  EXPECT_EQ(std::memcmp(first.data(), again.data(), len), 0);
}

TEST_F(IceControllerTest, ALateAnswerToAnyCopyCompletesTheCheck) {
  std::array<uint8_t, 512> check{}, copy{};
  size_t len = client_.buildCheck(check, true);
  std::vector<uint8_t> late = answer({check.data(), len});  // answered, but not yet delivered
  ASSERT_EQ(client_.retransmitCheck(copy), len);            // the client's timer fires
  EXPECT_EQ(deliver(late), IceController::Outcome::Success);
  EXPECT_EQ(client_.retransmitCheck(copy), 0u);  // nothing pending any more
}

TEST_F(IceControllerTest, ANewTransactionForgetsTheOldOne) {
  std::array<uint8_t, 512> old{}, fresh{};
  size_t oldLen = client_.buildCheck(old, true);
  std::vector<uint8_t> lateForOld = answer({old.data(), oldLen});
  size_t freshLen = client_.buildCheck(fresh, true);
  ASSERT_GT(freshLen, 20u);
  EXPECT_NE(std::memcmp(old.data() + 8, fresh.data() + 8, 12), 0);  // transaction IDs differ
  EXPECT_EQ(deliver(lateForOld), IceController::Outcome::Ignored);
  EXPECT_EQ(deliver(answer({fresh.data(), freshLen})), IceController::Outcome::Success);
}

TEST_F(IceControllerTest, NothingToRetransmitBeforeTheFirstCheck) {
  std::array<uint8_t, 512> out{};
  EXPECT_EQ(client_.retransmitCheck(out), 0u);
}

}  // namespace
}  // namespace rc::bench
