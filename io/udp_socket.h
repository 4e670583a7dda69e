// UDP sockets for the media port: one per worker, all in one SO_REUSEPORT group so
// the kernel spreads remote 5-tuples over the workers.
#pragma once

#include <cstdint>
#include <string>

namespace rc::io {

class UdpSocket {
 public:
  // Binds ip:port with SO_REUSEPORT, non-blocking, large buffers. Throws std::system_error.
  UdpSocket(const std::string& bindIp, uint16_t port);
  ~UdpSocket();
  UdpSocket(const UdpSocket&) = delete;
  UdpSocket& operator=(const UdpSocket&) = delete;

  int fd() const noexcept { return fd_; }
  uint16_t localPort() const;

 private:
  int fd_ = -1;
};

}  // namespace rc::io
