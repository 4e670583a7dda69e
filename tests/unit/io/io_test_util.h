// Helpers for the io backend tests: a plain blocking UDP client on loopback, a sink
// that records every datagram, and a poll loop with a deadline.
#pragma once

#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <system_error>
#include <vector>

#include "io/io_backend.h"
#include "io/socket_address.h"

namespace rc::io::test {

struct Received {
  SocketAddress from;
  std::vector<uint8_t> bytes;
};

class RecordingSink final : public DatagramSink {
 public:
  void onDatagram(const SocketAddress& from, std::span<uint8_t> data) noexcept override {
    received.push_back({from, {data.begin(), data.end()}});
  }
  std::vector<Received> received;
};

// `n` bytes: a 4-byte big-endian sequence number followed by a pattern derived from it.
inline std::vector<uint8_t> numberedPayload(uint32_t seq, size_t n) {
  std::vector<uint8_t> out(n);
  for (size_t i = 0; i < n; ++i) out[i] = static_cast<uint8_t>(seq * 31 + i * 7);
  for (size_t i = 0; i < 4 && i < n; ++i) out[i] = static_cast<uint8_t>(seq >> (24 - 8 * i));
  return out;
}

inline uint32_t payloadSeq(const std::vector<uint8_t>& b) {
  return b.size() < 4
             ? ~0u
             : (uint32_t(b[0]) << 24) | (uint32_t(b[1]) << 16) | (uint32_t(b[2]) << 8) | b[3];
}

// A blocking UDP socket bound to 127.0.0.1:0 with a 2 s receive timeout.
class ClientSocket {
 public:
  ClientSocket() {
    fd_ = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd_ < 0) throw std::system_error(errno, std::generic_category(), "client socket");
    int buf = 4 << 20;
    (void)setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &buf, sizeof(buf));
    timeval tv{2, 0};
    (void)setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    SocketAddress any = SocketAddress::ipv4("127.0.0.1", 0);
    if (::bind(fd_, any.sockaddrPtr(), any.length) != 0) {
      throw std::system_error(errno, std::generic_category(), "client bind");
    }
    sockaddr_storage ss{};
    socklen_t len = sizeof(ss);
    getsockname(fd_, reinterpret_cast<sockaddr*>(&ss), &len);
    address_ = SocketAddress::fromSockaddr(reinterpret_cast<sockaddr*>(&ss), len);
  }
  ~ClientSocket() { ::close(fd_); }
  ClientSocket(const ClientSocket&) = delete;
  ClientSocket& operator=(const ClientSocket&) = delete;

  const SocketAddress& address() const { return address_; }

  bool sendTo(const SocketAddress& to, std::span<const uint8_t> bytes) {
    ssize_t n = ::sendto(fd_, bytes.data(), bytes.size(), 0, to.sockaddrPtr(), to.length);
    return n == static_cast<ssize_t>(bytes.size());
  }

  // The next datagram, or nullopt after the receive timeout.
  std::optional<Received> receive() {
    std::vector<uint8_t> buf(65536);
    sockaddr_storage ss{};
    socklen_t len = sizeof(ss);
    ssize_t n = ::recvfrom(fd_, buf.data(), buf.size(), 0, reinterpret_cast<sockaddr*>(&ss), &len);
    if (n < 0) return std::nullopt;
    buf.resize(static_cast<size_t>(n));
    return Received{SocketAddress::fromSockaddr(reinterpret_cast<sockaddr*>(&ss), len), buf};
  }

 private:
  int fd_ = -1;
  SocketAddress address_;
};

// Polls (10 ms waits) until done() holds or `limit` passes. Adds poll()'s return values
// to *delivered. Returns done().
inline bool pollUntil(IoBackend& backend, DatagramSink& sink, const std::function<bool()>& done,
                      size_t* delivered,
                      std::chrono::milliseconds limit = std::chrono::seconds(3)) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    *delivered += backend.poll(10000, sink);
  }
  return true;
}

}  // namespace rc::io::test
