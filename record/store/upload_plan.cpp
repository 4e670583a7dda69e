#include "record/store/upload_plan.h"

#include <algorithm>

namespace rc::record {

UploadStep planNextUpload(const UploadProgress& p) {
  // A small finished file goes up in one PutObject (no multipart needed; also the empty file).
  if (p.finished && p.partCount == 0 && p.end < p.partBytes) {
    return {UploadAction::Put, 0, p.end};
  }
  // The next part ends at the first cut point at least partBytes past what is uploaded;
  // once finished, the rest is the (possibly smaller) last part.
  uint64_t cut = 0;
  if (p.cuts) {
    auto it = std::lower_bound(p.cuts->begin(), p.cuts->end(), p.uploaded + p.partBytes);
    if (it != p.cuts->end()) cut = *it;
  }
  if (p.finished && (cut == 0 || cut > p.end)) cut = p.end;
  if (cut > p.uploaded) {
    if (!p.haveUploadId) return {UploadAction::Create, 0, 0};
    return {UploadAction::UploadPart, p.uploaded, cut};
  }
  if (p.finished && p.uploaded == p.end) {
    return {p.haveUploadId ? UploadAction::Complete : UploadAction::Create, 0, 0};
  }
  return {};
}

}  // namespace rc::record
