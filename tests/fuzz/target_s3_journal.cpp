// Fuzz target "s3_journal": the recorder's spool journal reader (record/store/journal.h), which
// crash recovery runs on files a crash may have torn. Checks the invariants recovery relies on:
// parts are numbered 1..n, kept parts are contiguous and end at or before the end offset, and
// a state written back as journal lines reads the same.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "record/store/journal.h"

using namespace rc::record;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  JournalState s = parseJournal(text);
  for (size_t i = 0; i < s.parts.size(); ++i) {
    if (s.parts[i].number != static_cast<int>(i) + 1) abort();
  }
  uint64_t end = s.finishOffset.value_or(s.cutOffset);
  uint64_t next = 0;
  for (const auto& p : keptParts(s, end)) {
    if (p.offset != next || p.offset + p.length > end) abort();
    next = p.offset + p.length;
  }
  if (!s.valid) return 0;
  std::string again = journalHeader(s);
  if (!s.uploadId.empty()) again += journalUpload(s.uploadId);
  for (const auto& p : s.parts) again += journalPart(p);
  for (uint64_t c : s.cuts) again += journalCut(c);
  if (s.finishOffset) again += journalFinish(*s.finishOffset);
  JournalState t = parseJournal(again);
  if (t.key != s.key || t.bucket != s.bucket || t.endpoint != s.endpoint ||
      t.uploadId != s.uploadId || t.parts.size() != s.parts.size() || t.cutOffset != s.cutOffset ||
      t.finishOffset != s.finishOffset) {
    abort();
  }
  return 0;
}
