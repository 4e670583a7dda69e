// Which codecs, feedback and header extensions ringcast accepts (internal to rc_sdp).
#pragma once

#include <string_view>
#include <vector>

#include "engine/sdp/negotiation.h"
#include "engine/sdp/session_description.h"

namespace rc::sdp::detail {

// Offered codecs in m= line order, the offerer's preference order (RFC 3264 §5.1); formats
// without a=rtpmap are skipped.
std::vector<const Codec*> offeredInOrder(const MediaSection& m);

// opus/48000/2 for audio; VP8, VP9 (profile-id 0/2/absent), H264 (packetization-mode=1), AV1
// for video.
bool isSupportedPrimary(std::string_view kind, const Codec& c);

// Section the remote publishes on: only the first supported codec in the offer's order, so the
// publisher's choice is deterministic; audio red/48000/2 only when it comes before opus (then
// red + the opus it carries, RFC 2198).
std::vector<const Codec*> selectForReceive(const MediaSection& m);

// Section the remote only receives on: every supported codec, in the offer's order.
std::vector<const Codec*> selectAllSupported(const MediaSection& m);

// The offered rtx codec whose a=fmtp apt= points at pt (RFC 4588 §8.6), or nullptr.
const Codec* rtxFor(const MediaSection& m, int pt);

NegotiatedCodec toNegotiated(const MediaSection& m, const Codec& c, bool weReceive);

// Answer rtcp-fb values for a negotiated codec (RFC 4585 §4.2, RFC 5104 §7.1).
std::vector<std::string> feedbackLines(const NegotiatedCodec& c);

// Offered header extensions we accept, with the offered ids (RFC 8285 §6); transport-cc, rid and
// repaired-rid only where we receive.
std::vector<ExtMap> acceptedExtensions(const MediaSection& m, bool weReceive);
NegotiatedExtensions extensionIds(const std::vector<ExtMap>& accepted);

}  // namespace rc::sdp::detail
