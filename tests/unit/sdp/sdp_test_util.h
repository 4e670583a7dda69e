// Helpers shared by the rc::sdp unit tests.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "engine/sdp/negotiation.h"
#include "engine/sdp/session_description.h"

namespace rc::sdp::test {

inline std::string loadOffer(const std::string& name) {
  std::ifstream in(std::string(RC_SDP_CORPUS_DIR) + "/" + name, std::ios::binary);
  EXPECT_TRUE(in.good()) << "missing corpus file " << name;
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline SessionDescription parseOk(std::string_view text) {
  auto result = parse(text);
  if (auto* err = std::get_if<ParseError>(&result)) {
    ADD_FAILURE() << "line " << err->line << ": " << err->reason;
    return {};
  }
  return std::get<SessionDescription>(std::move(result));
}

inline SessionDescription loadParsed(const std::string& name) {
  return parseOk(loadOffer(name));
}

// Drops every line that starts with prefix.
inline std::string removeLines(const std::string& text, std::string_view prefix) {
  std::string out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (!std::string_view(line).starts_with(prefix)) out += line + "\n";
  }
  return out;
}

inline std::string replaceAll(std::string text, std::string_view from, std::string_view to) {
  for (size_t pos = text.find(from); pos != std::string::npos;
       pos = text.find(from, pos + to.size())) {
    text.replace(pos, from.size(), to);
  }
  return text;
}

// Moves the given formats to the front of the m= line, in the given order (the offerer's
// preference order, RFC 3264 §5.1).
inline void preferFormats(MediaSection& m, const std::vector<std::string>& first) {
  std::vector<std::string> formats = first;
  for (const std::string& f : m.formats) {
    if (std::find(first.begin(), first.end(), f) == first.end()) formats.push_back(f);
  }
  m.formats = formats;
}

inline LocalParams localParams() {
  LocalParams local;
  local.iceUfrag = "srvU";
  local.icePwd = "srvPwd0123456789abcdefgh";
  local.fingerprintSha256 =
      "01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:"
      "CD:EF";
  local.candidateIp = "192.0.2.10";
  local.candidatePort = 7882;
  return local;
}

inline const SsrcAttr* findSsrcAttr(const MediaSection& m, uint32_t ssrc, std::string_view name) {
  for (const SsrcAttr& a : m.ssrcAttrs) {
    if (a.ssrc == ssrc && a.name == name) return &a;
  }
  return nullptr;
}

inline bool hasFb(const Codec& c, std::string_view fb) {
  return std::find(c.rtcpFb.begin(), c.rtcpFb.end(), fb) != c.rtcpFb.end();
}

inline constexpr const char* kStream = "b1a4c0a2-7d0f-4e43-9b8d-3f1e2a6c5d90";
inline constexpr const char* kAudioTrack = "0f3e8a2b-5c71-4d9e-a6b4-1c2d3e4f5a6b";
inline constexpr const char* kVideoTrack = "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d";

}  // namespace rc::sdp::test
