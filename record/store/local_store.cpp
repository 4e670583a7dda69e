#include "record/store/local_store.h"

#include <spdlog/spdlog.h>
#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <mutex>

#include "record/store/spool_sink.h"

namespace rc::record {
namespace fs = std::filesystem;

bool isSafeKey(const std::string& key) {
  if (key.empty() || key.front() == '/' || key.find('\0') != std::string::npos) return false;
  for (const auto& part : fs::path(key)) {
    if (part == ".." || part == ".") return false;
  }
  return true;
}

bool publishLocalFile(const std::string& spoolPath, const std::string& dir, const std::string& key,
                      std::string& finalPath, std::string& error) {
  std::error_code ec;
  fs::path target = fs::path(dir) / key;
  fs::create_directories(target.parent_path(), ec);
  fs::rename(spoolPath, target, ec);
  if (ec == std::errc::cross_device_link) {
    fs::path tmp = target;
    tmp += ".partial";
    ec.clear();
    fs::copy_file(spoolPath, tmp, fs::copy_options::overwrite_existing, ec);
    if (!ec) fs::rename(tmp, target, ec);
    if (!ec) fs::remove(spoolPath, ec);
  }
  if (ec) {
    error = "publish " + target.string() + ": " + ec.message();
    return false;
  }
  finalPath = fs::absolute(target, ec).string();
  return true;
}

namespace {

class LocalOwner final : public SinkOwner {
 public:
  explicit LocalOwner(std::string dir) : dir_(std::move(dir)) {}
  void cutReached(const std::shared_ptr<SpooledRecording>&, uint64_t) override {}
  void ended(const std::shared_ptr<SpooledRecording>& r, uint64_t end) override {
    UploadResult result = finishFile(*r->spool, r->meta.key, end);
    if (!r->spoolError.empty()) {
      result.ok = false;
      result.error = r->spoolError + (result.error.empty() ? "" : "; " + result.error);
    }
    if (r->onDone) r->onDone(result);
  }
  StoreCounters& counters() override { return counters_; }

  UploadResult finishFile(Spool& spool, const std::string& key, uint64_t end) {
    UploadResult result{false, key, "", end, ""};
    std::string path;
    if (spool.truncate(end, result.error) &&
        publishLocalFile(spool.spoolPath(), dir_, key, path, result.error)) {
      ::unlink(spool.journalPath().c_str());
      result.ok = true;
      result.location = "file://" + path;
      counters_.bytesUploaded += end;
    } else {
      counters_.uploadFailures++;
      spdlog::error("recorder: could not store '{}': {}", key, result.error);
    }
    counters_.pendingBytes -= std::min<uint64_t>(counters_.pendingBytes, end);
    return result;
  }

 private:
  std::string dir_;
  StoreCounters counters_;
};

class LocalStore final : public RecordingStore {
 public:
  explicit LocalStore(const StoreConfig& c)
      : config_(c), owner_(std::make_shared<LocalOwner>(c.localDir)) {
    if (config_.spoolDir.empty()) config_.spoolDir = config_.localDir + "/.spool";
  }

  std::unique_ptr<FragmentSink> open(const std::string& key, const std::string& contentType,
                                     const std::optional<api::S3Output>&,
                                     std::function<void(const UploadResult&)> onDone) override {
    if (!isSafeKey(key))
      throw std::invalid_argument("recording key '" + key + "' is not a safe path");
    auto rec = std::make_shared<SpooledRecording>();
    rec->meta.local = true;
    rec->meta.key = key;
    rec->meta.contentType = contentType;
    rec->onDone = std::move(onDone);
    std::string error;
    rec->spool = Spool::create(config_.spoolDir, rec->meta, error);
    if (!rec->spool) {
      owner_->counters().spoolErrors++;
      throw std::runtime_error("recorder spool: " + error);
    }
    return std::make_unique<SpoolSink>(rec, owner_);
  }

  size_t recover() override {
    size_t n = 0;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(config_.spoolDir, ec)) {
      if (e.path().extension() != ".journal") continue;
      n += recoverOne(e.path().string());
    }
    return n;
  }

  std::vector<ObjectEntry> list(const std::string& prefix) override {
    std::vector<ObjectEntry> out;
    std::error_code ec;
    const fs::path root(config_.localDir);
    for (auto it = fs::recursive_directory_iterator(root, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
      if (it->path().filename() == ".spool") it.disable_recursion_pending();
      if (!it->is_regular_file()) continue;
      std::string key = fs::relative(it->path(), root, ec).generic_string();
      if (key.rfind(".spool", 0) == 0 || key.rfind(prefix, 0) != 0) continue;
      struct stat st {};
      if (::stat(it->path().c_str(), &st) != 0) continue;
      out.push_back(
          {key, static_cast<uint64_t>(st.st_size),
           static_cast<int64_t>(st.st_mtim.tv_sec) * 1000 + st.st_mtim.tv_nsec / 1000000});
    }
    std::sort(out.begin(), out.end(), [](auto& a, auto& b) { return a.key < b.key; });
    return out;
  }

  std::string downloadUrl(const std::string& key, int) override { return "/recordings/" + key; }
  StoreStats stats() const override { return owner_->counters().snapshot(); }

 private:
  size_t recoverOne(const std::string& journalPath) {
    auto [spool, st, error] = reopenForRecovery(journalPath, true);
    if (!spool) {
      spdlog::error("recorder: cannot recover {}: {}", journalPath, error);
      return 0;
    }
    uint64_t end = std::min(st.finishOffset.value_or(st.cutOffset), spool->size());
    UploadResult r = owner_->finishFile(*spool, st.key, end);
    if (!r.ok) return 0;
    owner_->counters().recovered++;
    spdlog::info("recorder: recovered '{}' ({} bytes) from the spool", st.key, end);
    return 1;
  }

  StoreConfig config_;
  std::shared_ptr<LocalOwner> owner_;
};

}  // namespace

std::unique_ptr<RecordingStore> makeLocalStore(const StoreConfig& config) {
  return std::make_unique<LocalStore>(config);
}

}  // namespace rc::record
