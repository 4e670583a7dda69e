// Fuzz target: RTCP compound walking (RFC 3550 §6.1) and every packet parser; parsed values
// are re-serialized with the builders and parsed again.
#include <array>
#include <cstdint>
#include <cstdlib>
#include <span>

#include "engine/rtcp/rtcp.h"

namespace {

using namespace rc::rtcp;

void check(bool ok) {
  if (!ok) std::abort();
}

std::optional<RtcpPacketView> reparse(std::span<const uint8_t> buf, size_t n) {
  check(n > 0);
  auto v = parseRtcpHeader(buf.first(n));
  check(v.has_value());
  return v;
}

void reports(const RtcpPacketView& v, std::span<uint8_t> buf) {
  if (auto sr = parseSenderReport(v)) {
    auto back = parseSenderReport(*reparse(buf, writeSenderReport(buf, *sr)));
    check(back && back->rtpTs == sr->rtpTs && back->reports.size() == sr->reports.size());
  }
  if (auto rr = parseReceiverReport(v)) {
    auto back = parseReceiverReport(*reparse(buf, writeReceiverReport(buf, *rr)));
    check(back && back->reports.size() == rr->reports.size());
  }
  if (auto sdes = parseSdes(v)) {
    for (const auto& c : sdes->chunks) {
      if (c.cname.empty()) continue;
      auto back = parseSdes(*reparse(buf, writeSdesCname(buf, c.ssrc, c.cname)));
      check(back && back->chunks.size() == 1 && back->chunks[0].cname == c.cname);
    }
  }
  if (auto bye = parseBye(v)) {
    auto back = parseBye(*reparse(buf, writeBye(buf, bye->ssrcs.span(), bye->reason)));
    check(back && back->ssrcs.size() == bye->ssrcs.size() && back->reason == bye->reason);
  }
}

void feedback(const RtcpPacketView& v, std::span<uint8_t> buf) {
  if (auto nack = parseNack(v)) {
    const size_t n = writeNack(buf, nack->senderSsrc, nack->mediaSsrc, nack->lost.span());
    auto back = parseNack(*reparse(buf, n));
    check(back.has_value());
  }
  if (auto pli = parsePli(v)) check(writePli(buf, pli->senderSsrc, pli->mediaSsrc) > 0);
  if (auto fir = parseFir(v)) {
    for (const auto& e : fir->entries) {
      auto back = parseFir(*reparse(buf, writeFir(buf, fir->senderSsrc, e.ssrc, e.seqNr)));
      check(back && back->entries[0].seqNr == e.seqNr);
    }
  }
  (void)parseRemb(v);
  if (auto tf = parseTransportFeedback(v)) {
    size_t count = 0;
    tf->forEachPacket([&](const TwccPacketStatus&) { ++count; });
    check(count == tf->statusCount);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static std::array<uint8_t, 1 << 18> buf;
  CompoundReader reader(std::span<const uint8_t>(data, size));
  while (auto v = reader.next()) {
    check(v->packet.size() == (size_t{v->lengthWords} + 1) * 4);
    reports(*v, buf);
    feedback(*v, buf);
  }
  (void)reader.malformed();
  static TransportFeedbackBuilder builder;
  for (size_t i = 0; i + 4 <= size; i += 4) {
    builder.onPacket(static_cast<uint16_t>(data[i] << 8 | data[i + 1]),
                     int64_t{data[i + 2]} * 1000 + data[i + 3]);
  }
  while (builder.hasPending()) {
    const size_t n = builder.build(buf, 1, 2);
    check(n > 0);
    check(parseTransportFeedback(*reparse(buf, n)).has_value());
  }
  return 0;
}
