#include "io/udp_socket.h"

#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>

#include "io/socket_address.h"

namespace rc::io {
namespace {

[[noreturn]] void fail(const char* what) {
  throw std::system_error(errno, std::generic_category(), what);
}

void setIntOption(int fd, int level, int name, int value) {
  // Best effort for buffer sizes: the kernel clamps them to net.core.*mem_max.
  (void)setsockopt(fd, level, name, &value, sizeof(value));
}

}  // namespace

UdpSocket::UdpSocket(const std::string& bindIp, uint16_t port) {
  SocketAddress addr = SocketAddress::parse(bindIp, port);
  fd_ = ::socket(addr.family(), SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd_ < 0) fail("socket");
  int one = 1;
  if (setsockopt(fd_, SOL_SOCKET, SO_REUSEPORT, &one, sizeof(one)) != 0) fail("SO_REUSEPORT");
  setIntOption(fd_, SOL_SOCKET, SO_RCVBUF, 4 << 20);
  setIntOption(fd_, SOL_SOCKET, SO_SNDBUF, 4 << 20);
  if (::bind(fd_, addr.sockaddrPtr(), addr.length) != 0) {
    int err = errno;
    ::close(fd_);
    fd_ = -1;
    throw std::system_error(err, std::generic_category(), "bind media port " + addr.toString());
  }
}

UdpSocket::~UdpSocket() {
  if (fd_ >= 0) ::close(fd_);
}

uint16_t UdpSocket::localPort() const {
  sockaddr_storage ss{};
  socklen_t len = sizeof(ss);
  if (getsockname(fd_, reinterpret_cast<sockaddr*>(&ss), &len) != 0) fail("getsockname");
  return SocketAddress::fromSockaddr(reinterpret_cast<sockaddr*>(&ss), len).port();
}

}  // namespace rc::io
