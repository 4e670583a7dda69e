#include "api/token.h"

#include <gtest/gtest.h>

#include "crypto/jwt.h"

namespace rc::api {
namespace {

constexpr int64_t kNow = 1'700'000'000;

class TokenTest : public ::testing::Test {
 protected:
  TokenVerifier verifier{{{"APIkey", "the-secret"}, {"APIother", "other-secret"}}};

  static AccessClaims claims(const std::string& room) {
    AccessClaims c;
    c.identity = "alice";
    c.name = "Alice";
    c.video.roomJoin = true;
    c.video.room = room;
    return c;
  }
  std::variant<AccessClaims, TokenError> check(const std::string& token, int64_t now = kNow) {
    return verifier.verify(token, now);
  }
  static int status(const std::variant<AccessClaims, TokenError>& r) {
    return std::holds_alternative<TokenError>(r) ? std::get<TokenError>(r).status : 200;
  }
};

TEST_F(TokenTest, ValidTokenRoundTrips) {
  auto r = check(issueToken("APIkey", "the-secret", claims("lobby"), 3600, kNow));
  ASSERT_EQ(status(r), 200);
  const auto& c = std::get<AccessClaims>(r);
  EXPECT_EQ(c.identity, "alice");
  EXPECT_EQ(c.name, "Alice");
  EXPECT_EQ(c.apiKey, "APIkey");
  EXPECT_EQ(c.exp, kNow + 3600);
  EXPECT_TRUE(c.video.roomJoin);
  EXPECT_EQ(c.video.room, "lobby");
  EXPECT_FALSE(authorizePublish(c, "lobby"));
  EXPECT_FALSE(authorizeSubscribe(c, "lobby"));
}

TEST_F(TokenTest, ExpiredAndNotYetValid) {
  std::string t = issueToken("APIkey", "the-secret", claims("lobby"), 60, kNow);
  EXPECT_EQ(status(check(t, kNow + 60 + kTokenLeewaySec)), 200);  // within leeway
  auto expired = check(t, kNow + 61 + kTokenLeewaySec);
  EXPECT_EQ(status(expired), 401);
  EXPECT_EQ(std::get<TokenError>(expired).reason, "token expired");
  EXPECT_EQ(status(check(t, kNow - kTokenLeewaySec)), 200);
  auto early = check(t, kNow - kTokenLeewaySec - 1);
  EXPECT_EQ(status(early), 401);
  EXPECT_NE(std::get<TokenError>(early).reason.find("not valid yet"), std::string::npos);
}

TEST_F(TokenTest, WrongSignatureUnknownKeyMalformedMissing) {
  EXPECT_EQ(status(check(issueToken("APIkey", "wrong", claims("r"), 60, kNow))), 401);
  EXPECT_EQ(status(check(issueToken("APInope", "the-secret", claims("r"), 60, kNow))), 401);
  // Signed with another configured key's secret: still a bad signature.
  EXPECT_EQ(status(check(issueToken("APIkey", "other-secret", claims("r"), 60, kNow))), 401);
  EXPECT_EQ(status(check("not-a-jwt")), 401);
  EXPECT_EQ(status(check("")), 401);
  auto noExp = crypto::signHs256({{"iss", "APIkey"}, {"sub", "a"}}, "the-secret");
  EXPECT_EQ(status(check(noExp)), 401);
}

TEST_F(TokenTest, WrongRoomAndMissingGrantAre403) {
  auto c = std::get<AccessClaims>(check(issueToken("APIkey", "the-secret", claims("a"), 60, kNow)));
  auto err = authorizePublish(c, "b");
  ASSERT_TRUE(err);
  EXPECT_EQ(err->status, 403);
  c.video.canPublish = false;
  EXPECT_EQ(authorizePublish(c, "a")->status, 403);
  EXPECT_FALSE(authorizeSubscribe(c, "a"));
  c.video.canSubscribe = false;
  EXPECT_EQ(authorizeSubscribe(c, "a")->status, 403);
  c = claims("a");
  c.video.roomJoin = false;
  EXPECT_EQ(authorizePublish(c, "a")->status, 403);
}

TEST_F(TokenTest, AbsentCanPublishAndCanSubscribeMeanTrue) {
  // As livekit-server-sdk writes it: header {"alg":"HS256"}, nbf 0, only roomJoin and room.
  nlohmann::json payload = {{"iss", "APIkey"},   {"sub", "bob"},
                            {"jti", "bob"},      {"nbf", 0},
                            {"exp", kNow + 100}, {"video", {{"roomJoin", true}, {"room", "x"}}}};
  std::string input = crypto::base64UrlEncode(std::string_view(R"({"alg":"HS256"})")) + "." +
                      crypto::base64UrlEncode(payload.dump());
  std::string token =
      input + "." + crypto::base64UrlEncode(crypto::hmacSha256("the-secret", input));
  auto r = check(token);
  ASSERT_EQ(status(r), 200);
  const auto& c = std::get<AccessClaims>(r);
  EXPECT_TRUE(c.video.canPublish);
  EXPECT_TRUE(c.video.canSubscribe);
  EXPECT_FALSE(authorizePublish(c, "x"));
  EXPECT_FALSE(authorizeSubscribe(c, "x"));
}

TEST_F(TokenTest, IssuedClaimsMatchLiveKitNames) {
  AccessClaims c = claims("r");
  c.video.canPublish = false;
  auto payload = crypto::decodeUnverifiedClaims(issueToken("APIkey", "s", c, 10, kNow));
  ASSERT_TRUE(payload);
  EXPECT_EQ((*payload)["iss"], "APIkey");
  EXPECT_EQ((*payload)["sub"], "alice");
  EXPECT_EQ((*payload)["nbf"], kNow);
  EXPECT_EQ((*payload)["exp"], kNow + 10);
  EXPECT_EQ((*payload)["video"]["roomJoin"], true);
  EXPECT_EQ((*payload)["video"]["room"], "r");
  EXPECT_EQ((*payload)["video"]["canPublish"], false);
}

TEST(BearerToken, ParsesScheme) {
  EXPECT_EQ(bearerToken("Bearer abc"), "abc");
  EXPECT_EQ(bearerToken("bearer  abc "), "abc");
  EXPECT_FALSE(bearerToken("Basic abc"));
  EXPECT_FALSE(bearerToken("Bearer"));
  EXPECT_FALSE(bearerToken("Bearer "));
  EXPECT_FALSE(bearerToken("Bearerabc"));
}

}  // namespace
}  // namespace rc::api
