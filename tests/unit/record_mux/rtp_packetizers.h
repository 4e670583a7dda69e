// Test-side RTP packetizers, written from the payload format specs as senders apply them:
// VP8 (RFC 7741), H264 (RFC 6184), VP9 (RFC 9628) and AV1 (AOM "RTP Payload Format for
// AV1" v1.0.0). They feed real encoder output to the recorder in real_media_test.cpp.
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "engine/rtp/rtp_packet.h"
#include "record/mux/av1_obu.h"

namespace rc::record::testing {

inline constexpr size_t kMaxPayload = 1100;

struct Frame {
  std::vector<uint8_t> bytes;
  int64_t ptsUs;
  bool key = false;
};

struct Rtp {
  std::vector<uint8_t> bytes;
  int64_t sendUs;
  size_t track;
};

class Packetizer {
 public:
  Packetizer(size_t track, uint8_t pt, uint32_t clock) : track_(track), pt_(pt), clock_(clock) {}
  void add(std::vector<Rtp>& out, const std::vector<uint8_t>& payload, int64_t ptsUs, bool marker) {
    std::vector<uint8_t> pkt(12 + payload.size());
    rtp::RtpHeaderFields h{marker, pt_, seq_++, rtpTimestamp(ptsUs),
                           0x1000u + static_cast<uint32_t>(track_)};
    rtp::writeHeader(pkt, h, {});
    std::copy(payload.begin(), payload.end(), pkt.begin() + 12);
    out.push_back({std::move(pkt), ptsUs, track_});
  }
  uint32_t rtpTimestamp(int64_t ptsUs) const {
    return timestampBase_ + static_cast<uint32_t>(ptsUs * clock_ / 1000000);
  }
  void setTimestampBase(uint32_t base) { timestampBase_ = base; }

 private:
  size_t track_;
  uint8_t pt_;
  uint32_t clock_;
  uint16_t seq_ = 65500;  // wraps during the test
  uint32_t timestampBase_ = 0;
};

// RFC 7741: S=1/PID=0 on the first packet of a frame, marker on the last.
inline void packetizeVp8(Packetizer& p, std::vector<Rtp>& out, const Frame& f) {
  for (size_t pos = 0; pos < f.bytes.size(); pos += kMaxPayload) {
    size_t n = std::min(kMaxPayload, f.bytes.size() - pos);
    std::vector<uint8_t> payload = {static_cast<uint8_t>(pos == 0 ? 0x10 : 0x00)};
    payload.insert(payload.end(), f.bytes.begin() + pos, f.bytes.begin() + pos + n);
    p.add(out, payload, f.ptsUs, pos + n == f.bytes.size());
  }
}

inline std::vector<std::vector<uint8_t>> splitAnnexB(const std::vector<uint8_t>& au) {
  std::vector<std::vector<uint8_t>> nals;
  size_t start = std::string::npos;
  for (size_t i = 0; i + 2 < au.size(); ++i) {
    if (au[i] == 0 && au[i + 1] == 0 && au[i + 2] == 1) {
      if (start != std::string::npos) {
        size_t end = i;
        while (end > start && au[end - 1] == 0) --end;
        nals.emplace_back(au.begin() + start, au.begin() + end);
      }
      start = i + 3;
      i += 2;
    }
  }
  if (start != std::string::npos) nals.emplace_back(au.begin() + start, au.end());
  return nals;
}

// RFC 6184: a NAL unit that fits is sent alone (§5.6), a larger one as FU-A (§5.8).
inline void packetizeH264(Packetizer& p, std::vector<Rtp>& out, const Frame& f) {
  auto nals = splitAnnexB(f.bytes);
  for (size_t k = 0; k < nals.size(); ++k) {
    const auto& nal = nals[k];
    bool last = k + 1 == nals.size();
    if (nal.size() <= kMaxPayload) {
      p.add(out, nal, f.ptsUs, last);
      continue;
    }
    for (size_t pos = 1; pos < nal.size(); pos += kMaxPayload) {
      size_t n = std::min(kMaxPayload, nal.size() - pos);
      bool end = pos + n == nal.size();
      std::vector<uint8_t> payload = {
          static_cast<uint8_t>((nal[0] & 0xe0) | 28),
          static_cast<uint8_t>((pos == 1 ? 0x80 : 0) | (end ? 0x40 : 0) | (nal[0] & 0x1f))};
      payload.insert(payload.end(), nal.begin() + pos, nal.begin() + pos + n);
      p.add(out, payload, f.ptsUs, last && end);
    }
  }
}

// RFC 9628 §4.2, non-flexible mode without layer indices (what Chromium sends for one
// non-SVC encoding): I with a 15-bit picture id, P on inter frames, B/E on the first/last
// packet, and on a keyframe's first packet the scalability structure with its resolution.
inline void packetizeVp9(Packetizer& p, std::vector<Rtp>& out, const Frame& f, uint16_t pictureId,
                         int width, int height) {
  for (size_t pos = 0; pos < f.bytes.size(); pos += kMaxPayload) {
    size_t n = std::min(kMaxPayload, f.bytes.size() - pos);
    bool first = pos == 0, last = pos + n == f.bytes.size();
    bool ss = first && f.key;
    uint8_t flags = static_cast<uint8_t>(0x80 | (f.key ? 0 : 0x40) | (first ? 0x08 : 0) |
                                         (last ? 0x04 : 0) | (ss ? 0x02 : 0));
    std::vector<uint8_t> payload = {flags, static_cast<uint8_t>(0x80 | ((pictureId >> 8) & 0x7f)),
                                    static_cast<uint8_t>(pictureId)};
    if (ss) {  // §4.2.1: N_S = 0, Y = 1, G = 0, then WIDTH and HEIGHT
      payload.insert(payload.end(),
                     {0x10, static_cast<uint8_t>(width >> 8), static_cast<uint8_t>(width),
                      static_cast<uint8_t>(height >> 8), static_cast<uint8_t>(height)});
    }
    payload.insert(payload.end(), f.bytes.begin() + pos, f.bytes.begin() + pos + n);
    p.add(out, payload, f.ptsUs, last);
  }
}

// The OBU elements of a temporal unit: each OBU without its size field (§5 of the AV1
// payload format: SHOULD be zero), temporal delimiters left out.
inline std::vector<std::vector<uint8_t>> av1Elements(const std::vector<uint8_t>& tu) {
  std::vector<std::vector<uint8_t>> elements;
  std::span<const uint8_t> rest(tu);
  while (auto obu = av1::parseObu(rest)) {
    rest = rest.subspan(obu->totalSize);
    if (obu->type == av1::kObuTemporalDelimiter) continue;
    std::vector<uint8_t> e(obu->header.begin(), obu->header.end());
    e[0] &= static_cast<uint8_t>(~0x02);
    e.insert(e.end(), obu->payload.begin(), obu->payload.end());
    elements.push_back(std::move(e));
  }
  return elements;
}

// AV1 payload format §4.4: elements packed into packets of at most kMaxPayload bytes, an
// OBU that does not fit split with Y (continues) / Z (continuation); W = the element count
// when at most 3 (the last without a length), else 0 (all with lengths); N on the first
// packet of a keyframe's temporal unit.
inline void packetizeAv1(Packetizer& p, std::vector<Rtp>& out, const Frame& f) {
  std::vector<std::vector<uint8_t>> elems;
  bool z = false, y = false, firstPacket = true;
  size_t size = 1;
  auto flush = [&](bool marker) {
    uint8_t w = elems.size() <= 3 ? static_cast<uint8_t>(elems.size()) : 0;
    std::vector<uint8_t> payload = {static_cast<uint8_t>(
        (z ? 0x80 : 0) | (y ? 0x40 : 0) | (w << 4) | (firstPacket && f.key ? 0x08 : 0))};
    for (size_t i = 0; i < elems.size(); ++i) {
      if (w == 0 || i + 1 < w) av1::writeLeb128(payload, static_cast<uint32_t>(elems[i].size()));
      payload.insert(payload.end(), elems[i].begin(), elems[i].end());
    }
    p.add(out, payload, f.ptsUs, marker);
    elems.clear();
    z = y;
    y = firstPacket = false;
    size = 1;
  };
  for (const auto& e : av1Elements(f.bytes)) {
    for (size_t pos = 0; pos < e.size();) {
      if (size + 3 >= kMaxPayload) flush(false);
      size_t n = std::min(kMaxPayload - size - 3, e.size() - pos);
      elems.emplace_back(e.begin() + pos, e.begin() + pos + n);
      size += n + 2;
      pos += n;
      if (pos < e.size()) {
        y = true;
        flush(false);
      }
    }
  }
  flush(true);
}

}  // namespace rc::record::testing
