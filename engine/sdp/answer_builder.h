// Turns negotiated sections into the answer SDP (internal to rc_sdp).
#pragma once

#include <string>
#include <vector>

#include "engine/sdp/negotiation.h"

namespace rc::sdp::detail {

struct AnswerContext {
  const LocalParams& local;
  std::string setup;  // our a=setup value
};

SessionDescription buildAnswer(const SessionDescription& offer,
                               const std::vector<NegotiatedMedia>& media, const AnswerContext& ctx);

}  // namespace rc::sdp::detail
