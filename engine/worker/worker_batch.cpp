// The turn's media batch: packets for local subscribers are collected while the turn reads
// its input (the socket, then the rings from other workers) and fanned out afterwards, track
// by track and subscriber by subscriber (Worker::forwardBatch, docs/ARCHITECTURE.md §9).
// Nothing waits for input that has not arrived: the batch is what one turn read.
#include "engine/room/published_track.h"
#include "engine/rtp/rtp_packet.h"
#include "engine/worker/worker.h"

namespace rc::engine {

// Reserved for kMaxPendingMedia in the constructor; a full batch is forwarded on the spot.
void Worker::queueMedia(PublishedTrack* track, io::PacketBuffer* pb) noexcept {
  if (pendingMedia_.size() == kMaxPendingMedia) forwardPendingMedia();
  io::retain(pb);
  pendingMedia_.push_back({track, pb});
}

// Each track's packets in arrival order; tracks in the order their first packet came.
void Worker::forwardPendingMedia() noexcept {
  for (size_t first = 0; first < pendingMedia_.size(); ++first) {
    PublishedTrack* track = pendingMedia_[first].track;
    if (track == nullptr) continue;  // forwarded with an earlier packet of its track
    batchPackets_.clear();
    for (size_t i = first; i < pendingMedia_.size(); ++i) {
      PendingMedia& m = pendingMedia_[i];
      if (m.track != track) continue;
      m.track = nullptr;
      if (auto pkt = rtp::RtpPacket::parse({m.buffer->data, m.buffer->length})) {
        batchPackets_.push_back(*pkt);
      }
    }
    planBatchPadding(*track);
    forwardBatch(track->perWorker[static_cast<size_t>(id_)].subscribers, batchPackets_,
                 batchPadTo_);
  }
  for (const PendingMedia& m : pendingMedia_) release(m.buffer);
  pendingMedia_.clear();
}

namespace {

// Packets whose copied extensions (collectExtensions) have the same sizes get subscriber
// headers of the same size, so equal padded payloads make equal datagrams.
uint16_t headerShape(const PublishedTrack& track, const rtp::RtpPacket& pkt) noexcept {
  auto sizeOf = [&](int id) -> unsigned {
    if (id == 0) return 0;
    auto v = pkt.extension(static_cast<uint8_t>(id));
    return v ? static_cast<unsigned>(v->size()) + 1 : 0;
  };
  return static_cast<uint16_t>(sizeOf(track.ext.absSendTime) << 8 | sizeOf(track.ext.audioLevel));
}

}  // namespace

// With GSO, each subscriber's copies of a frame should be one run (rtp/run_padding.h).
void Worker::planBatchPadding(const PublishedTrack& track) noexcept {
  batchPadTo_.assign(batchPackets_.size(), 0);
  if (!io_->counters().gsoEnabled || batchPackets_.size() < 2) return;
  batchShapes_.clear();
  for (const rtp::RtpPacket& pkt : batchPackets_) {
    batchShapes_.push_back({static_cast<uint16_t>(pkt.payload().size()), headerShape(track, pkt)});
  }
  rtp::planRunPadding(batchShapes_, batchPadTo_);
}

}  // namespace rc::engine
