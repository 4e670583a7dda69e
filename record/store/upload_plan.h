// What the uploader does next for one recording, as a pure function of its progress so the
// rules are unit-tested. S3 multipart rules (AWS S3 User Guide, "Multipart upload limits"):
// every part but the last is at least 5 MiB, parts are numbered 1..10000. Parts end on cut
// points, so a crash never leaves a torn fragment inside an uploaded part.
#pragma once

#include <cstdint>
#include <vector>

namespace rc::record {

enum class UploadAction { None, Put, Create, UploadPart, Complete };

struct UploadProgress {
  const std::vector<uint64_t>* cuts = nullptr;  // ascending cut offsets not yet uploaded past
  bool finished = false;                        // the object ends at `end`
  uint64_t end = 0;
  bool haveUploadId = false;
  uint64_t uploaded = 0;  // bytes [0, uploaded) are in parts 1..partCount
  int partCount = 0;
  uint64_t partBytes = 5 << 20;
};

struct UploadStep {
  UploadAction action = UploadAction::None;
  uint64_t from = 0, to = 0;  // byte range for Put / UploadPart
};

UploadStep planNextUpload(const UploadProgress& p);

}  // namespace rc::record
