// A track a publisher sends into a room. Shared between the control thread (which
// creates and retires it) and the workers: the publisher's worker writes the packet
// cache; each worker w touches only perWorker[w]; the remote-worker mask is atomic.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "engine/rtp/packet_cache.h"
#include "engine/sdp/negotiation.h"
#include "io/packet_buffer.h"
#include "record/record_tap.h"

namespace rc::engine {

inline constexpr int kMaxWorkers = 64;

class Transport;
struct DownTrack;

struct PublishedTrack {
  std::string id;    // "TR_..." stable id
  std::string kind;  // "audio" | "video"
  std::string mid;   // mid on the publisher's transport
  std::string participant;
  sdp::NegotiatedCodec codec;                // the codec the publisher sends
  std::vector<sdp::NegotiatedCodec> codecs;  // codec + alternatives (e.g. red + opus)
  sdp::NegotiatedExtensions ext;             // publisher-side extension ids
  uint32_t ssrc = 0, rtxSsrc = 0;            // 0 = learn from the first packet (mid extension)
  Transport* publisher = nullptr;

  // Written by each worker for its own bit: which workers have subscribers.
  std::atomic<uint64_t> remoteWorkers{0};
  struct alignas(64) PerWorker {
    std::vector<DownTrack*> subscribers;
  };
  std::array<PerWorker, kMaxWorkers> perWorker;

  // Publisher worker only.
  rtp::PacketCache<io::PacketBuffer*> cache{512};
  bool cachePackets = false;  // only when subscribers may NACK (video with nack)
  int64_t lastKeyframeRequestUs = 0;
  uint8_t firSeq = 0;
  std::atomic<bool> closed{false};
  // Publisher worker only: set and cleared by worker commands (engine/room/record_taps.cpp);
  // null unless the track is being recorded, so fanout pays one test when nothing records.
  std::shared_ptr<record::RecordTap> recordTap;
};

}  // namespace rc::engine
