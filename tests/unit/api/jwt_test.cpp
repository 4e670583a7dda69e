#include "crypto/jwt.h"

#include <gtest/gtest.h>

namespace rc::crypto {
namespace {

TEST(Base64Url, RoundTripsAllLengths) {
  std::string data;
  for (int i = 0; i < 70; ++i) {
    auto enc = base64UrlEncode(data);
    EXPECT_EQ(enc.find_first_of("+/="), std::string::npos);
    auto dec = base64UrlDecode(enc);
    ASSERT_TRUE(dec) << i;
    EXPECT_EQ(*dec, data);
    data.push_back(static_cast<char>(i * 37 + 250));
  }
}

TEST(Base64Url, KnownVectors) {  // RFC 4648 §10, url alphabet, no padding
  EXPECT_EQ(base64UrlEncode(std::string_view("foobar")), "Zm9vYmFy");
  EXPECT_EQ(base64UrlEncode(std::string_view("fo")), "Zm8");
  EXPECT_EQ(base64UrlEncode(std::string_view("\xfb\xff")), "-_8");
  EXPECT_EQ(*base64UrlDecode("-_8"), "\xfb\xff");
}

TEST(Base64Url, RejectsBadInput) {
  EXPECT_FALSE(base64UrlDecode("Zm9v+mFy"));
  EXPECT_FALSE(base64UrlDecode("Zm8="));
  EXPECT_FALSE(base64UrlDecode("Z"));
  EXPECT_FALSE(base64UrlDecode("Zm9"));  // non-zero trailing bits ("Zm8" is canonical)
}

TEST(Hmac, Rfc4231TestCase2) {
  std::string mac = hmacSha256("Jefe", "what do ya want for nothing?");
  EXPECT_EQ(base64UrlEncode(mac), "W9zBRr9gdU5qBCQmCJV1x1oAPwidJzmDnexYuWTsOEM");
}

TEST(Jwt, SignAndVerify) {
  nlohmann::json claims = {{"sub", "alice"}, {"exp", 123}};
  std::string token = signHs256(claims, "secret");
  auto ok = verifyHs256(token, "secret");
  ASSERT_TRUE(ok.claims);
  EXPECT_EQ((*ok.claims)["sub"], "alice");
  auto bad = verifyHs256(token, "other");
  EXPECT_FALSE(bad.claims);
  EXPECT_EQ(bad.error, JwtError::kBadSignature);
}

TEST(Jwt, KnownTokenFromJwtIo) {
  // HS256 example token with secret "your-256-bit-secret".
  const char* token =
      "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9."
      "eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0"
      "IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c";
  auto r = verifyHs256(token, "your-256-bit-secret");
  ASSERT_TRUE(r.claims);
  EXPECT_EQ((*r.claims)["name"], "John Doe");
}

TEST(Jwt, RejectsAlgNoneAndMalformed) {
  std::string payload = base64UrlEncode(std::string_view(R"({"sub":"x"})"));
  std::string none = base64UrlEncode(std::string_view(R"({"alg":"none"})")) + "." + payload + ".";
  EXPECT_EQ(verifyHs256(none, "s").error, JwtError::kBadAlgorithm);
  EXPECT_EQ(verifyHs256("a.b", "s").error, JwtError::kMalformed);
  EXPECT_EQ(verifyHs256("a.b.c.d", "s").error, JwtError::kMalformed);
  EXPECT_EQ(verifyHs256("!!.!!.!!", "s").error, JwtError::kMalformed);
  std::string token = signHs256({{"a", 1}}, "s");
  token.back() = token.back() == 'A' ? 'B' : 'A';
  EXPECT_FALSE(verifyHs256(token, "s").claims);
}

TEST(ConstantTimeEqual, ComparesContentAndLength) {
  EXPECT_TRUE(constantTimeEqual("abc", "abc"));
  EXPECT_FALSE(constantTimeEqual("abc", "abd"));
  EXPECT_FALSE(constantTimeEqual("abc", "ab"));
}

}  // namespace
}  // namespace rc::crypto
