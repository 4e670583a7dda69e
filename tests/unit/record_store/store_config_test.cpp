#include "record/store/store_config.h"

#include <gtest/gtest.h>

using namespace rc::record;

TEST(StoreConfigFrom, CopiesTheRecordingSection) {
  rc::api::Config c;
  c.recordingDir = "/rec";
  StoreConfig s = storeConfigFrom(c);
  EXPECT_EQ(s.localDir, "/rec");
  EXPECT_EQ(s.spoolDir, "/rec/.spool");
  EXPECT_TRUE(s.s3.bucket.empty());
  c.recording.spoolDir = "/spool";
  c.recording.s3.bucket = "b";
  c.recording.s3.endpoint = "http://127.0.0.1:9";
  c.recording.s3.secret = "s";
  c.recording.s3.forcePathStyle = true;
  s = storeConfigFrom(c);
  EXPECT_EQ(s.spoolDir, "/spool");
  EXPECT_EQ(s.s3.bucket, "b");
  EXPECT_EQ(s.s3.endpoint, "http://127.0.0.1:9");
  EXPECT_EQ(s.s3.secret, "s");
  EXPECT_TRUE(s.s3.forcePathStyle);
  EXPECT_EQ(s.partBytes, 5 << 20);
}
