#include "engine/rtp/stream_rewriter.h"

namespace rc::rtp {

StreamRewriter::StreamRewriter(uint16_t firstOutSeq, uint32_t firstOutTs) noexcept
    : nextTs_(firstOutTs),
      lastOutSeq_(static_cast<uint16_t>(firstOutSeq - 1)),
      lastOutTs_(firstOutTs) {}

void StreamRewriter::anchor(uint16_t inSeq, uint32_t inTs) noexcept {
  unwrapper_.reset();
  anchorIn_ = unwrapper_.unwrap(inSeq);
  highestIn_ = anchorIn_;
  anchorOut_ = static_cast<uint16_t>(lastOutSeq_ + 1);
  tsOffset_ = nextTs_ - inTs;
  runHead_ = 0;
  runCount_ = 0;
  forgottenUpTo_ = INT64_MIN;
  anchored_ = true;
  lastOutSeq_ = anchorOut_;
  lastOutTs_ = nextTs_;
}

std::optional<StreamRewriter::Out> StreamRewriter::rewrite(uint16_t inSeq, uint32_t inTs) noexcept {
  if (!anchored_) {
    anchor(inSeq, inTs);
    return Out{lastOutSeq_, lastOutTs_};
  }
  const int64_t ext = unwrapper_.unwrap(inSeq);
  if (ext < anchorIn_) return std::nullopt;  // previous source, or before our anchor
  const auto skips = skipsBefore(ext);
  if (!skips) return std::nullopt;
  const Out out{static_cast<uint16_t>(anchorOut_ + static_cast<uint64_t>(ext - anchorIn_ - *skips)),
                inTs + tsOffset_};
  if (ext > highestIn_) {
    highestIn_ = ext;
    lastOutSeq_ = out.seq;
    lastOutTs_ = out.ts;
  }
  return out;
}

void StreamRewriter::switchSource(uint32_t tsGap) noexcept {
  // Continue after the last packet actually sent (RFC 3550 §5.1: seq +1, ts monotonic).
  nextTs_ = lastOutTs_ + (tsGap == 0 ? 1 : tsGap);
  anchored_ = false;
}

void StreamRewriter::skip(uint16_t inSeq) noexcept {
  if (!anchored_) return;
  const int64_t ext = unwrapper_.unwrap(inSeq);
  if (ext <= highestIn_) return;
  highestIn_ = ext;
  if (runCount_ > 0) {
    SkipRun& back = runs_[(runHead_ + runCount_ - 1) % kMaxSkipRuns];
    if (back.last + 1 == ext) {
      back.last = ext;
      return;
    }
  }
  const int64_t before = totalSkips();
  if (runCount_ == kMaxSkipRuns) {  // forget the oldest run; older packets become unmappable
    forgottenUpTo_ = runs_[runHead_].last;
    runHead_ = (runHead_ + 1) % kMaxSkipRuns;
    --runCount_;
  }
  runs_[(runHead_ + runCount_) % kMaxSkipRuns] = SkipRun{ext, ext, before};
  ++runCount_;
}

int64_t StreamRewriter::totalSkips() const noexcept {
  if (runCount_ == 0) return 0;
  const SkipRun& back = run(runCount_ - 1);
  return back.before + (back.last - back.first + 1);
}

std::optional<int64_t> StreamRewriter::skipsBefore(int64_t ext) const noexcept {
  if (ext <= forgottenUpTo_) return std::nullopt;
  for (size_t i = runCount_; i-- > 0;) {
    const SkipRun& r = run(i);
    if (ext > r.last) return r.before + (r.last - r.first + 1);
    if (ext >= r.first) return std::nullopt;  // this packet itself was skipped
  }
  return runCount_ == 0 ? 0 : run(0).before;
}

}  // namespace rc::rtp
