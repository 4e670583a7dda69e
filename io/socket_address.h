// A remote UDP endpoint (IPv4 or IPv6) usable as a hash-map key.
#pragma once

#include <netinet/in.h>
#include <sys/socket.h>

#include <cstdint>
#include <cstring>
#include <functional>
#include <string>

namespace rc::io {

struct SocketAddress {
  sockaddr_storage storage{};
  socklen_t length = 0;

  static SocketAddress fromSockaddr(const sockaddr* sa, socklen_t len) noexcept {
    SocketAddress a;
    if (len > sizeof(a.storage)) len = sizeof(a.storage);
    std::memcpy(&a.storage, sa, len);
    a.length = len;
    return a;
  }
  static SocketAddress ipv4(const std::string& ip, uint16_t port);   // throws on bad ip
  static SocketAddress parse(const std::string& ip, uint16_t port);  // v4 or v6, throws

  const sockaddr* sockaddrPtr() const noexcept {
    return reinterpret_cast<const sockaddr*>(&storage);
  }
  int family() const noexcept { return storage.ss_family; }
  uint16_t port() const noexcept;
  std::string toString() const;

  bool operator==(const SocketAddress& o) const noexcept;
};

struct SocketAddressHash {
  size_t operator()(const SocketAddress& a) const noexcept;
};

}  // namespace rc::io
