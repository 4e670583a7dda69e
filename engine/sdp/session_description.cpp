#include "engine/sdp/session_description.h"

#include <algorithm>

namespace rc::sdp {

std::string_view toString(Direction d) {
  switch (d) {
    case Direction::SendRecv:
      return "sendrecv";
    case Direction::SendOnly:
      return "sendonly";
    case Direction::RecvOnly:
      return "recvonly";
    case Direction::Inactive:
      return "inactive";
  }
  return "sendrecv";
}

std::optional<Direction> directionFromString(std::string_view s) {
  if (s == "sendrecv") return Direction::SendRecv;
  if (s == "sendonly") return Direction::SendOnly;
  if (s == "recvonly") return Direction::RecvOnly;
  if (s == "inactive") return Direction::Inactive;
  return std::nullopt;
}

Direction reverse(Direction d) {
  if (d == Direction::SendOnly) return Direction::RecvOnly;
  if (d == Direction::RecvOnly) return Direction::SendOnly;
  return d;
}

std::vector<uint32_t> MediaSection::ssrcs() const {
  std::vector<uint32_t> out;
  auto add = [&out](uint32_t ssrc) {
    if (std::find(out.begin(), out.end(), ssrc) == out.end()) out.push_back(ssrc);
  };
  for (const SsrcAttr& a : ssrcAttrs) add(a.ssrc);
  for (const SsrcGroup& g : ssrcGroups) {
    for (uint32_t ssrc : g.ssrcs) add(ssrc);
  }
  return out;
}

const Codec* MediaSection::findCodec(int pt) const {
  for (const Codec& c : codecs) {
    if (c.pt == pt) return &c;
  }
  return nullptr;
}

TransportAttributes effectiveTransport(const SessionDescription& session, const MediaSection& m) {
  TransportAttributes t;
  t.iceUfrag = m.iceUfrag.empty() ? session.iceUfrag : m.iceUfrag;
  t.icePwd = m.icePwd.empty() ? session.icePwd : m.icePwd;
  t.fingerprint = m.fingerprint ? m.fingerprint : session.fingerprint;
  t.setup = m.setup.empty() ? session.setup : m.setup;
  return t;
}

}  // namespace rc::sdp
