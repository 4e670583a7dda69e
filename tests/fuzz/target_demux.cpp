// Fuzz target: RFC 7983 §7 first-byte demultiplexing, then the parse the class calls for:
// STUN header check (RFC 8489 §5), DTLS record walk (RFC 6347 §4.1), RTP, RTCP compound.
#include <cstdint>
#include <cstdlib>
#include <span>

#include "engine/rtcp/rtcp.h"
#include "engine/rtp/demux.h"
#include "engine/rtp/rtp_packet.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace rc;
  const std::span<const uint8_t> in(data, size);
  switch (rtp::classify(in)) {
    case rtp::PacketClass::Stun:
      (void)rtp::isStunHeader(in);
      break;
    case rtp::PacketClass::Dtls: {
      rtp::DtlsRecordWalker walker(in);
      size_t total = 0;
      while (auto r = walker.next()) total += 13 + r->fragment.size();
      if (!walker.malformed() && total != size) std::abort();
      break;
    }
    case rtp::PacketClass::Rtp:
      if (auto p = rtp::RtpPacket::parse(in)) (void)p->payload();
      break;
    case rtp::PacketClass::Rtcp: {
      rtcp::CompoundReader reader(in);
      while (auto v = reader.next()) (void)v->body;
      break;
    }
    case rtp::PacketClass::Unknown:
      break;
  }
  return 0;
}
