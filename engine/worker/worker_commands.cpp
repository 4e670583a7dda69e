// Commands the control thread sends to a worker (through Engine::postToTransport):
// binding a subscriber's down track to a source, unbinding, closing a transport.
#include <algorithm>

#include <spdlog/spdlog.h>

#include "engine/room/down_track.h"
#include "engine/room/engine.h"
#include "engine/room/published_track.h"
#include "engine/rtcp/sdes_bye.h"
#include "engine/transport/transport.h"
#include "engine/worker/worker.h"

namespace rc::engine {

void Worker::bindDownTrack(DownTrack* down, PublishedTrack* source, int64_t nowUs) {
  if (down->source == source || down->transport->closed) return;
  if (down->source) unbindDownTrack(down, false);
  if (source->closed.load()) return;
  down->source = source;
  // Output continues where the previous source left off (or from the random start):
  // the gap in RTP time is the wall-clock time elapsed, at least one tick.
  if (down->rewriter.anchored()) {
    int64_t elapsedUs = std::max<int64_t>(nowUs - down->lastSourceChangeUs, 1000);
    auto gap = static_cast<uint32_t>(elapsedUs * source->codec.clockRate / 1'000'000);
    down->rewriter.switchSource(std::max<uint32_t>(gap, 1));
  }
  down->lastSourceChangeUs = nowUs;
  auto& subs = source->perWorker[static_cast<size_t>(id_)].subscribers;
  subs.push_back(down);
  source->remoteWorkers.fetch_or(uint64_t{1} << id_, std::memory_order_acq_rel);
  down->lastKeyframeRequestUs = 0;
  if (down->transport->srtp) forwardKeyframeRequest(down);
}

void Worker::unbindDownTrack(DownTrack* down, bool sendBye) {
  PublishedTrack* source = down->source;
  if (!source) return;
  auto& subs = source->perWorker[static_cast<size_t>(id_)].subscribers;
  subs.erase(std::remove(subs.begin(), subs.end(), down), subs.end());
  if (subs.empty())
    source->remoteWorkers.fetch_and(~(uint64_t{1} << id_), std::memory_order_acq_rel);
  down->source = nullptr;
  down->lastSourceChangeUs = nowMicros();
  down->sentSeqs.clear();
  if (sendBye) {
    // RFC 3550 §6.6: the stream this subscriber received has ended.
    uint8_t buf[64];
    uint32_t ssrcs[] = {down->ssrc};
    size_t n = rtcp::writeBye(buf, ssrcs, "publisher left");
    if (n) sendRtcp(down->transport, {buf, n});
  }
}

void Worker::retireTrack(PublishedTrack* track) {
  track->closed = true;
  track->cache.clear([this](io::PacketBuffer* pb) {
    if (pb) release(pb);
  });
}

void Worker::closeTransport(Transport* t, bool notify) {
  if (t->closed) {
    for (auto& down : t->downTracks) unbindDownTrack(down.get(), false);
    return;
  }
  t->closed = true;
  t->state = TransportState::Closed;
  for (auto& down : t->downTracks) unbindDownTrack(down.get(), false);
  for (auto& in : t->inbound) {
    if (in.track) retireTrack(in.track);
  }
  sendGoodbye(t);
  for (auto it = byAddress_.begin(); it != byAddress_.end();) {
    it = it->second == t ? byAddress_.erase(it) : std::next(it);
  }
  owned_.erase(std::remove(owned_.begin(), owned_.end(), t), owned_.end());
  if (notify) engine_.onTransportClosed(t, "closed by worker");
}

}  // namespace rc::engine
