// One recording's local spool (the file bytes, in order) and its journal (journal.h).
// Bytes are written before any upload; at a cut point the spool is fdatasync'd and a
// "cut" line is appended and fsync'd, so after a crash everything up to the last journaled
// cut point is on disk. Every I/O error is reported (false + errno text), never thrown.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <span>
#include <string>

#include "record/store/journal.h"

namespace rc::record {

class Spool {
 public:
  // Creates <dir>/<id>.spool and <dir>/<id>.journal with the header of `meta`.
  static std::unique_ptr<Spool> create(const std::string& dir, const JournalState& meta,
                                       std::string& error);
  // Opens an existing pair for recovery (journal appends, spool reads), given the journal path.
  static std::unique_ptr<Spool> reopen(const std::string& journalPath, std::string& error);
  ~Spool();

  bool append(std::span<const uint8_t> bytes, std::string& error);
  // fdatasync the spool, then journal `line` and fsync the journal.
  bool syncAndNote(const std::string& line, std::string& error);
  bool note(const std::string& line, bool sync, std::string& error);
  // Reads [offset, offset+length) into `out`.
  bool read(uint64_t offset, uint64_t length, std::string& out, std::string& error) const;
  bool truncate(uint64_t length, std::string& error);
  uint64_t size() const { return size_; }
  const std::string& spoolPath() const { return spoolPath_; }
  const std::string& journalPath() const { return journalPath_; }
  void removeFiles();

 private:
  Spool() = default;
  std::string spoolPath_, journalPath_;
  int spoolFd_ = -1, journalFd_ = -1;
  uint64_t size_ = 0;
  std::mutex journalMutex_;  // lines come from the muxer thread and the uploader thread
};

std::string errnoText(const std::string& what);

// A spool found at start: reopened with its parsed journal. `spool` is null when the
// journal is unreadable, not ours, for the other store kind (`local` differs) or has an
// unsafe key; `error` says why.
struct RecoveredSpool {
  std::unique_ptr<Spool> spool;
  JournalState state;
  std::string error;
};
RecoveredSpool reopenForRecovery(const std::string& journalPath, bool local);

}  // namespace rc::record
