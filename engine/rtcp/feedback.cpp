#include "engine/rtcp/feedback.h"

#include "engine/rtp/byte_io.h"

namespace rc::rtcp {

using rtp::load16;
using rtp::load32;
using rtp::store16;
using rtp::store32;

namespace {

constexpr size_t kNackFciSize = 4;  // PID + BLP
constexpr size_t kFirFciSize = 8;   // SSRC + seq nr + reserved
constexpr size_t kRembMinFci = 8;   // "REMB" + num/exp/mantissa

bool isFeedback(const RtcpPacketView& v, uint8_t type, uint8_t fmt) {
  return v.packetType == type && v.countOrFmt == fmt && v.body.size() >= 8;
}

void writeFeedbackHeader(uint8_t* p, uint8_t fmt, uint8_t type, size_t total, uint32_t sender,
                         uint32_t media) {
  writeRtcpHeader(p, fmt, type, total);
  store32(p + 4, sender);
  store32(p + 8, media);
}

}  // namespace

std::optional<Nack> parseNack(const RtcpPacketView& view) noexcept {
  if (!isFeedback(view, kRtpFeedback, kFmtNack)) return std::nullopt;
  const auto fci = view.body.subspan(8);
  if (fci.empty() || fci.size() % kNackFciSize != 0) return std::nullopt;
  Nack nack;
  nack.senderSsrc = load32(view.body.data());
  nack.mediaSsrc = load32(view.body.data() + 4);
  for (size_t off = 0; off < fci.size(); off += kNackFciSize) {
    const uint16_t pid = load16(fci.data() + off);
    const uint16_t blp = load16(fci.data() + off + 2);
    // RFC 4585 §6.2.1: PID lost, and bit i of BLP means PID+i+1 lost.
    nack.truncated |= !nack.lost.push_back(pid);
    for (int i = 0; i < 16; ++i) {
      if (blp & (1u << i))
        nack.truncated |= !nack.lost.push_back(static_cast<uint16_t>(pid + i + 1));
    }
  }
  return nack;
}

std::optional<Pli> parsePli(const RtcpPacketView& view) noexcept {
  if (!isFeedback(view, kPayloadFeedback, kFmtPli)) return std::nullopt;
  return Pli{load32(view.body.data()), load32(view.body.data() + 4)};  // §6.3.1: no FCI
}

std::optional<Fir> parseFir(const RtcpPacketView& view) noexcept {
  if (!isFeedback(view, kPayloadFeedback, kFmtFir)) return std::nullopt;
  const auto fci = view.body.subspan(8);
  if (fci.empty() || fci.size() % kFirFciSize != 0) return std::nullopt;
  Fir fir;
  fir.senderSsrc = load32(view.body.data());
  for (size_t off = 0; off < fci.size(); off += kFirFciSize) {
    fir.entries.push_back(FirEntry{load32(fci.data() + off), fci[off + 4]});
  }
  return fir;
}

std::optional<Remb> parseRemb(const RtcpPacketView& view) noexcept {
  if (!isFeedback(view, kPayloadFeedback, kFmtAfb)) return std::nullopt;
  const auto fci = view.body.subspan(8);
  if (fci.size() < kRembMinFci) return std::nullopt;
  if (fci[0] != 'R' || fci[1] != 'E' || fci[2] != 'M' || fci[3] != 'B') return std::nullopt;
  const size_t numSsrc = fci[4];
  if ((fci.size() - kRembMinFci) / 4 < numSsrc) return std::nullopt;
  Remb remb;
  remb.senderSsrc = load32(view.body.data());
  const uint32_t exponent = fci[5] >> 2;
  const uint64_t mantissa = ((uint64_t{fci[5]} & 3) << 16) | load16(fci.data() + 6);
  // 18-bit mantissa: shifts beyond 46 could overflow 64 bits.
  remb.bitrateBps = (exponent > 46 && mantissa != 0) ? UINT64_MAX : mantissa << exponent;
  for (size_t i = 0; i < numSsrc; ++i) remb.ssrcs.push_back(load32(fci.data() + 8 + 4 * i));
  return remb;
}

namespace {

// Packs seqs into PID/BLP pairs; writes them if `p` is non-null. Returns the pair count.
size_t packNack(std::span<const uint16_t> seqs, uint8_t* p) {
  size_t pairs = 0;
  size_t i = 0;
  while (i < seqs.size()) {
    const uint16_t pid = seqs[i++];
    uint16_t blp = 0;
    while (i < seqs.size()) {
      const uint16_t d = static_cast<uint16_t>(seqs[i] - pid);
      if (d == 0) {  // duplicate of PID
        ++i;
        continue;
      }
      if (d > 16) break;
      blp = static_cast<uint16_t>(blp | (1u << (d - 1)));
      ++i;
    }
    if (p) {
      store16(p + pairs * 4, pid);
      store16(p + pairs * 4 + 2, blp);
    }
    ++pairs;
  }
  return pairs;
}

}  // namespace

size_t writeNack(std::span<uint8_t> out, uint32_t senderSsrc, uint32_t mediaSsrc,
                 std::span<const uint16_t> seqs) noexcept {
  if (seqs.empty()) return 0;
  const size_t pairs = packNack(seqs, nullptr);
  const size_t total = kFeedbackHeaderSize + pairs * kNackFciSize;
  if (out.size() < total || total / 4 - 1 > 0xFFFF) return 0;
  writeFeedbackHeader(out.data(), kFmtNack, kRtpFeedback, total, senderSsrc, mediaSsrc);
  packNack(seqs, out.data() + kFeedbackHeaderSize);
  return total;
}

size_t writePli(std::span<uint8_t> out, uint32_t senderSsrc, uint32_t mediaSsrc) noexcept {
  if (out.size() < kFeedbackHeaderSize) return 0;
  writeFeedbackHeader(out.data(), kFmtPli, kPayloadFeedback, kFeedbackHeaderSize, senderSsrc,
                      mediaSsrc);
  return kFeedbackHeaderSize;
}

size_t writeFir(std::span<uint8_t> out, uint32_t senderSsrc, uint32_t mediaSsrc,
                uint8_t seqNr) noexcept {
  const size_t total = kFeedbackHeaderSize + kFirFciSize;
  if (out.size() < total) return 0;
  uint8_t* p = out.data();
  writeFeedbackHeader(p, kFmtFir, kPayloadFeedback, total, senderSsrc, 0);
  store32(p + 12, mediaSsrc);
  p[16] = seqNr;
  p[17] = p[18] = p[19] = 0;
  return total;
}

}  // namespace rc::rtcp
