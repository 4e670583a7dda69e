// UDP generic segmentation offload (UDP_SEGMENT, Linux >= 4.18) for the send path:
// one sendmsg carries a run of datagrams to one destination, all `segmentSize` bytes
// long except the last, which may be shorter (the kernel's rule, udp_send_skb()).
// The kernel then walks the stack once per run instead of once per datagram.
#pragma once

#include <netinet/in.h>
#include <netinet/udp.h>
#include <sys/socket.h>

#include <cstdint>
#include <cstring>
#include <span>
#include <vector>

#include "io/socket_address.h"

#ifndef UDP_SEGMENT
#define UDP_SEGMENT 103
#endif

namespace rc::io {

// The kernel's UDP_MAX_SEGMENTS (64 since 4.18) and the 64 KiB IP datagram bound.
inline constexpr size_t kMaxGsoSegments = 64;
inline constexpr size_t kMaxGsoBytes = 65000;

// True when the socket accepts the UDP_SEGMENT option (probed once at start-up).
bool udpGsoSupported(int fd) noexcept;

// The control message of one GSO sendmsg.
struct GsoControl {
  alignas(cmsghdr) uint8_t buffer[CMSG_SPACE(sizeof(uint16_t))];

  void attach(msghdr& hdr, uint16_t segmentSize) noexcept {
    std::memset(buffer, 0, sizeof(buffer));
    hdr.msg_control = buffer;
    hdr.msg_controllen = sizeof(buffer);
    cmsghdr* c = CMSG_FIRSTHDR(&hdr);
    c->cmsg_level = SOL_UDP;
    c->cmsg_type = UDP_SEGMENT;
    c->cmsg_len = CMSG_LEN(sizeof(uint16_t));
    std::memcpy(CMSG_DATA(c), &segmentSize, sizeof(segmentSize));
  }
};

// One queued datagram: its send slot, length and destination.
struct QueuedSend {
  uint32_t slot = 0;
  uint32_t length = 0;
  SocketAddress to;
};

// A run of queued sends that goes out as one message: order[first .. first+count).
// segmentSize is the GSO segment size when count > 1.
struct SendRun {
  uint32_t first = 0;
  uint16_t count = 0;
  uint16_t segmentSize = 0;
};

// Groups one loop turn's sends per destination (keeping each destination's order) and
// cuts each destination's sends into GSO runs. Preallocated for `maxSends`: plan()
// never allocates.
class GsoPlanner {
 public:
  explicit GsoPlanner(size_t maxSends);

  // Fills order() and runs(). Without `gso` every run is a single datagram, in queue order.
  void plan(std::span<const QueuedSend> sends, bool gso) noexcept;

  const std::vector<uint32_t>& order() const noexcept { return order_; }
  const std::vector<SendRun>& runs() const noexcept { return runs_; }

 private:
  uint32_t destinationOf(std::span<const QueuedSend> sends, uint32_t index) noexcept;
  void cutRuns(std::span<const QueuedSend> sends, uint32_t head) noexcept;

  static constexpr uint32_t kNone = ~0u;
  struct Destination {
    uint32_t firstSend = kNone;  // index into sends; also the key's representative
    uint32_t head = kNone, tail = kNone;
    uint32_t generation = 0;
  };
  std::vector<Destination> table_;  // open addressing, power-of-two size
  std::vector<uint32_t> next_;      // per send: next send to the same destination
  std::vector<uint32_t> heads_;     // destinations in order of first appearance
  std::vector<uint32_t> order_;
  std::vector<SendRun> runs_;
  uint32_t generation_ = 0;
};

}  // namespace rc::io
