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

// Don't Fragment on every datagram, without consulting the learned path MTU (the
// PROBE modes). Media is packetised to <= 1200 bytes and DTLS has its own MTU, so
// nothing needs IP fragmentation (RFC 8085 §3.2: applications should not rely on it).
// DF also lets the kernel write IP ID 0 instead of hashing a per-destination ID for each
// datagram (ip_select_ident_segs), a cost paid on every send of the fan-out.
void setDontFragment(int fd, int family) {
  setIntOption(fd, IPPROTO_IP, IP_MTU_DISCOVER, IP_PMTUDISC_PROBE);  // also v4-mapped on v6
  if (family == AF_INET6) setIntOption(fd, IPPROTO_IPV6, IPV6_MTU_DISCOVER, IPV6_PMTUDISC_PROBE);
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
  setDontFragment(fd_, addr.family());
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
