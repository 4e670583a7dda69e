// ICE-lite responder against a request built by libnice's own ICE usage, as a
// browser would send it (RFC 8445 §7.2.2, RFC 8489 §14.5/§14.7).
#include <gtest/gtest.h>
#include <stun/stunagent.h>
#include <stun/usages/ice.h>

#include <cstring>
#include <string>

#include "engine/stun/ice_lite.h"

namespace rc::stun {
namespace {

struct Client {
  StunAgent agent{};
  Client() {
    stun_agent_init(&agent, STUN_ALL_KNOWN_ATTRIBUTES, STUN_COMPATIBILITY_RFC5389,
                    static_cast<StunAgentUsageFlags>(STUN_AGENT_USAGE_SHORT_TERM_CREDENTIALS |
                                                     STUN_AGENT_USAGE_USE_FINGERPRINT));
  }
  size_t request(uint8_t* buf, size_t cap, const std::string& user, const std::string& pwd,
                 bool use) {
    StunMessage msg{};
    return stun_usage_ice_conncheck_create(
        &agent, &msg, buf, cap, reinterpret_cast<const uint8_t*>(user.data()), user.size(),
        reinterpret_cast<const uint8_t*>(pwd.data()), pwd.size(), use, true, 12345,
        0x1122334455667788ull, nullptr, STUN_USAGE_ICE_COMPATIBILITY_RFC5245);
  }
};

struct Fixture : ::testing::Test {
  IceLiteResponder responder;
  Credentials creds{"srvufrag", "server-password-0123456789", nullptr};
  IceLiteResponder::Lookup lookup = [this](std::string_view u) -> const Credentials* {
    return u == creds.localUfrag ? &creds : nullptr;
  };
  io::SocketAddress from = io::SocketAddress::ipv4("127.0.0.1", 40000);
  Client client;
  uint8_t req[512];
  uint8_t resp[512];
};

TEST_F(Fixture, AnswersValidRequestWithIntegrityTheClientAccepts) {
  size_t n = client.request(req, sizeof(req), "srvufrag:cli", creds.localPwd, true);
  ASSERT_GT(n, 0u);
  StunResult r = responder.handle({req, n}, from, lookup, resp);
  ASSERT_EQ(r.outcome, StunOutcome::Response);
  EXPECT_TRUE(r.useCandidate);
  EXPECT_EQ(r.credentials, &creds);
  // The client validates our response with the same password.
  StunMessage msg{};
  StunDefaultValidaterData data[] = {{reinterpret_cast<uint8_t*>(const_cast<char*>("srvufrag:cli")),
                                      12, reinterpret_cast<uint8_t*>(creds.localPwd.data()),
                                      creds.localPwd.size()}};
  auto status = stun_agent_validate(&client.agent, &msg, resp, r.responseLength,
                                    stun_agent_default_validater, data);
  ASSERT_EQ(status, STUN_VALIDATION_SUCCESS);
  EXPECT_EQ(stun_message_get_class(&msg), STUN_RESPONSE);
  sockaddr_storage mapped{};
  socklen_t len = sizeof(mapped);
  ASSERT_EQ(stun_message_find_xor_addr(&msg, STUN_ATTRIBUTE_XOR_MAPPED_ADDRESS, &mapped, &len),
            STUN_MESSAGE_RETURN_SUCCESS);
  EXPECT_EQ(io::SocketAddress::fromSockaddr(reinterpret_cast<sockaddr*>(&mapped), len), from);
}

TEST_F(Fixture, UnknownUfragIsRejected) {
  size_t n = client.request(req, sizeof(req), "other:cli", creds.localPwd, false);
  EXPECT_EQ(responder.handle({req, n}, from, lookup, resp).outcome, StunOutcome::UnknownUser);
}

TEST_F(Fixture, WrongPasswordIsRejected) {
  size_t n = client.request(req, sizeof(req), "srvufrag:cli", "not-the-password-000000", false);
  EXPECT_EQ(responder.handle({req, n}, from, lookup, resp).outcome, StunOutcome::BadIntegrity);
}

TEST_F(Fixture, GarbageIsNotStun) {
  uint8_t junk[40];
  std::memset(junk, 0xAB, sizeof(junk));
  junk[0] = 0;
  EXPECT_NE(responder.handle({junk, sizeof(junk)}, from, lookup, resp).outcome,
            StunOutcome::Response);
  EXPECT_EQ(responder.handle({junk, 5}, from, lookup, resp).outcome, StunOutcome::NotStun);
}

}  // namespace
}  // namespace rc::stun
