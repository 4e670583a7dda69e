// What travels on the SPSC ring between two workers: a reference to a packet
// decrypted once by the publisher's worker.
#pragma once

#include <cstdint>

#include "io/packet_buffer.h"

namespace rc::engine {

struct PublishedTrack;
struct DownTrack;

enum class FanoutKind : uint8_t {
  Media,       // forward to every local subscriber of `track`
  Retransmit,  // answer a NACK of `target` (output seq `outSeq`)
  Foreign,     // a raw datagram received by another worker for a transport we own
  // A NACK of `target` for source seq `sourceSeq` (output seq `outSeq`), sent to the
  // publisher's worker, which owns the packet cache (no buffer; replaces a posted
  // command, so answering NACKs neither allocates nor locks).
  NackRequest,
  KeyframeRequest,  // a subscriber's PLI/FIR for `track`, sent to the publisher's worker
};

struct FanoutItem {
  io::PacketBuffer* buffer = nullptr;
  PublishedTrack* track = nullptr;
  DownTrack* target = nullptr;
  uint16_t outSeq = 0;
  FanoutKind kind = FanoutKind::Media;
  uint16_t sourceSeq = 0;  // NackRequest only
};

}  // namespace rc::engine
