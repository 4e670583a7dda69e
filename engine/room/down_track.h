// What one subscriber receives in one m-line: the source track bound to it (if any)
// and the per-subscriber rewriting state. Owned by the subscriber's transport and
// touched only by the worker that owns that transport.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "engine/room/sent_seq_map.h"
#include "engine/rtp/stream_rewriter.h"
#include "engine/sdp/negotiation.h"

namespace rc::engine {

class Transport;
struct PublishedTrack;

struct DownTrack {
  DownTrack(uint16_t firstSeq, uint32_t firstTs) : rewriter(firstSeq, firstTs) {}

  Transport* transport = nullptr;
  std::string mid;
  std::string kind;
  uint32_t ssrc = 0, rtxSsrc = 0;
  std::vector<sdp::NegotiatedCodec> codecs;  // what the subscriber accepted
  sdp::NegotiatedExtensions ext;

  PublishedTrack* source = nullptr;
  std::array<int16_t, 128> ptMap{};  // source PT -> subscriber PT, -1 = not deliverable
  int rtxPt = -1;                    // subscriber RTX PT for the mapped codec
  rtp::StreamRewriter rewriter;
  bool rewriterAnchored = false;
  int64_t lastSourceChangeUs = 0;
  uint32_t lastSourceTs = 0;

  uint16_t rtxSeq = 0;
  uint32_t packetsSent = 0, octetsSent = 0;
  int64_t lastKeyframeRequestUs = 0;  // PLI/FIR from this subscriber, rate-limited
  SentSeqMap sentSeqs;                // video only, to answer NACKs from the packet cache
};

// Builds ptMap/rtxPt of `down` for a source codec list. Returns false when the
// subscriber accepted none of the source's codecs.
bool mapCodecs(DownTrack& down, const std::vector<sdp::NegotiatedCodec>& sourceCodecs);

}  // namespace rc::engine
