// Fuzz target: RTP parsing (RFC 3550 §5.1, RFC 8285), header-extension values, RTX unwrapping,
// and re-serialization of the parsed header (parse -> writeHeader -> parse must agree).
#include <array>
#include <cstdint>
#include <cstdlib>
#include <span>

#include "engine/rtp/header_extensions.h"
#include "engine/rtp/nack_generator.h"
#include "engine/rtp/rtp_packet.h"
#include "engine/rtp/rtx.h"
#include "engine/rtp/stream_rewriter.h"

namespace {

using namespace rc::rtp;

void check(bool ok) {
  if (!ok) std::abort();
}

void touchExtensionValues(const RtpPacket& p) {
  p.forEachExtension([](uint8_t id, std::span<const uint8_t> v) {
    (void)parseAbsSendTime(v);
    (void)parseTransportSequence(v);
    (void)parseAudioLevel(v);
    (void)parseStringValue(v);
    check(id != 0);
  });
  for (uint8_t id = 0; id < 16; ++id) (void)p.extension(id);
}

void reserialize(const RtpPacket& p) {
  std::array<ExtensionValue, 64> exts{};
  size_t n = 0;
  p.forEachExtension([&](uint8_t id, std::span<const uint8_t> v) {
    if (n < exts.size()) exts[n++] = ExtensionValue{id, v};
  });
  std::array<uint8_t, 65536> buf;
  const RtpHeaderFields h{p.marker(), p.payloadType(), p.sequenceNumber(), p.timestamp(), p.ssrc()};
  const size_t w = writeHeader(buf, h, std::span<const ExtensionValue>(exts.data(), n));
  if (w == 0) return;
  auto q = RtpPacket::parse(std::span<const uint8_t>(buf.data(), w));
  check(q.has_value());
  check(q->sequenceNumber() == p.sequenceNumber() && q->timestamp() == p.timestamp());
  check(q->ssrc() == p.ssrc() && q->payloadType() == p.payloadType());
  for (size_t i = 0; i < n; ++i) {
    auto v = q->extension(exts[i].id);
    check(v.has_value());
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto p = RtpPacket::parse(std::span<const uint8_t>(data, size));
  if (!p) return 0;
  check(p->headerSize() + p->payload().size() + p->paddingSize() == size);
  for (size_t i = 0; i <= p->csrcCount(); ++i) (void)p->csrc(i);
  (void)p->hasOneByteExtensions();
  (void)p->hasTwoByteExtensions();
  touchExtensionValues(*p);
  reserialize(*p);
  uint16_t osn = 0;
  std::span<const uint8_t> original;
  if (unwrapRtx(*p, osn, original)) {
    std::array<uint8_t, 65536> buf;
    check(restoreFromRtx(buf, *p, 96, 1234) == p->headerSize() + original.size());
  }
  static StreamRewriter rewriter(1000, 90000);
  static NackGenerator nacks;
  (void)rewriter.rewrite(p->sequenceNumber(), p->timestamp());
  if (p->marker()) rewriter.skip(static_cast<uint16_t>(p->sequenceNumber() + 1));
  nacks.onPacket(p->sequenceNumber(), p->timestamp());
  std::array<uint16_t, 64> out;
  (void)nacks.collectNacks(p->timestamp(), 20, out);
  return 0;
}
