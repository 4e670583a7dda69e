#include "io/socket_address.h"

#include <arpa/inet.h>

#include <stdexcept>

namespace rc::io {

SocketAddress SocketAddress::ipv4(const std::string& ip, uint16_t port) {
  SocketAddress a;
  auto* sin = reinterpret_cast<sockaddr_in*>(&a.storage);
  sin->sin_family = AF_INET;
  sin->sin_port = htons(port);
  if (inet_pton(AF_INET, ip.c_str(), &sin->sin_addr) != 1) {
    throw std::invalid_argument("not an IPv4 address: " + ip);
  }
  a.length = sizeof(sockaddr_in);
  return a;
}

SocketAddress SocketAddress::parse(const std::string& ip, uint16_t port) {
  if (ip.find(':') == std::string::npos) return ipv4(ip, port);
  SocketAddress a;
  auto* sin6 = reinterpret_cast<sockaddr_in6*>(&a.storage);
  sin6->sin6_family = AF_INET6;
  sin6->sin6_port = htons(port);
  if (inet_pton(AF_INET6, ip.c_str(), &sin6->sin6_addr) != 1) {
    throw std::invalid_argument("not an IP address: " + ip);
  }
  a.length = sizeof(sockaddr_in6);
  return a;
}

uint16_t SocketAddress::port() const noexcept {
  if (family() == AF_INET) return ntohs(reinterpret_cast<const sockaddr_in*>(&storage)->sin_port);
  if (family() == AF_INET6)
    return ntohs(reinterpret_cast<const sockaddr_in6*>(&storage)->sin6_port);
  return 0;
}

std::string SocketAddress::toString() const {
  char buf[INET6_ADDRSTRLEN] = {0};
  if (family() == AF_INET) {
    inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in*>(&storage)->sin_addr, buf, sizeof(buf));
    return std::string(buf) + ":" + std::to_string(port());
  }
  if (family() == AF_INET6) {
    inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6*>(&storage)->sin6_addr, buf,
              sizeof(buf));
    return "[" + std::string(buf) + "]:" + std::to_string(port());
  }
  return "?";
}

bool SocketAddress::operator==(const SocketAddress& o) const noexcept {
  if (family() != o.family()) return false;
  if (family() == AF_INET) {
    auto* a = reinterpret_cast<const sockaddr_in*>(&storage);
    auto* b = reinterpret_cast<const sockaddr_in*>(&o.storage);
    return a->sin_port == b->sin_port && a->sin_addr.s_addr == b->sin_addr.s_addr;
  }
  if (family() == AF_INET6) {
    auto* a = reinterpret_cast<const sockaddr_in6*>(&storage);
    auto* b = reinterpret_cast<const sockaddr_in6*>(&o.storage);
    return a->sin6_port == b->sin6_port &&
           std::memcmp(&a->sin6_addr, &b->sin6_addr, sizeof(in6_addr)) == 0;
  }
  return false;
}

size_t SocketAddressHash::operator()(const SocketAddress& a) const noexcept {
  uint64_t h = 1469598103934665603ull;
  auto mix = [&h](const void* p, size_t n) {
    auto* b = static_cast<const uint8_t*>(p);
    for (size_t i = 0; i < n; ++i) h = (h ^ b[i]) * 1099511628211ull;
  };
  if (a.family() == AF_INET) {
    auto* s = reinterpret_cast<const sockaddr_in*>(&a.storage);
    mix(&s->sin_addr, sizeof(s->sin_addr));
    mix(&s->sin_port, sizeof(s->sin_port));
  } else if (a.family() == AF_INET6) {
    auto* s = reinterpret_cast<const sockaddr_in6*>(&a.storage);
    mix(&s->sin6_addr, sizeof(s->sin6_addr));
    mix(&s->sin6_port, sizeof(s->sin6_port));
  }
  return static_cast<size_t>(h);
}

}  // namespace rc::io
