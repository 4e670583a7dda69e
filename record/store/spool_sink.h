// The FragmentSink both stores hand to the muxer: bytes go to the spool first, cut points are
// made durable (spool fdatasync + journal fsync) and then reported to the store, which uploads
// or moves the file. Write errors (disk full, quota) are logged, counted in StoreStats and
// stop the recording at its last cut point; nothing throws.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <string>

#include "record/fragment_sink.h"
#include "record/store/recording_store.h"
#include "record/store/spool.h"

namespace rc::record {

struct StoreCounters {
  std::atomic<uint64_t> bytesSpooled{0}, bytesUploaded{0}, partsUploaded{0};
  std::atomic<uint64_t> uploadRetries{0}, uploadFailures{0}, recovered{0}, spoolErrors{0};
  std::atomic<uint64_t> pendingBytes{0};
  StoreStats snapshot() const;
};

// One recording as both sinks and stores see it.
struct SpooledRecording {
  JournalState meta;  // key, content type, bucket...
  api::S3Output out;  // where it goes (with keys, never journaled)
  std::unique_ptr<Spool> spool;
  std::function<void(const UploadResult&)> onDone;
  std::string spoolError;  // set when the sink stopped early because of an I/O error
};

class SinkOwner {
 public:
  virtual ~SinkOwner() = default;
  virtual void cutReached(const std::shared_ptr<SpooledRecording>& r, uint64_t offset) = 0;
  // The file ends at `end` (finish: its full size; abort or error: the last cut point).
  virtual void ended(const std::shared_ptr<SpooledRecording>& r, uint64_t end) = 0;
  virtual StoreCounters& counters() = 0;
};

class SpoolSink final : public FragmentSink {
 public:
  SpoolSink(std::shared_ptr<SpooledRecording> r, std::shared_ptr<SinkOwner> owner);
  ~SpoolSink() override;
  void append(std::span<const uint8_t> bytes, bool cutPoint) override;
  void finish() override;
  void abort(const std::string& reason) override;

 private:
  void fail(const std::string& error);
  void end(uint64_t offset);

  std::shared_ptr<SpooledRecording> rec_;
  std::shared_ptr<SinkOwner> owner_;
  uint64_t lastCut_ = 0;
  bool failed_ = false, ended_ = false;
};

}  // namespace rc::record
