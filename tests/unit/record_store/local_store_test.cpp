#include "record/store/local_store.h"

#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <span>

#include "test_dir.h"

using namespace rc::record;
using rc::record::test::readFile;
using rc::record::test::TempDir;

namespace {

std::span<const uint8_t> bytes(const std::string& s) {
  return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

StoreConfig configIn(const TempDir& d) {
  StoreConfig c;
  c.localDir = d.path + "/out";
  c.spoolDir = d.path + "/spool";
  return c;
}

}  // namespace

TEST(LocalStore, FinishedFileLandsInTheFolderAndIsListed) {
  TempDir dir;
  auto store = makeRecordingStore(configIn(dir));
  UploadResult result;
  auto sink = store->open("room/a.mp4", "video/mp4", std::nullopt,
                          [&](const UploadResult& r) { result = r; });
  sink->append(bytes("HEADER"), true);
  sink->append(bytes("frag1"), false);
  sink->append(bytes("more"), true);
  sink->finish();
  EXPECT_TRUE(result.ok) << result.error;
  EXPECT_EQ(result.size, 15u);
  EXPECT_EQ(readFile(dir.path + "/out/room/a.mp4"), "HEADERfrag1more");
  EXPECT_EQ(result.location, "file://" + dir.path + "/out/room/a.mp4");
  auto listed = store->list("room/");
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].key, "room/a.mp4");
  EXPECT_EQ(listed[0].size, 15u);
  EXPECT_TRUE(store->list("other/").empty());
  EXPECT_EQ(store->downloadUrl("room/a.mp4", 3600), "/recordings/room/a.mp4");
  EXPECT_EQ(store->stats().bytesSpooled, 15u);
  EXPECT_EQ(store->stats().pendingBytes, 0u);
}

TEST(LocalStore, AbortKeepsOnlyUpToTheLastCutPoint) {
  TempDir dir;
  auto store = makeRecordingStore(configIn(dir));
  UploadResult result;
  auto sink =
      store->open("b.webm", "video/webm", std::nullopt, [&](const UploadResult& r) { result = r; });
  sink->append(bytes("HEAD"), true);
  sink->append(bytes("torn"), false);
  sink->abort("test");
  EXPECT_TRUE(result.ok);
  EXPECT_EQ(readFile(dir.path + "/out/b.webm"), "HEAD");
}

TEST(LocalStore, UnsafeKeysAreRefused) {
  TempDir dir;
  auto store = makeRecordingStore(configIn(dir));
  EXPECT_THROW(store->open("../x", "", std::nullopt, nullptr), std::invalid_argument);
  EXPECT_THROW(store->open("/abs", "", std::nullopt, nullptr), std::invalid_argument);
  EXPECT_TRUE(isSafeKey("room/a.mp4"));
}

// kill -9 in the middle of a recording: the next start publishes everything up to the last
// journaled cut point, and not the torn tail.
TEST(LocalStore, RecoverAfterKillNineKeepsUpToTheLastCut) {
  TempDir dir;
  pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    auto store = makeRecordingStore(configIn(dir));
    auto sink = store->open("crash.mp4", "video/mp4", std::nullopt, nullptr);
    sink->append(bytes("HEADER"), true);
    sink->append(bytes("FRAG1"), true);
    sink->append(bytes("TORN"), false);
    raise(SIGKILL);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status));
  auto store = makeRecordingStore(configIn(dir));
  EXPECT_EQ(store->recover(), 1u);
  EXPECT_EQ(readFile(dir.path + "/out/crash.mp4"), "HEADERFRAG1");
  EXPECT_EQ(store->stats().recovered, 1u);
  EXPECT_EQ(store->recover(), 0u);  // nothing left in the spool
}

// A file-size quota (RLIMIT_FSIZE, EFBIG) stands in for a full disk: the write fails, the
// error is counted and reported, the file keeps what reached the last cut point.
TEST(LocalStore, WriteErrorsFailLoudlyAndKeepTheLastCut) {
  TempDir dir;
  auto store = makeRecordingStore(configIn(dir));
  UploadResult result;
  auto sink = store->open("quota.mp4", "video/mp4", std::nullopt,
                          [&](const UploadResult& r) { result = r; });
  std::string chunk(40 << 10, 'x');
  signal(SIGXFSZ, SIG_IGN);
  rlimit old{};
  getrlimit(RLIMIT_FSIZE, &old);
  rlimit small = old;
  small.rlim_cur = 64 << 10;
  setrlimit(RLIMIT_FSIZE, &small);
  sink->append(bytes(chunk), true);
  sink->append(bytes(chunk), true);  // crosses the quota
  sink->append(bytes("after"), true);
  setrlimit(RLIMIT_FSIZE, &old);
  sink->finish();
  EXPECT_FALSE(result.ok);
  EXPECT_NE(result.error.find("File too large"), std::string::npos) << result.error;
  EXPECT_EQ(store->stats().spoolErrors, 1u);
  EXPECT_EQ(readFile(dir.path + "/out/quota.mp4").size(), chunk.size());
}
