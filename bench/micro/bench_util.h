// Shared pieces of the micro-benchmarks: a loopback UDP sender/receiver pair and
// SRTP sessions keyed with fixed test keys.
#pragma once

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <vector>

#include "crypto/reference/libsrtp_session.h"
#include "crypto/srtp_session.h"
#include "io/socket_address.h"

namespace rc::bench {

// A non-blocking UDP socket bound to 127.0.0.1:0 with a 4 MiB send buffer and a
// receive buffer of `receiveBuffer` bytes (the kernel's minimum when tiny).
inline int boundLoopbackSocket(int receiveBuffer) {
  int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (fd < 0) throw std::runtime_error("socket");
  int buf = 4 << 20;
  (void)setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &buf, sizeof(buf));
  (void)setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &receiveBuffer, sizeof(receiveBuffer));
  io::SocketAddress any = io::SocketAddress::ipv4("127.0.0.1", 0);
  if (::bind(fd, any.sockaddrPtr(), any.length) != 0) throw std::runtime_error("bind");
  return fd;
}

inline io::SocketAddress localAddress(int fd) {
  sockaddr_storage ss{};
  socklen_t len = sizeof(ss);
  getsockname(fd, reinterpret_cast<sockaddr*>(&ss), &len);
  return io::SocketAddress::fromSockaddr(reinterpret_cast<sockaddr*>(&ss), len);
}

// A receiver that is never read: its queue (the kernel's minimum buffer) is full after a
// few datagrams and the kernel then frees each one at the socket, after the whole send
// and loopback receive path, much as a NIC frees a sent buffer. The figure is the cost
// the sending thread pays, without gigabytes of queued skbs distorting it.
inline int sinkSocket() {
  return boundLoopbackSocket(1);
}

// Sender and sink receiver on loopback.
struct LoopbackPair {
  int sender = boundLoopbackSocket(4 << 20);
  int receiver = sinkSocket();
  io::SocketAddress to = localAddress(receiver);
  LoopbackPair() = default;
  LoopbackPair(const LoopbackPair&) = delete;
  LoopbackPair& operator=(const LoopbackPair&) = delete;
  ~LoopbackPair() {
    ::close(sender);
    ::close(receiver);
  }
};

// An SRTP session with fixed test keys: ours (crypto::SrtpSession) or libsrtp2's
// (crypto::reference::LibSrtpSession). `peer` swaps local and remote keys, so a peer
// unprotects what the other protects.
template <typename Session = crypto::SrtpSession>
std::unique_ptr<Session> testSrtpSession(crypto::SrtpProfile profile, bool peer = false) {
  size_t n = crypto::srtpMasterKeyLength(profile) + crypto::srtpMasterSaltLength(profile);
  std::vector<uint8_t> a(n, 0x5a), b(n, 0xa5);
  crypto::SrtpKeys keys{profile, peer ? b : a, peer ? a : b};
  auto s = Session::create(keys);
  if (!s) throw std::runtime_error("SRTP session create");
  return s;
}

// A plausible video packet: 12-byte header, `size` bytes in all.
inline std::vector<uint8_t> rtpPacket(size_t size, uint16_t seq, uint32_t ts, uint32_t ssrc) {
  std::vector<uint8_t> p(size, 0x42);
  p[0] = 0x80;
  p[1] = 96;
  p[2] = uint8_t(seq >> 8);
  p[3] = uint8_t(seq);
  for (int i = 0; i < 4; ++i) p[4 + i] = uint8_t(ts >> (24 - 8 * i));
  for (int i = 0; i < 4; ++i) p[8 + i] = uint8_t(ssrc >> (24 - 8 * i));
  return p;
}

}  // namespace rc::bench
