#include "engine/transport/transport.h"

#include "engine/room/down_track.h"

namespace rc::engine {

InboundStream* Transport::findInbound(uint32_t ssrc) noexcept {
  for (auto& s : inbound) {
    if (s.ssrc == ssrc || (s.rtxSsrc && s.rtxSsrc == ssrc)) return &s;
  }
  return nullptr;
}

DownTrack* Transport::findDownTrack(uint32_t ssrc) noexcept {
  for (auto& d : downTracks) {
    if (d->ssrc == ssrc || (d->rtxSsrc && d->rtxSsrc == ssrc)) return d.get();
  }
  return nullptr;
}

void Transport::addInbound(InboundStream stream) {
  if (!feedback) feedback = std::make_unique<rtcp::TransportFeedbackBuilder>();
  inbound.push_back(std::move(stream));
}

}  // namespace rc::engine
