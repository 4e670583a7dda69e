// Per-subscriber SSRC/sequence/timestamp rewriting state (one per subscriber and source track).
// The subscriber sees one continuous RTP stream (RFC 3550 §5.1: seq +1 per packet, timestamps
// monotonic) while the SFU switches between sources (simulcast layers, publishers) and drops
// packets it does not forward.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>

#include "engine/rtp/seq.h"

namespace rc::rtp {

class StreamRewriter {
 public:
  // Start values are random, chosen by the caller (RFC 3550 §5.1).
  StreamRewriter(uint16_t firstOutSeq, uint32_t firstOutTs) noexcept;

  struct Out {
    uint16_t seq;
    uint32_t ts;
  };

  // For a packet of the current source. The first packet after construction or a switch
  // anchors the offsets. Out-of-order and older packets (retransmissions) map with the same
  // offsets. nullopt for a packet from before the current anchor (the previous source), for a
  // packet that was skipped, or one too old to map (before forgotten skip history).
  std::optional<Out> rewrite(uint16_t inSeq, uint32_t inTs) noexcept;

  // The source changes: the next packet of the new source continues at lastOutSeq+1 and
  // lastOutTs + tsGap (tsGap = elapsed time in clock units, at least 1).
  void switchSource(uint32_t tsGap) noexcept;

  // A packet deliberately not forwarded (e.g. padding-only): later packets are shifted down so
  // the receiver sees no gap. Only a packet newer than every packet seen so far can be skipped
  // (an older one already has later packets forwarded after it); others are ignored, as is a
  // skip before the first packet of a source.
  void skip(uint16_t inSeq) noexcept;

  uint32_t tsOffset() const { return tsOffset_; }
  uint16_t lastOutSeq() const { return lastOutSeq_; }
  uint32_t lastOutTs() const { return lastOutTs_; }
  bool anchored() const { return anchored_; }

 private:
  // A run of consecutive skipped input packets [first, last]; `before` skips precede it.
  struct SkipRun {
    int64_t first;
    int64_t last;
    int64_t before;
  };
  static constexpr size_t kMaxSkipRuns = 64;

  void anchor(uint16_t inSeq, uint32_t inTs) noexcept;
  // Number of skipped packets before extended input seq `ext`; nullopt if `ext` itself was
  // skipped or lies in forgotten history.
  std::optional<int64_t> skipsBefore(int64_t ext) const noexcept;
  const SkipRun& run(size_t i) const { return runs_[(runHead_ + i) % kMaxSkipRuns]; }
  int64_t totalSkips() const noexcept;

  SeqUnwrapper unwrapper_;
  bool anchored_ = false;
  int64_t anchorIn_ = 0;    // extended input seq of the anchor packet
  uint16_t anchorOut_ = 0;  // its output seq
  int64_t highestIn_ = 0;   // highest extended input seq seen (forwarded or skipped)
  uint32_t nextTs_ = 0;     // output ts for the next anchor
  uint32_t tsOffset_ = 0;
  uint16_t lastOutSeq_ = 0;
  uint32_t lastOutTs_ = 0;
  std::array<SkipRun, kMaxSkipRuns> runs_{};
  size_t runHead_ = 0;
  size_t runCount_ = 0;
  int64_t forgottenUpTo_ = INT64_MIN;  // skips up to here were dropped from runs_
};

}  // namespace rc::rtp
