#include "record/store/spool_sink.h"

#include <spdlog/spdlog.h>

namespace rc::record {

StoreStats StoreCounters::snapshot() const {
  StoreStats s;
  s.bytesSpooled = bytesSpooled;
  s.bytesUploaded = bytesUploaded;
  s.partsUploaded = partsUploaded;
  s.uploadRetries = uploadRetries;
  s.uploadFailures = uploadFailures;
  s.recovered = recovered;
  s.spoolErrors = spoolErrors;
  s.pendingBytes = pendingBytes;
  return s;
}

SpoolSink::SpoolSink(std::shared_ptr<SpooledRecording> r, std::shared_ptr<SinkOwner> owner)
    : rec_(std::move(r)), owner_(std::move(owner)) {}

SpoolSink::~SpoolSink() {
  if (!ended_) abort("closed without finish");
}

void SpoolSink::fail(const std::string& error) {
  failed_ = true;
  owner_->counters().spoolErrors++;
  rec_->spoolError = error;
  spdlog::error("recorder: spool write failed for '{}': {}; the recording stops at byte {}",
                rec_->meta.key, error, lastCut_);
}

void SpoolSink::append(std::span<const uint8_t> bytes, bool cutPoint) {
  if (failed_ || ended_) return;
  std::string error;
  if (!rec_->spool->append(bytes, error)) return fail(error);
  owner_->counters().bytesSpooled += bytes.size();
  owner_->counters().pendingBytes += bytes.size();
  if (!cutPoint) return;
  uint64_t size = rec_->spool->size();
  if (!rec_->spool->syncAndNote(journalCut(size), error)) return fail(error);
  lastCut_ = size;
  owner_->cutReached(rec_, size);
}

void SpoolSink::end(uint64_t offset) {
  ended_ = true;
  std::string error;
  // Bytes past `offset` (an unfinished fragment) are not part of the object.
  uint64_t dropped = rec_->spool->size() - offset;
  owner_->counters().pendingBytes -= dropped;
  if (!rec_->spool->syncAndNote(journalFinish(offset), error)) {
    owner_->counters().spoolErrors++;
    spdlog::error("recorder: journal for '{}': {}", rec_->meta.key, error);
  }
  owner_->ended(rec_, offset);
}

void SpoolSink::finish() {
  if (ended_) return;
  end(failed_ ? lastCut_ : rec_->spool->size());
}

void SpoolSink::abort(const std::string& reason) {
  if (ended_) return;
  spdlog::warn("recorder: '{}' aborted ({}); keeping {} bytes up to the last cut point",
               rec_->meta.key, reason, lastCut_);
  end(lastCut_);
}

}  // namespace rc::record
