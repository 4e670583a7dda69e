// Encoder for transport-wide feedback (draft-holmer-rmcat-transport-wide-cc-extensions-01
// §3.1). Chunk choice is greedy: long runs become run-length chunks (§3.1.3), mixed stretches
// one-bit status vectors (14 symbols) when no large delta is among them, else two-bit vectors
// (7 symbols, §3.1.4).
#include <cstring>

#include "engine/rtcp/transport_feedback.h"
#include "engine/rtp/byte_io.h"

namespace rc::rtcp {

using rtp::store16;
using rtp::store24;
using rtp::store32;

namespace {

constexpr size_t kMaxRunLength = 0x1FFF;

int symbolOf(const TwccEntry& e) {
  if (!e.received) return 0;
  if (e.deltaTicks >= 0 && e.deltaTicks <= 255) return 1;
  if (e.deltaTicks >= -32768 && e.deltaTicks <= 32767) return 2;
  return -1;
}

size_t runLength(std::span<const TwccEntry> e, size_t i) {
  const int s = symbolOf(e[i]);
  size_t r = 1;
  while (i + r < e.size() && r < kMaxRunLength && symbolOf(e[i + r]) == s) ++r;
  return r;
}

bool allSmall(std::span<const TwccEntry> e, size_t i, size_t n) {
  for (size_t k = 0; k < n; ++k) {
    if (symbolOf(e[i + k]) > 1) return false;
  }
  return true;
}

uint16_t vectorChunk(std::span<const TwccEntry> e, size_t i, size_t n, bool twoBit) {
  uint16_t word = twoBit ? 0xC000 : 0x8000;
  for (size_t k = 0; k < n; ++k) {
    const int shift = twoBit ? 12 - 2 * static_cast<int>(k) : 13 - static_cast<int>(k);
    word = static_cast<uint16_t>(word | (symbolOf(e[i + k]) << shift));
  }
  return word;
}

// Encodes the chunks; writes them when p != nullptr. Returns the chunk bytes.
size_t encodeChunks(std::span<const TwccEntry> e, uint8_t* p) {
  size_t bytes = 0;
  size_t i = 0;
  while (i < e.size()) {
    const size_t r = runLength(e, i);
    const size_t m14 = std::min<size_t>(14, e.size() - i);
    uint16_t word;
    size_t used;
    if (r >= 14 || (r >= 7 && !allSmall(e, i, m14))) {
      word = static_cast<uint16_t>((symbolOf(e[i]) << 13) | r);
      used = r;
    } else if (allSmall(e, i, m14)) {
      word = vectorChunk(e, i, m14, false);
      used = m14;
    } else {
      used = std::min<size_t>(7, e.size() - i);
      word = vectorChunk(e, i, used, true);
    }
    if (p) store16(p + bytes, word);
    bytes += 2;
    i += used;
  }
  return bytes;
}

size_t deltaBytes(std::span<const TwccEntry> e) {
  size_t n = 0;
  for (const auto& x : e) {
    const int s = symbolOf(x);
    if (s < 0) return SIZE_MAX;
    n += static_cast<size_t>(s);
  }
  return n;
}

}  // namespace

size_t transportFeedbackSize(std::span<const TwccEntry> entries) noexcept {
  if (entries.empty() || entries.size() > 0xFFFF) return 0;
  const size_t deltas = deltaBytes(entries);
  if (deltas == SIZE_MAX) return 0;
  const size_t raw = kTwccFixedSize + encodeChunks(entries, nullptr) + deltas;
  return (raw + 3) & ~size_t{3};
}

size_t writeTransportFeedback(std::span<uint8_t> out, const TwccHeader& h,
                              std::span<const TwccEntry> entries) noexcept {
  const size_t total = transportFeedbackSize(entries);
  if (total == 0 || out.size() < total || total / 4 - 1 > 0xFFFF) return 0;
  uint8_t* p = out.data();
  writeRtcpHeader(p, kFmtTransportFeedback, kRtpFeedback, total);
  store32(p + 4, h.senderSsrc);
  store32(p + 8, h.mediaSsrc);
  store16(p + 12, h.baseSeq);
  store16(p + 14, static_cast<uint16_t>(entries.size()));
  store24(p + 16, static_cast<uint32_t>(h.referenceTime) & 0xFFFFFF);
  p[19] = h.fbPktCount;
  size_t pos = kTwccFixedSize + encodeChunks(entries, p + kTwccFixedSize);
  for (const auto& e : entries) {
    const int s = symbolOf(e);
    if (s == 1) p[pos++] = static_cast<uint8_t>(e.deltaTicks);
    if (s == 2) {
      store16(p + pos, static_cast<uint16_t>(static_cast<int16_t>(e.deltaTicks)));
      pos += 2;
    }
  }
  std::memset(p + pos, 0, total - pos);  // zero padding to 32 bits (no P bit: may be mid-compound)
  return total;
}

}  // namespace rc::rtcp
