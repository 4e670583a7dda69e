// What libavformat must know of a stream before the header: Opus gets its OpusHead, video
// its dimensions from the first keyframe, H264 its SPS/PPS, VP9 its profile and pixel format
// (for vpcC), AV1 its sequence header OBU (for av1C).
#pragma once

#include <optional>

#include "record/mux/av_output.h"
#include "record/mux/depacketizer.h"

namespace rc::record {

// nullopt for video without a keyframe (or one whose dimensions cannot be read).
std::optional<StreamSetup> streamSetup(const TrackSpec& spec, const AccessUnit* keyframe);

}  // namespace rc::record
