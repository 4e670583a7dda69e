// The per-subscriber rewrite of one forwarded RTP packet, shared by the worker's
// fan-out (worker_forward.cpp) and the fan-out micro-benchmark: a fresh header with the
// subscriber's SSRC, PT, seq and timestamp, its extension ids (RFC 8285), the payload.
#pragma once

#include <cstring>
#include <span>

#include "crypto/srtp_session.h"
#include "engine/room/down_track.h"
#include "engine/room/published_track.h"
#include "engine/rtp/rtp_packet.h"
#include "engine/rtp/run_padding.h"
#include "engine/rtp/stream_rewriter.h"

namespace rc::engine {

// Extensions we write for a subscriber: its mid, and the publisher's abs-send-time /
// audio level values under the subscriber's ids.
inline size_t collectExtensions(const DownTrack& d, const PublishedTrack& src,
                                const rtp::RtpPacket& pkt, rtp::ExtensionValue* out) noexcept {
  size_t n = 0;
  if (d.ext.mid && !d.mid.empty()) {
    out[n++] = {static_cast<uint8_t>(d.ext.mid),
                {reinterpret_cast<const uint8_t*>(d.mid.data()), d.mid.size()}};
  }
  auto copy = [&](int srcId, int dstId) {
    if (!srcId || !dstId) return;
    if (auto v = pkt.extension(static_cast<uint8_t>(srcId)))
      out[n++] = {static_cast<uint8_t>(dstId), *v};
  };
  copy(src.ext.absSendTime, d.ext.absSendTime);
  copy(src.ext.audioLevel, d.ext.audioLevel);
  return n;
}

// Writes `pkt` as `d` receives it into `slot`, leaving room for the SRTP trailer; a payload
// shorter than `padTo` gets RTP padding up to it (rtp/run_padding.h). Returns the plain
// length, or 0 when it does not fit or cannot be encoded.
inline size_t writeForwardedRtp(const DownTrack& d, const rtp::RtpPacket& pkt, uint8_t pt,
                                const rtp::StreamRewriter::Out& out, std::span<uint8_t> slot,
                                size_t padTo = 0) noexcept {
  rtp::ExtensionValue exts[4];
  size_t extCount = collectExtensions(d, *d.source, pkt, exts);
  rtp::RtpHeaderFields h{pkt.marker(), pt, out.seq, out.ts, d.ssrc};
  size_t n = rtp::writeHeader(slot, h, {exts, extCount});
  auto payload = pkt.payload();
  size_t padding = padTo > payload.size() ? padTo - payload.size() : 0;
  if (n == 0 || n + payload.size() + padding + crypto::SrtpSession::kMaxTrailer > slot.size())
    return 0;
  std::memcpy(slot.data() + n, payload.data(), payload.size());
  if (padding == 0) return n + payload.size();
  return rtp::appendRtpPadding(slot, n + payload.size(), padding);
}

}  // namespace rc::engine
