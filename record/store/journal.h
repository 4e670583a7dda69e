// The per-recording journal next to the spool file: an append-only text file, one record per
// line, fsync'd at cut points, that says where the spooled bytes must go and how far they got.
// Lines (every value URI-encoded, so no spaces inside one):
//   rcj1 mode=s3|local key=K ctype=T bucket=B region=R endpoint=E path_style=0|1
//   upload id=ID                       a multipart upload was created (forgets earlier parts)
//   part n=N offset=O length=L etag=E  part N (bytes [O, O+L) of the spool) is uploaded
//   cut offset=O                       the spool is readable up to O (a fragment boundary)
//   finish offset=O                    the muxer is done; the object is the first O bytes
// A line without its trailing '\n' (torn by a crash) is ignored, as is any unknown line.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rc::record {

struct JournalPart {
  int number = 0;
  uint64_t offset = 0, length = 0;
  std::string etag;
};

struct JournalState {
  bool valid = false;  // the header line was read
  bool local = false;  // mode=local: finish by renaming into the folder
  std::string key, contentType, bucket, region, endpoint;
  bool pathStyle = false;
  std::string uploadId;
  std::vector<JournalPart> parts;  // in upload order, numbers 1..n
  uint64_t cutOffset = 0;
  std::vector<uint64_t> cuts;  // every journaled cut point, ascending
  std::optional<uint64_t> finishOffset;
};

JournalState parseJournal(std::string_view text);

std::string journalHeader(const JournalState& s);
std::string journalUpload(const std::string& uploadId);
std::string journalPart(const JournalPart& p);
std::string journalCut(uint64_t offset);
std::string journalFinish(uint64_t offset);

// Parts of `s` that recovery can keep: a contiguous run 1..k ending at or before the last
// cut point (a part past it would hold bytes a crash may have torn).
std::vector<JournalPart> keptParts(const JournalState& s, uint64_t end);

}  // namespace rc::record
