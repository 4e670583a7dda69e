#include "engine/rtcp/transport_feedback.h"

#include "engine/rtp/byte_io.h"

namespace rc::rtcp {

using rtp::load16;
using rtp::load24;
using rtp::load32;

namespace {

// §3.1.3 / §3.1.4: T bit selects run-length (0) or status vector (1).
uint32_t chunkCapacity(uint16_t word) {
  if ((word & 0x8000) == 0) return word & 0x1FFF;  // run length
  return (word & 0x4000) ? 7 : 14;                 // S: two-bit or one-bit symbols
}

int chunkSymbol(uint16_t word, uint32_t index) {
  if ((word & 0x8000) == 0) return (word >> 13) & 3;
  if ((word & 0x4000) == 0) return (word >> (13 - index)) & 1;
  return (word >> (12 - 2 * index)) & 3;
}

// Walks the chunks for `count` symbols; returns the chunk bytes used and the delta bytes
// needed, or false on a reserved symbol or too few chunks.
bool measure(std::span<const uint8_t> fci, uint16_t count, size_t& chunkBytes, size_t& deltaBytes) {
  size_t pos = 0;
  uint32_t left = 0;
  uint32_t index = 0;
  uint16_t word = 0;
  deltaBytes = 0;
  for (uint32_t i = 0; i < count; ++i) {
    while (left == 0) {
      if (fci.size() - pos < 2) return false;
      word = load16(fci.data() + pos);
      pos += 2;
      left = chunkCapacity(word);
      index = 0;
    }
    const int sym = chunkSymbol(word, index++);
    --left;
    if (sym == 3) return false;  // reserved
    deltaBytes += static_cast<size_t>(sym);
  }
  chunkBytes = pos;
  return true;
}

}  // namespace

TwccStatusReader::TwccStatusReader(std::span<const uint8_t> chunks, std::span<const uint8_t> deltas,
                                   uint16_t baseSeq, uint16_t statusCount,
                                   int64_t referenceUs) noexcept
    : chunks_(chunks),
      deltas_(deltas),
      seq_(baseSeq),
      remaining_(statusCount),
      arrivalUs_(referenceUs) {}

int TwccStatusReader::nextSymbol() noexcept {
  while (left_ == 0) {  // zero-length runs are skipped
    if (chunks_.size() - chunkPos_ < 2) return -1;
    word_ = load16(chunks_.data() + chunkPos_);
    chunkPos_ += 2;
    left_ = chunkCapacity(word_);
    index_ = 0;
  }
  --left_;
  return chunkSymbol(word_, index_++);
}

bool TwccStatusReader::next(TwccPacketStatus& out) noexcept {
  if (remaining_ == 0) return false;
  const int sym = nextSymbol();
  if (sym < 0 || sym == 3) return false;
  int32_t ticks = 0;
  if (sym == 1) {  // §3.1.5: small delta, one unsigned byte
    if (deltas_.size() - deltaPos_ < 1) return false;
    ticks = deltas_[deltaPos_++];
  } else if (sym == 2) {  // large or negative delta, two bytes signed
    if (deltas_.size() - deltaPos_ < 2) return false;
    ticks = static_cast<int16_t>(load16(deltas_.data() + deltaPos_));
    deltaPos_ += 2;
  }
  const int64_t deltaUs = int64_t{ticks} * kTwccDeltaUnitUs;
  if (sym != 0) arrivalUs_ += deltaUs;
  out = TwccPacketStatus{seq_, sym != 0, ticks, deltaUs, sym != 0 ? arrivalUs_ : 0};
  ++seq_;
  --remaining_;
  return true;
}

std::optional<TransportFeedback> parseTransportFeedback(const RtcpPacketView& view) noexcept {
  if (view.packetType != kRtpFeedback || view.countOrFmt != kFmtTransportFeedback) {
    return std::nullopt;
  }
  if (view.body.size() < kTwccFixedSize - kRtcpHeaderSize) return std::nullopt;
  const uint8_t* p = view.body.data();
  TransportFeedback fb;
  fb.senderSsrc = load32(p);
  fb.mediaSsrc = load32(p + 4);
  fb.baseSeq = load16(p + 8);
  fb.statusCount = load16(p + 10);
  const uint32_t ref = load24(p + 12);
  fb.referenceTime =
      (ref & 0x800000) ? static_cast<int32_t>(ref | 0xFF000000u) : static_cast<int32_t>(ref);
  fb.fbPktCount = p[15];
  if (fb.statusCount == 0) return std::nullopt;
  const auto fci = view.body.subspan(16);
  size_t chunkBytes = 0;
  size_t deltaBytes = 0;
  if (!measure(fci, fb.statusCount, chunkBytes, deltaBytes)) return std::nullopt;
  if (fci.size() - chunkBytes < deltaBytes) return std::nullopt;
  fb.chunks = fci.first(chunkBytes);
  fb.deltas = fci.subspan(chunkBytes, deltaBytes);  // anything after is zero padding
  return fb;
}

}  // namespace rc::rtcp
