// The `recording:` section (issue 5) and its environment overrides.
#include <gtest/gtest.h>

#include <map>

#include "api/config.h"

namespace rc::api {
namespace {

TEST(RecordingConfig, ParsesTheSection) {
  Config c = parseConfig(R"(
recording:
  dir: /var/lib/ringcast/recordings
  spool_dir: /var/spool/ringcast
  s3:
    bucket: rec-bucket
    region: eu-west-3
    endpoint: http://127.0.0.1:9000
    access_key: AKIAEXAMPLE
    secret: verysecret
    session_token: tok
    force_path_style: true
)");
  EXPECT_EQ(c.recordingDir, "/var/lib/ringcast/recordings");
  EXPECT_EQ(c.recording.spoolDir, "/var/spool/ringcast");
  EXPECT_EQ(c.recording.s3.bucket, "rec-bucket");
  EXPECT_EQ(c.recording.s3.region, "eu-west-3");
  EXPECT_EQ(c.recording.s3.endpoint, "http://127.0.0.1:9000");
  EXPECT_EQ(c.recording.s3.accessKey, "AKIAEXAMPLE");
  EXPECT_EQ(c.recording.s3.secret, "verysecret");
  EXPECT_EQ(c.recording.s3.sessionToken, "tok");
  EXPECT_TRUE(c.recording.s3.forcePathStyle);
}

TEST(RecordingConfig, DefaultsToTheLocalFolder) {
  Config c = parseConfig("recording_dir: ./rec\n");
  EXPECT_EQ(c.recordingDir, "./rec");
  EXPECT_TRUE(c.recording.s3.bucket.empty());
  EXPECT_FALSE(c.recording.s3.forcePathStyle);
}

TEST(RecordingConfig, UnknownKeysAndBadTypesNameTheKeyNotTheSecret) {
  try {
    parseConfig("recording:\n  s3:\n    secrt: hunter2\n");
    FAIL();
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("recording.s3.secrt"), std::string::npos) << e.what();
    EXPECT_EQ(e.line(), 3);
  }
  try {
    parseConfig("recording:\n  s3:\n    secret: [hunter2]\n");
    FAIL();
  } catch (const ConfigError& e) {
    EXPECT_EQ(std::string(e.what()).find("hunter2"), std::string::npos) << e.what();
  }
  EXPECT_THROW(parseConfig("recording:\n  s3:\n    force_path_style: maybe\n"), ConfigError);
}

TEST(RecordingConfig, EnvironmentOverrides) {
  std::map<std::string, std::string> env = {{"RINGCAST_RECORDING_DIR", "/rec"},
                                            {"RINGCAST_RECORDING_SPOOL_DIR", "/spool"},
                                            {"RINGCAST_S3_BUCKET", "b"},
                                            {"AWS_REGION", "us-west-2"},
                                            {"RINGCAST_S3_ENDPOINT", "http://127.0.0.1:1"},
                                            {"RINGCAST_S3_FORCE_PATH_STYLE", "1"}};
  auto lookup = [&](const char* name) -> const char* {
    auto it = env.find(name);
    return it == env.end() ? nullptr : it->second.c_str();
  };
  Config c;
  applyEnvOverrides(c, lookup);
  EXPECT_EQ(c.recordingDir, "/rec");
  EXPECT_EQ(c.recording.spoolDir, "/spool");
  EXPECT_EQ(c.recording.s3.bucket, "b");
  EXPECT_EQ(c.recording.s3.region, "us-west-2");
  EXPECT_TRUE(c.recording.s3.forcePathStyle);
  env["RINGCAST_S3_REGION"] = "eu-central-1";
  env["RINGCAST_S3_FORCE_PATH_STYLE"] = "yes";
  EXPECT_THROW(applyEnvOverrides(c, lookup), ConfigError);
  EXPECT_EQ(c.recording.s3.region, "eu-central-1");
}

}  // namespace
}  // namespace rc::api
