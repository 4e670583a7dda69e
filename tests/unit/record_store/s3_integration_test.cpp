// The S3 store against a real S3-compatible server (@20minutes/s3rver, which verifies SigV4
// and implements multipart upload) on 127.0.0.1. Exits 77 (ctest SKIP) when node or the npm
// package is missing.
#include <curl/curl.h>
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <chrono>
#include <condition_variable>
#include <csignal>
#include <filesystem>
#include <iostream>
#include <mutex>
#include <span>
#include <thread>

#include "record/store/journal.h"
#include "record/store/s3_store.h"
#include "s3_peer.h"
#include "test_dir.h"

using namespace rc::record;
using namespace std::chrono_literals;
using rc::record::test::S3Peer;
using rc::record::test::TempDir;

namespace {

std::string testBytes(size_t n, uint32_t seed) {
  std::string s(n, '\0');
  for (size_t i = 0; i < n; ++i) {
    seed = seed * 1664525u + 1013904223u;
    s[i] = static_cast<char>(seed >> 24);
  }
  return s;
}

size_t collect(char* d, size_t size, size_t n, void* out) {
  static_cast<std::string*>(out)->append(d, size * n);
  return size * n;
}

// GET through a presigned URL with plain curl (no SigV4 options).
std::string fetch(const std::string& url, long& status) {
  std::string body;
  CURL* c = curl_easy_init();
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &body);
  curl_easy_perform(c);
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
  curl_easy_cleanup(c);
  return body;
}

StoreConfig configFor(const TempDir& dir, const S3Peer& peer, bool staticKeys = true) {
  StoreConfig c;
  c.localDir = dir.path + "/local";
  c.spoolDir = dir.path + "/spool";
  c.s3.bucket = "recordings";
  c.s3.region = "us-east-1";
  c.s3.endpoint = peer.endpoint();
  c.s3.forcePathStyle = true;
  if (staticKeys) c.s3.accessKey = c.s3.secret = "S3RVER";  // s3rver's built-in account
  return c;
}

// Tests never reach the real IMDS address: credentials come from config or this lookup.
std::shared_ptr<CredentialProvider> noImds() {
  return std::make_shared<CredentialProvider>([](const char* name) -> const char* {
    return std::string(name) == "AWS_EC2_METADATA_DISABLED" ? "true" : nullptr;
  });
}

struct Done {
  std::mutex m;
  std::condition_variable cv;
  std::optional<UploadResult> result;
  std::function<void(const UploadResult&)> callback() {
    return [this](const UploadResult& r) {
      std::lock_guard lock(m);
      result = r;
      cv.notify_all();
    };
  }
  bool wait(std::chrono::seconds limit) {
    std::unique_lock lock(m);
    return cv.wait_for(lock, limit, [&] { return result.has_value(); });
  }
};

void writeFragments(FragmentSink& sink, const std::string& data, size_t fragment) {
  for (size_t off = 0; off < data.size(); off += fragment) {
    size_t n = std::min(fragment, data.size() - off);
    sink.append({reinterpret_cast<const uint8_t*>(data.data() + off), n}, true);
  }
}

std::string download(RecordingStore& store, const std::string& key) {
  long status = 0;
  std::string body = fetch(store.downloadUrl(key, 600), status);
  EXPECT_EQ(status, 200) << body.substr(0, 300);
  return body;
}

template <typename Pred>
bool waitFor(Pred pred, std::chrono::seconds limit) {
  auto until = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < until) {
    if (pred()) return true;
    std::this_thread::sleep_for(100ms);
  }
  return pred();
}

}  // namespace

TEST(S3Store, MultipartListAndPresignedGet) {
  TempDir dir;
  S3Peer peer(dir.path + "/s3");
  ASSERT_TRUE(peer.start());
  auto store = makeS3Store(configFor(dir, peer), noImds());
  const std::string data = testBytes(12 << 20, 1);  // 12 MiB: parts of >= 5 MiB, 5 MiB, 2 MiB
  Done done;
  auto sink = store->open("room1/alice.mp4", "video/mp4", std::nullopt, done.callback());
  writeFragments(*sink, data, 256 << 10);
  sink->finish();
  ASSERT_TRUE(done.wait(60s));
  ASSERT_TRUE(done.result->ok) << done.result->error;
  EXPECT_EQ(done.result->location, "s3://recordings/room1/alice.mp4");
  EXPECT_EQ(done.result->size, data.size());
  StoreStats st = store->stats();
  EXPECT_GE(st.partsUploaded, 3u);
  EXPECT_EQ(st.bytesUploaded, data.size());
  EXPECT_EQ(st.pendingBytes, 0u);
  auto listed = store->list("room1/");
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].key, "room1/alice.mp4");
  EXPECT_EQ(listed[0].size, data.size());
  EXPECT_GT(listed[0].lastModifiedMs, 0);
  EXPECT_TRUE(store->list("nobody/").empty());
  EXPECT_TRUE(download(*store, "room1/alice.mp4") == data);
  std::cout << "multipart: " << st.partsUploaded << " parts, " << st.bytesUploaded << " bytes\n";
  // Nothing left in the spool once the object is complete.
  EXPECT_TRUE(std::filesystem::is_empty(dir.path + "/spool"));
}

TEST(S3Store, SmallFileIsOnePutAndPresignedUrlRejectsTampering) {
  TempDir dir;
  S3Peer peer(dir.path + "/s3");
  ASSERT_TRUE(peer.start());
  auto store = makeS3Store(configFor(dir, peer), noImds());
  Done done;
  auto sink = store->open("small.webm", "video/webm", std::nullopt, done.callback());
  sink->append({reinterpret_cast<const uint8_t*>("abc"), 3}, true);
  sink->finish();
  ASSERT_TRUE(done.wait(30s));
  ASSERT_TRUE(done.result->ok) << done.result->error;
  EXPECT_EQ(store->stats().partsUploaded, 0u);
  EXPECT_EQ(download(*store, "small.webm"), "abc");
  std::string url = store->downloadUrl("small.webm", 600);
  long status = 0;
  fetch(url.substr(0, url.size() - 1) + (url.back() == '0' ? "1" : "0"), status);
  EXPECT_EQ(status, 403);
}

// S3 goes away mid-recording for ~15 s and comes back: the spool covers the gap.
TEST(S3Store, ServerDownThenBackLosesNothing) {
  TempDir dir;
  S3Peer peer(dir.path + "/s3");
  ASSERT_TRUE(peer.start());
  auto store = makeS3Store(configFor(dir, peer), noImds());
  const std::string data = testBytes(14 << 20, 2);
  Done done;
  auto sink = store->open("outage.mp4", "video/mp4", std::nullopt, done.callback());
  writeFragments(*sink, data.substr(0, 6 << 20), 512 << 10);
  ASSERT_TRUE(waitFor([&] { return store->stats().partsUploaded >= 1; }, 30s));
  peer.stop();
  writeFragments(*sink, data.substr(6 << 20), 512 << 10);
  sink->finish();
  std::this_thread::sleep_for(15s);
  EXPECT_FALSE(done.result.has_value());
  EXPECT_GT(store->stats().uploadRetries, 0u);
  EXPECT_GT(store->stats().pendingBytes, 0u);
  ASSERT_TRUE(peer.start());  // same port, same data folder
  ASSERT_TRUE(done.wait(90s));
  ASSERT_TRUE(done.result->ok) << done.result->error;
  EXPECT_TRUE(download(*store, "outage.mp4") == data);
  std::cout << "outage: " << store->stats().uploadRetries << " retries\n";
}

// kill -9 while recording: the next start's recover() completes the object with everything
// up to the last cut point (the torn tail after it is not in the object).
TEST(S3Store, KillNineThenRecoverKeepsUpToTheLastCut) {
  TempDir dir;
  S3Peer peer(dir.path + "/s3");
  ASSERT_TRUE(peer.start());
  const std::string data = testBytes(7 << 20, 3);
  pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    auto store = makeS3Store(configFor(dir, peer), noImds());
    auto sink = store->open("crash/bob.mp4", "video/mp4", std::nullopt, nullptr);
    writeFragments(*sink, data, 512 << 10);
    sink->append({reinterpret_cast<const uint8_t*>("TORN-FRAGMENT"), 13}, false);
    waitFor([&] { return store->stats().partsUploaded >= 1; }, 30s);
    raise(SIGKILL);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
  auto store = makeS3Store(configFor(dir, peer), noImds());
  EXPECT_EQ(store->recover(), 1u);
  ASSERT_TRUE(waitFor([&] { return store->stats().recovered == 1; }, 60s));
  EXPECT_TRUE(download(*store, "crash/bob.mp4") == data);
  EXPECT_TRUE(std::filesystem::is_empty(dir.path + "/spool"));
}

// A recovered journal whose multipart upload id the server does not know: a new upload.
TEST(S3Store, RecoverWithUnknownUploadIdStartsANewUpload) {
  TempDir dir;
  S3Peer peer(dir.path + "/s3");
  ASSERT_TRUE(peer.start());
  const std::string data = testBytes(6 << 20, 4);
  {
    StoreConfig c = configFor(dir, peer);
    std::filesystem::create_directories(c.spoolDir);
    JournalState meta;
    meta.key = "stale.mp4";
    meta.bucket = c.s3.bucket;
    meta.region = c.s3.region;
    meta.endpoint = c.s3.endpoint;
    meta.pathStyle = true;
    std::ofstream(c.spoolDir + "/0123456789abcdef.spool", std::ios::binary) << data;
    std::ofstream(c.spoolDir + "/0123456789abcdef.journal")
        << journalHeader(meta) << journalUpload("no-such-upload")
        << journalPart({1, 0, 5 << 20, "\"x\""}) << journalCut(5 << 20) << journalCut(6 << 20);
  }
  auto store = makeS3Store(configFor(dir, peer), noImds());
  EXPECT_EQ(store->recover(), 1u);
  ASSERT_TRUE(waitFor([&] { return store->stats().recovered == 1; }, 60s));
  EXPECT_TRUE(download(*store, "stale.mp4") == data);
}

// Instance-role credentials from a fake IMDSv2 on loopback, fetched again after they expire.
TEST(S3Store, InstanceRoleCredentialsAreUsedAndRefreshed) {
  TempDir dir;
  S3Peer peer(dir.path + "/s3", true, 4);
  ASSERT_TRUE(peer.start());
  std::string endpoint = "http://127.0.0.1:" + std::to_string(peer.imdsPort());
  auto creds = std::make_shared<CredentialProvider>([endpoint](const char* name) -> const char* {
    return std::string(name) == "AWS_EC2_METADATA_SERVICE_ENDPOINT" ? endpoint.c_str() : nullptr;
  });
  creds->setRefreshMarginSec(1);
  auto store = makeS3Store(configFor(dir, peer, false), creds);
  for (const char* key : {"role/one.mp4", "role/two.mp4"}) {
    Done done;
    auto sink = store->open(key, "video/mp4", std::nullopt, done.callback());
    sink->append({reinterpret_cast<const uint8_t*>(key), strlen(key)}, true);
    sink->finish();
    ASSERT_TRUE(done.wait(30s));
    ASSERT_TRUE(done.result->ok) << done.result->error;
    std::this_thread::sleep_for(4s);  // past Expiration - margin
  }
  EXPECT_GE(creds->imdsFetches(), 2u);
  EXPECT_EQ(store->list("role/").size(), 2u);
  EXPECT_EQ(download(*store, "role/two.mp4"), "role/two.mp4");
  auto url = store->downloadUrl("role/two.mp4", 60);
  EXPECT_NE(url.find("X-Amz-Security-Token=session"), std::string::npos);
  EXPECT_NE(url.find("ROLEKEY"), std::string::npos);
}

int main(int argc, char** argv) {
  std::string probe = S3Peer::nodeBinary() + " -e \"require.resolve('@20minutes/s3rver', " +
                      "{paths: ['" + std::string(RC_E2E_DIR) + "']})\" >/dev/null 2>&1";
  if (std::system(probe.c_str()) != 0) {
    std::cout << "skipped: node or tests/e2e/node_modules/@20minutes/s3rver missing "
                 "(cd tests/e2e && npm ci)\n";
    return 77;
  }
  signal(SIGPIPE, SIG_IGN);
  curl_global_init(CURL_GLOBAL_DEFAULT);
  ::testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
