#include "record/store/s3_store.h"

#include <pthread.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <list>
#include <mutex>
#include <thread>

#include "record/store/local_store.h"
#include "record/store/s3_request.h"
#include "record/store/s3_xml.h"
#include "record/store/sigv4.h"
#include "record/store/spool_sink.h"
#include "record/store/upload_plan.h"

namespace rc::record {
namespace {

using Clock = std::chrono::steady_clock;
constexpr int kMaxClientErrors = 6;
constexpr int kMaxUploadIdErrors = 4;  // server errors in a row on one upload id: start anew

// Uploader-thread state of one recording (fields marked "shared" are guarded by the mutex).
struct Upload {
  std::shared_ptr<SpooledRecording> rec;
  S3Target target;
  std::vector<uint64_t> cuts;  // shared
  bool finished = false;       // shared
  uint64_t end = 0;            // shared
  std::string uploadId;
  std::vector<std::string> etags;
  uint64_t uploaded = 0;
  std::unique_ptr<S3Request> inflight;
  UploadStep step;
  int failures = 0, clientErrors = 0, uploadErrors = 0;
  Clock::time_point retryAt{};
  bool recoveredUpload = false;
};

class S3Core final : public SinkOwner, public std::enable_shared_from_this<S3Core> {
 public:
  S3Core(StoreConfig config, std::shared_ptr<CredentialProvider> creds)
      : config_(std::move(config)), creds_(std::move(creds)), multi_(curl_multi_init()) {}
  ~S3Core() override { curl_multi_cleanup(multi_); }

  void start() {
    thread_ = std::thread([this] { run(); });
  }
  void stop() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    curl_multi_wakeup(multi_);
    if (thread_.joinable()) thread_.join();
    for (auto& u : uploads_) {
      if (u->inflight) curl_multi_remove_handle(multi_, u->inflight->handle());
      u->inflight.reset();
    }
  }

  void add(std::unique_ptr<Upload> u) {
    {
      std::lock_guard lock(mutex_);
      incoming_.push_back(std::move(u));
    }
    curl_multi_wakeup(multi_);
  }

  void cutReached(const std::shared_ptr<SpooledRecording>& r, uint64_t offset) override {
    withUpload(r, [&](Upload& u) { u.cuts.push_back(offset); });
  }
  void ended(const std::shared_ptr<SpooledRecording>& r, uint64_t end) override {
    withUpload(r, [&](Upload& u) {
      u.finished = true;
      u.end = end;
    });
  }
  StoreCounters& counters() override { return counters_; }
  const StoreConfig& config() const { return config_; }
  CredentialProvider& credentials() { return *creds_; }

 private:
  template <typename F>
  void withUpload(const std::shared_ptr<SpooledRecording>& r, F&& f) {
    {
      std::lock_guard lock(mutex_);
      for (auto& u : incoming_) {
        if (u->rec == r) f(*u);
      }
      for (auto& u : uploads_) {
        if (u->rec == r) f(*u);
      }
    }
    curl_multi_wakeup(multi_);
  }

  void run() {
    pthread_setname_np(pthread_self(), "rc-s3-upload");  // named for top(1) and the bench
    while (true) {
      {
        std::lock_guard lock(mutex_);
        if (stopping_) return;
        for (auto& u : incoming_) uploads_.push_back(std::move(u));
        incoming_.clear();
      }
      startDueRequests();
      int running = 0;
      curl_multi_perform(multi_, &running);
      collectFinished();
      curl_multi_poll(multi_, nullptr, 0, pollTimeoutMs(), nullptr);
    }
  }

  int pollTimeoutMs() {
    auto next = Clock::now() + std::chrono::seconds(1);
    for (auto& u : uploads_) {
      if (!u->inflight && u->retryAt > Clock::now()) next = std::min(next, u->retryAt);
    }
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(next - Clock::now()).count();
    return static_cast<int>(std::max<int64_t>(ms, 0));
  }

  void startDueRequests() {
    auto now = Clock::now();
    for (auto& u : uploads_) {
      if (u->inflight || u->retryAt > now) continue;
      UploadStep step;
      {
        std::lock_guard lock(mutex_);
        UploadProgress p{&u->cuts,
                         u->finished,
                         u->end,
                         !u->uploadId.empty(),
                         u->uploaded,
                         static_cast<int>(u->etags.size()),
                         static_cast<uint64_t>(config_.partBytes)};
        step = planNextUpload(p);
      }
      if (step.action != UploadAction::None) launch(*u, step);
    }
  }

  void launch(Upload& u, const UploadStep& step) {
    auto creds = creds_->get(u.rec->out);
    if (!creds) return retryLater(u, "no credentials (static, environment or instance role)");
    std::string body, query, method = "PUT";
    const std::string& key = u.rec->meta.key;
    switch (step.action) {
      case UploadAction::Create:
        method = "POST";
        query = "uploads=";
        break;
      case UploadAction::UploadPart:
        query = "partNumber=" + std::to_string(u.etags.size() + 1) +
                "&uploadId=" + sigv4::uriEncode(u.uploadId, false);
        [[fallthrough]];
      case UploadAction::Put: {
        std::string error;
        if (!u.rec->spool->read(step.from, step.to - step.from, body, error)) {
          counters_.spoolErrors++;
          return retryLater(u, error);
        }
        break;
      }
      case UploadAction::Complete:
        method = "POST";
        query = "uploadId=" + sigv4::uriEncode(u.uploadId, false);
        body = s3xml::completeBody(u.etags);
        break;
      case UploadAction::None:
        return;
    }
    std::string ctype = step.action == UploadAction::Complete     ? "application/xml"
                        : step.action == UploadAction::UploadPart ? ""
                                                                  : u.rec->meta.contentType;
    u.inflight =
        std::make_unique<S3Request>(u.target, *creds, method, key, query, std::move(body), ctype);
    u.step = step;
    curl_multi_add_handle(multi_, u.inflight->handle());
  }

  void collectFinished() {
    int left = 0;
    while (CURLMsg* msg = curl_multi_info_read(multi_, &left)) {
      if (msg->msg != CURLMSG_DONE) continue;
      for (auto it = uploads_.begin(); it != uploads_.end(); ++it) {
        Upload& u = **it;
        if (!u.inflight || u.inflight->handle() != msg->easy_handle) continue;
        u.inflight->setResult(msg->data.result);
        curl_multi_remove_handle(multi_, msg->easy_handle);
        auto req = std::move(u.inflight);
        if (handleResponse(u, *req)) {
          std::lock_guard lock(mutex_);  // sinks look uploads up under the mutex
          uploads_.erase(it);
        }
        break;
      }
    }
  }

  // Returns true when the recording is done (completed or failed for good).
  bool handleResponse(Upload& u, const S3Request& req) {
    std::string errorCode = s3xml::parseErrorCode(req.response());
    if (req.ok() && errorCode.empty()) {
      u.failures = u.clientErrors = u.uploadErrors = 0;
      return advance(u, req);
    }
    long status = req.curlCode() == CURLE_OK ? req.status() : 0;
    bool onUpload =
        u.step.action == UploadAction::UploadPart || u.step.action == UploadAction::Complete;
    // The server answered, repeatedly, with an error about this upload id. AWS says
    // NoSuchUpload (404) when it was aborted or expired; s3rver answers 500 for an id it does
    // not know (e.g. from a journal after its restart). Either way the spool still holds the
    // whole object, so a new multipart upload loses nothing.
    if (onUpload && status != 0 && ++u.uploadErrors >= kMaxUploadIdErrors) {
      errorCode = "NoSuchUpload";
    }
    if (errorCode == "NoSuchUpload") {
      spdlog::warn("recorder: upload id of '{}' is not usable ({}); starting a new upload",
                   u.rec->meta.key, req.describe());
      u.uploadErrors = 0;
      u.uploadId.clear();
      u.etags.clear();
      u.uploaded = 0;
      return false;
    }
    bool transient = status == 0 || status >= 500 || status == 429 || status == 408;
    if (!transient && ++u.clientErrors >= kMaxClientErrors) {
      return failForGood(u, req.describe());
    }
    retryLater(u, req.describe());
    return false;
  }

  bool advance(Upload& u, const S3Request& req) {
    std::string error;
    switch (u.step.action) {
      case UploadAction::Create: {
        auto id = s3xml::parseUploadId(req.response());
        if (!id) {
          retryLater(u, "CreateMultipartUpload answer has no UploadId");
          return false;
        }
        u.uploadId = *id;
        u.etags.clear();
        u.uploaded = 0;
        if (!u.rec->spool->note(journalUpload(u.uploadId), true, error)) noteError(u, error);
        return false;
      }
      case UploadAction::UploadPart: {
        JournalPart part{static_cast<int>(u.etags.size()) + 1, u.step.from, u.step.to - u.step.from,
                         req.etag()};
        u.etags.push_back(req.etag());
        u.uploaded = u.step.to;
        uploadedBytes(part.length);
        counters_.partsUploaded++;
        // Cut points stay (8 bytes per fragment): after a new upload id they place the parts.
        if (!u.rec->spool->note(journalPart(part), true, error)) noteError(u, error);
        return false;
      }
      case UploadAction::Put:
        uploadedBytes(u.step.to);
        return complete(u, u.step.to);
      case UploadAction::Complete:
        return complete(u, u.uploaded);
      case UploadAction::None:
        break;
    }
    return false;
  }

  void uploadedBytes(uint64_t n) {
    counters_.bytesUploaded += n;
    counters_.pendingBytes -= std::min<uint64_t>(counters_.pendingBytes, n);
  }

  void noteError(Upload& u, const std::string& error) {
    counters_.spoolErrors++;
    spdlog::error("recorder: journal of '{}': {}", u.rec->meta.key, error);
  }

  bool complete(Upload& u, uint64_t size) {
    u.rec->spool->removeFiles();
    UploadResult r{true, u.rec->meta.key, "s3://" + u.target.bucket + "/" + u.rec->meta.key, size,
                   u.rec->spoolError};
    if (!r.error.empty()) r.ok = false;  // stored, but cut short by a spool error
    if (u.recoveredUpload) counters_.recovered++;
    spdlog::info("recorder: stored {} ({} bytes, {} parts)", r.location, size, u.etags.size());
    if (u.rec->onDone) u.rec->onDone(r);
    return true;
  }

  bool failForGood(Upload& u, const std::string& why) {
    counters_.uploadFailures++;
    spdlog::error("recorder: giving up on '{}' after {} client errors: {} (spool kept: {})",
                  u.rec->meta.key, u.clientErrors, why, u.rec->spool->spoolPath());
    UploadResult r{false, u.rec->meta.key, "", u.end, why};
    if (u.rec->onDone) u.rec->onDone(r);
    return true;
  }

  void retryLater(Upload& u, const std::string& why) {
    counters_.uploadRetries++;
    auto delay = std::chrono::milliseconds(500) * (1 << std::min(u.failures, 6));
    delay = std::min<std::chrono::milliseconds>(delay, std::chrono::seconds(30));
    ++u.failures;
    u.retryAt = Clock::now() + delay;
    spdlog::warn("recorder: upload of '{}' failed ({}); retry {} in {} ms", u.rec->meta.key, why,
                 u.failures, delay.count());
  }

  StoreConfig config_;
  std::shared_ptr<CredentialProvider> creds_;
  CURLM* multi_;
  std::thread thread_;
  std::mutex mutex_;
  bool stopping_ = false;
  std::vector<std::unique_ptr<Upload>> incoming_;
  std::list<std::unique_ptr<Upload>> uploads_;  // uploader thread only
  StoreCounters counters_;
};

api::S3Output withDefaults(const api::S3Output& base, const std::optional<api::S3Output>& o) {
  if (!o || o->bucket.empty()) return base;
  api::S3Output out = *o;
  if (out.region.empty()) out.region = base.region;
  return out;
}

class S3Store final : public RecordingStore {
 public:
  S3Store(const StoreConfig& c, std::shared_ptr<CredentialProvider> creds)
      : core_(std::make_shared<S3Core>(withSpool(c), std::move(creds))) {
    core_->start();
  }
  ~S3Store() override { core_->stop(); }

  std::unique_ptr<FragmentSink> open(const std::string& key, const std::string& contentType,
                                     const std::optional<api::S3Output>& s3,
                                     std::function<void(const UploadResult&)> onDone) override {
    if (!isSafeKey(key)) throw std::invalid_argument("recording key '" + key + "' is not valid");
    auto rec = std::make_shared<SpooledRecording>();
    rec->out = withDefaults(core_->config().s3, s3);
    rec->meta = metaFor(rec->out, key, contentType);
    rec->onDone = std::move(onDone);
    std::string error;
    rec->spool = Spool::create(core_->config().spoolDir, rec->meta, error);
    if (!rec->spool) {
      core_->counters().spoolErrors++;
      throw std::runtime_error("recorder spool: " + error);
    }
    auto u = std::make_unique<Upload>();
    u->rec = rec;
    u->target = S3Target::from(rec->out);
    core_->add(std::move(u));
    return std::make_unique<SpoolSink>(rec, core_);
  }

  size_t recover() override {
    size_t n = 0;
    std::error_code ec;
    for (const auto& e : std::filesystem::directory_iterator(core_->config().spoolDir, ec)) {
      if (e.path().extension() == ".journal") n += recoverOne(e.path().string());
    }
    return n;
  }

  std::vector<ObjectEntry> list(const std::string& prefix) override;
  std::string downloadUrl(const std::string& key, int ttlSec) override;
  StoreStats stats() const override { return core_->counters().snapshot(); }

 private:
  static StoreConfig withSpool(StoreConfig c) {
    if (c.spoolDir.empty()) c.spoolDir = c.localDir + "/.spool";
    return c;
  }

  static JournalState metaFor(const api::S3Output& out, const std::string& key,
                              const std::string& ctype) {
    JournalState m;
    m.key = key;
    m.contentType = ctype;
    m.bucket = out.bucket;
    m.region = out.region;
    m.endpoint = out.endpoint;
    m.pathStyle = out.forcePathStyle;
    return m;
  }

  size_t recoverOne(const std::string& journalPath);

  std::shared_ptr<S3Core> core_;
};

size_t S3Store::recoverOne(const std::string& journalPath) {
  auto [spool, st, error] = reopenForRecovery(journalPath, false);
  if (!spool) {
    spdlog::error("recorder: cannot recover {}: {}", journalPath, error);
    return 0;
  }
  auto rec = std::make_shared<SpooledRecording>();
  rec->meta = st;
  // Keys are never journaled: a recovered upload uses the configured credentials.
  rec->out = core_->config().s3;
  rec->out.bucket = st.bucket;
  rec->out.region = st.region;
  rec->out.endpoint = st.endpoint;
  rec->out.forcePathStyle = st.pathStyle;
  auto u = std::make_unique<Upload>();
  u->end = std::min(st.finishOffset.value_or(st.cutOffset), spool->size());
  u->finished = true;
  for (uint64_t c : st.cuts) {
    if (c <= u->end) u->cuts.push_back(c);
  }
  auto kept = keptParts(st, u->end);
  if (!kept.empty()) {
    u->uploadId = st.uploadId;
    for (const auto& p : kept) u->etags.push_back(p.etag);
    u->uploaded = kept.back().offset + kept.back().length;
  }
  rec->spool = std::move(spool);
  u->rec = rec;
  u->target = S3Target::from(rec->out);
  u->recoveredUpload = true;
  core_->counters().pendingBytes += u->end - u->uploaded;
  spdlog::info("recorder: recovering '{}' ({} bytes, {} parts already uploaded)", st.key, u->end,
               kept.size());
  core_->add(std::move(u));
  return 1;
}

std::vector<ObjectEntry> S3Store::list(const std::string& prefix) {
  std::vector<ObjectEntry> out;
  const api::S3Output& s3 = core_->config().s3;
  auto creds = core_->credentials().get(s3);
  if (!creds) throw std::runtime_error("no S3 credentials for ListObjectsV2");
  std::string token;
  for (int page = 0; page < 1000; ++page) {
    // Canonical order: continuation-token, list-type, prefix.
    std::string query =
        token.empty() ? "" : "continuation-token=" + sigv4::uriEncode(token, false) + "&";
    query += "list-type=2&prefix=" + sigv4::uriEncode(prefix, false);
    S3Request req(S3Target::from(s3), *creds, "GET", "", query, "");
    req.perform();
    auto parsed = s3xml::parseListObjectsV2(req.response());
    if (!req.ok() || !parsed.ok) throw std::runtime_error("ListObjectsV2: " + req.describe());
    for (auto& o : parsed.objects) out.push_back({o.key, o.size, o.lastModifiedMs});
    if (!parsed.truncated || parsed.nextToken.empty()) break;
    token = parsed.nextToken;
  }
  return out;
}

std::string S3Store::downloadUrl(const std::string& key, int ttlSec) {
  const api::S3Output& s3 = core_->config().s3;
  auto creds = core_->credentials().get(s3);
  if (!creds) throw std::runtime_error("no S3 credentials to presign a URL");
  S3Target t = S3Target::from(s3);
  sigv4::PresignInput in;
  in.host = t.hostHeader();
  in.path = t.path(key);
  in.region = t.region_();
  in.accessKey = creds->accessKey;
  in.secret = creds->secret;
  in.sessionToken = creds->sessionToken;
  in.nowUnix = time(nullptr);
  in.expiresSec = ttlSec > 0 ? ttlSec : 3600;
  return t.origin() + in.path + "?" + sigv4::presignQuery(in);
}

}  // namespace

std::unique_ptr<RecordingStore> makeS3Store(const StoreConfig& config,
                                            std::shared_ptr<CredentialProvider> credentials) {
  return std::make_unique<S3Store>(config, std::move(credentials));
}

std::unique_ptr<RecordingStore> makeRecordingStore(const StoreConfig& config) {
  if (config.s3.bucket.empty()) return makeLocalStore(config);
  curl_global_init(CURL_GLOBAL_DEFAULT);
  return makeS3Store(config, std::make_shared<CredentialProvider>());
}

}  // namespace rc::record
