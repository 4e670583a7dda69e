// Small string helpers shared by the SDP parser, serializer and negotiation (internal).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rc::sdp::text {

std::string_view trim(std::string_view s);

// Splits on runs of SP/HTAB; no empty tokens.
std::vector<std::string_view> splitWs(std::string_view s);

// Splits on every occurrence of sep; keeps empty tokens.
std::vector<std::string_view> split(std::string_view s, char sep);

// Splits at the first sep: {before, after}; nullopt when sep is absent.
struct Halves {
  std::string_view head, tail;
};
std::optional<Halves> splitFirst(std::string_view s, char sep);

// Whole-token decimal parse, no sign, no leading '+'; nullopt on overflow past max.
std::optional<uint64_t> parseUint(std::string_view s, uint64_t max);

bool iequals(std::string_view a, std::string_view b);

// Value of key in an a=fmtp parameter list "k1=v1;k2=v2" (RFC 8866 §6.15); keys compare
// case-insensitively.
std::optional<std::string> fmtpParam(std::string_view fmtp, std::string_view key);

}  // namespace rc::sdp::text
