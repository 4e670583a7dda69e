// a= attribute parsing for the SDP parser (internal to rc_sdp).
#pragma once

#include <string>
#include <string_view>

#include "engine/sdp/session_description.h"

namespace rc::sdp::detail {

// Thrown by attribute and line parsers; parse() turns it into a ParseError with the line.
struct SyntaxError {
  std::string reason;
};
[[noreturn]] void fail(std::string reason);

// Payload type 0..127 (RFC 3551 §3, RFC 8866 §5.14); `what` names the line in the reason.
int parsePayloadType(std::string_view token, std::string_view what);

// name is the part before the first ':', value the (trimmed) rest, "" for property attributes.
void applySessionAttribute(SessionDescription& s, std::string_view name, std::string_view value);
void applyMediaAttribute(MediaSection& m, std::string_view name, std::string_view value);

}  // namespace rc::sdp::detail
