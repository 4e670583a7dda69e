// The turn's media batch: packets for local subscribers are collected while the turn reads
// its input (the socket, then the rings from other workers) and fanned out afterwards,
// subscriber by subscriber over all its tracks (Worker::forwardTurnBatches, ARCHITECTURE §9).
// Nothing waits for input that has not arrived: the batch is what one turn read.
#include <algorithm>

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

// Each track's packets in arrival order; the tracks largest packets first, so that where two
// tracks go to one transport (a participant's video and audio) a subscriber's audio follows
// a video frame and leaves as the short last segment of its GSO run (planTurnOrder).
void Worker::forwardPendingMedia() noexcept {
  trackBatches_.clear();
  batchPackets_.clear();
  batchPadTo_.clear();
  for (size_t first = 0; first < pendingMedia_.size(); ++first) {
    if (pendingMedia_[first].track != nullptr) collectTrackBatch(first);
  }
  std::stable_sort(
      trackBatches_.begin(), trackBatches_.end(),
      [](const TrackBatch& a, const TrackBatch& b) { return a.largestPayload > b.largestPayload; });
  forwardTurnBatches();
  for (const PendingMedia& m : pendingMedia_) release(m.buffer);
  pendingMedia_.clear();
}

// Parses the packets of pendingMedia_[first]'s track (clearing their track: collected).
void Worker::collectTrackBatch(size_t first) noexcept {
  PublishedTrack* track = pendingMedia_[first].track;
  TrackBatch batch{track, track->perWorker[static_cast<size_t>(id_)].subscribers,
                   static_cast<uint32_t>(batchPackets_.size()), 0, 0};
  for (size_t i = first; i < pendingMedia_.size(); ++i) {
    PendingMedia& m = pendingMedia_[i];
    if (m.track != track) continue;
    m.track = nullptr;
    if (auto pkt = rtp::RtpPacket::parse({m.buffer->data, m.buffer->length})) {
      batchEndsFrame_[batchPackets_.size()] = pkt->marker();
      batchPackets_.push_back(*pkt);
      batch.largestPayload =
          std::max(batch.largestPayload, static_cast<uint16_t>(pkt->payload().size()));
    }
  }
  batch.count = static_cast<uint32_t>(batchPackets_.size()) - batch.first;
  if (batch.count == 0) return;
  trackBatches_.push_back(batch);
  planBatchPadding(batch);
}

// The order every subscriber gets the turn's packets in (rtp/track_interleave.h).
void Worker::planTurnOrder() noexcept {
  turnTracks_.clear();
  for (const TrackBatch& b : trackBatches_) {
    turnTracks_.push_back({b.count, {batchEndsFrame_.get() + b.first, b.count}});
  }
  rtp::interleaveTracks(turnTracks_, turnOrder_);
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
// Appends the batch's entries to batchPadTo_ (0: no padding).
void Worker::planBatchPadding(const TrackBatch& batch) noexcept {
  batchPadTo_.resize(batch.first + batch.count, 0);
  if (!io_->counters().gsoEnabled || batch.count < 2) return;
  auto packets = std::span(batchPackets_).subspan(batch.first, batch.count);
  batchShapes_.clear();
  for (const rtp::RtpPacket& pkt : packets) {
    batchShapes_.push_back(
        {static_cast<uint16_t>(pkt.payload().size()), headerShape(*batch.track, pkt)});
  }
  rtp::planRunPadding(batchShapes_, std::span(batchPadTo_).subspan(batch.first, batch.count));
}

}  // namespace rc::engine
