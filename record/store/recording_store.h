// Where recording files go: S3 multipart uploads (libcurl, SigV4) fed from a local
// spool and journal, or a local folder when no bucket is configured. Uploads run on
// the store's own thread, so a slow upload never delays muxing or another recording.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "api/recorder.h"
#include "record/fragment_sink.h"

namespace rc::record {

struct StoreConfig {
  std::string localDir = "./recordings";  // used when bucket is empty
  std::string spoolDir;                   // spool + journal (default: <localDir>/.spool)
  api::S3Output s3;                       // s3.bucket empty: local folder
  int partBytes = 5 << 20;                // S3 minimum part size (last part may be smaller)
};

struct UploadResult {
  bool ok = false;
  std::string key, location;  // location: s3://bucket/key or file:///abs/path
  uint64_t size = 0;
  std::string error;
};

struct ObjectEntry {
  std::string key;
  uint64_t size = 0;
  int64_t lastModifiedMs = 0;
};

struct StoreStats {
  uint64_t bytesSpooled = 0, bytesUploaded = 0, partsUploaded = 0;
  uint64_t uploadRetries = 0, uploadFailures = 0, recovered = 0, spoolErrors = 0;
  uint64_t pendingBytes = 0;  // spooled, not yet uploaded
};

class RecordingStore {
 public:
  virtual ~RecordingStore() = default;
  // Opens one file. `onDone` runs (on the store's thread) when the object is complete
  // or has failed for good. `s3` overrides the configured bucket (Egress S3Upload).
  virtual std::unique_ptr<FragmentSink> open(const std::string& key, const std::string& contentType,
                                             const std::optional<api::S3Output>& s3,
                                             std::function<void(const UploadResult&)> onDone) = 0;
  // Finishes every recording a crash left in the spool; call once at start.
  virtual size_t recover() = 0;
  virtual std::vector<ObjectEntry> list(const std::string& prefix) = 0;  // ListObjectsV2
  // A presigned GET URL (SigV4 query signing), or a local URL path for the folder store.
  virtual std::string downloadUrl(const std::string& key, int ttlSec) = 0;
  virtual StoreStats stats() const = 0;
};

std::unique_ptr<RecordingStore> makeRecordingStore(const StoreConfig& config);

}  // namespace rc::record
