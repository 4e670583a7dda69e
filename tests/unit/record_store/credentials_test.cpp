#include "record/store/credentials.h"

#include <gtest/gtest.h>

#include <map>

using namespace rc::record;

namespace {
CredentialProvider::EnvLookup envOf(std::map<std::string, std::string> vars) {
  auto shared = std::make_shared<std::map<std::string, std::string>>(std::move(vars));
  return [shared](const char* name) -> const char* {
    auto it = shared->find(name);
    return it == shared->end() ? nullptr : it->second.c_str();
  };
}
}  // namespace

TEST(Credentials, StaticKeysWin) {
  CredentialProvider p(envOf({{"AWS_ACCESS_KEY_ID", "ENV"}, {"AWS_SECRET_ACCESS_KEY", "s"}}));
  rc::api::S3Output out;
  out.accessKey = "CFG";
  out.secret = "x";
  out.sessionToken = "t";
  auto c = p.get(out);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->accessKey, "CFG");
  EXPECT_EQ(c->sessionToken, "t");
}

TEST(Credentials, EnvironmentVariablesNext) {
  CredentialProvider p(envOf({{"AWS_ACCESS_KEY_ID", "ENV"},
                              {"AWS_SECRET_ACCESS_KEY", "s"},
                              {"AWS_SESSION_TOKEN", "tok"}}));
  auto c = p.get({});
  ASSERT_TRUE(c);
  EXPECT_EQ(c->accessKey, "ENV");
  EXPECT_EQ(c->sessionToken, "tok");
  EXPECT_EQ(p.imdsFetches(), 0u);
}

TEST(Credentials, MetadataDisabledGivesNone) {
  CredentialProvider p(envOf({{"AWS_EC2_METADATA_DISABLED", "true"}}));
  EXPECT_FALSE(p.get({}));
  EXPECT_EQ(p.imdsFetches(), 0u);
}

TEST(Credentials, UnreachableImdsGivesNone) {
  // Port 9 on loopback: nothing listens (never the real 169.254.169.254 in tests).
  CredentialProvider p(envOf({{"AWS_EC2_METADATA_SERVICE_ENDPOINT", "http://127.0.0.1:9"}}));
  EXPECT_FALSE(p.get({}));
  EXPECT_EQ(p.imdsFetches(), 1u);
}

TEST(Credentials, ParsesTheRoleDocument) {
  auto c = parseImdsCredentials(
      R"({"Code":"Success","AccessKeyId":"ASIA1","SecretAccessKey":"sec","Token":"tok",)"
      R"("Expiration":"2030-01-01T00:00:00Z"})");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->accessKey, "ASIA1");
  EXPECT_EQ(c->expiresUnix, 1893456000);
  EXPECT_FALSE(parseImdsCredentials("{}"));
  EXPECT_FALSE(parseImdsCredentials("not json"));
}
