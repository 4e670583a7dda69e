// What libavformat must know of a stream before the header: Opus gets its OpusHead, video
// its dimensions (and H264 its SPS/PPS) from the first keyframe.
#pragma once

#include <optional>

#include "record/mux/av_output.h"
#include "record/mux/depacketizer.h"

namespace rc::record {

// nullopt for video without a keyframe (or one whose dimensions cannot be read).
std::optional<StreamSetup> streamSetup(const TrackSpec& spec, const AccessUnit* keyframe);

}  // namespace rc::record
