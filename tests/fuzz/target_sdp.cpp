// Fuzz target for rc::sdp: parse, touch every field, serialize, re-parse, and check that
// serialization is stable; then run the answer negotiation on whatever parsed.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "engine/sdp/negotiation.h"
#include "engine/sdp/session_description.h"

namespace {

size_t touch(const rc::sdp::MediaSection& m) {
  size_t n = m.kind.size() + static_cast<size_t>(m.port + m.portCount) + m.proto.size() +
             m.formats.size() + m.connection.size() + m.mid.size() +
             static_cast<size_t>(m.direction) + m.simulcast.size() + m.msid.size() +
             m.iceUfrag.size() + m.icePwd.size() + m.setup.size() + m.rtcpMux + m.rtcpRsize +
             m.bundleOnly + m.endOfCandidates + m.sctpPort.size() + m.maxMessageSize.size();
  for (const auto& c : m.codecs)
    n += c.pt + c.name.size() + c.clockRate + c.channels + c.fmtp.size() + c.rtcpFb.size();
  for (const auto& e : m.extmaps)
    n += e.id + e.uri.size() + e.direction.size() + e.attributes.size();
  for (const auto& a : m.ssrcAttrs) n += a.ssrc + a.name.size() + a.value.size();
  for (const auto& g : m.ssrcGroups) n += g.semantics.size() + g.ssrcs.size();
  for (const auto& r : m.rids) n += r.id.size() + r.direction.size() + r.params.size();
  for (const auto& c : m.candidates) n += c.raw.size();
  for (const auto& a : m.otherAttributes) n += a.first.size() + a.second.size();
  for (const auto& l : m.otherLines) n += static_cast<size_t>(l.first) + l.second.size();
  if (m.fingerprint) n += m.fingerprint->algorithm.size() + m.fingerprint->value.size();
  return n + m.ssrcs().size();
}

size_t touch(const rc::sdp::SessionDescription& s) {
  size_t n = s.origin.size() + s.sessionName.size() + s.timing.size() + s.connection.size() +
             s.bundleGroups.size() + s.iceLite + s.iceUfrag.size() + s.icePwd.size() +
             s.setup.size() + s.msidSemantic.size() + s.otherAttributes.size() +
             s.otherLines.size();
  if (s.fingerprint) n += s.fingerprint->value.size();
  for (const auto& m : s.media) {
    n += touch(m);
    auto t = rc::sdp::effectiveTransport(s, m);
    n += t.iceUfrag.size() + t.setup.size();
  }
  return n;
}

bool fitsLimits(const std::string& text) {
  size_t lines = 0;
  for (char c : text) lines += c == '\n';
  return text.size() <= rc::sdp::kMaxSdpBytes && lines <= rc::sdp::kMaxSdpLines;
}

void negotiateAnyway(const rc::sdp::SessionDescription& offer) {
  rc::sdp::LocalParams local{"ufrag", "pwd", "AA:BB", "192.0.2.1", 7882};
  local.announceSendOnlyWithoutTrack = true;
  auto result = rc::sdp::negotiate(offer, local, {});
  if (!result.error.empty()) return;
  // The answer we produce must itself parse.
  if (!std::holds_alternative<rc::sdp::SessionDescription>(
          rc::sdp::parse(result.answer.serialize()))) {
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto first = rc::sdp::parse(text);
  auto* sdp = std::get_if<rc::sdp::SessionDescription>(&first);
  if (!sdp) return 0;
  volatile size_t sink = touch(*sdp);
  (void)sink;
  std::string once = sdp->serialize();
  negotiateAnyway(*sdp);
  if (!fitsLimits(once)) return 0;  // CRLF and default lines may push a huge input past limits
  auto second = rc::sdp::parse(once);
  auto* again = std::get_if<rc::sdp::SessionDescription>(&second);
  if (!again || again->serialize() != once) std::abort();
  return 0;
}
