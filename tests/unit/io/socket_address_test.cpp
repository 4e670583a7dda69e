// SocketAddress: parsing, toString, equality and hashing for IPv4 and IPv6.
#include "io/socket_address.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>

#include <cstring>
#include <stdexcept>
#include <unordered_set>

namespace rc::io {
namespace {

TEST(SocketAddress, Ipv4Basics) {
  SocketAddress a = SocketAddress::ipv4("192.0.2.10", 7882);
  EXPECT_EQ(a.family(), AF_INET);
  EXPECT_EQ(a.length, sizeof(sockaddr_in));
  EXPECT_EQ(a.port(), 7882);
  EXPECT_EQ(a.toString(), "192.0.2.10:7882");
  EXPECT_EQ(SocketAddress::parse("192.0.2.10", 7882), a);
}

TEST(SocketAddress, Ipv6Basics) {
  SocketAddress a = SocketAddress::parse("2001:db8::1", 443);
  EXPECT_EQ(a.family(), AF_INET6);
  EXPECT_EQ(a.length, sizeof(sockaddr_in6));
  EXPECT_EQ(a.port(), 443);
  EXPECT_EQ(a.toString(), "[2001:db8::1]:443");
  EXPECT_EQ(SocketAddress::parse("::1", 0).toString(), "[::1]:0");
  EXPECT_EQ(SocketAddress::parse("2001:0db8:0:0:0:0:0:1", 443), a);  // same address, long form
}

TEST(SocketAddress, BadAddressesThrow) {
  EXPECT_THROW(SocketAddress::ipv4("::1", 1), std::invalid_argument);
  EXPECT_THROW(SocketAddress::ipv4("256.1.1.1", 1), std::invalid_argument);
  EXPECT_THROW(SocketAddress::parse("localhost", 1), std::invalid_argument);
  EXPECT_THROW(SocketAddress::parse("1::2::3", 1), std::invalid_argument);
}

TEST(SocketAddress, EmptyAddress) {
  SocketAddress empty;
  EXPECT_EQ(empty.port(), 0);
  EXPECT_EQ(empty.toString(), "?");
}

TEST(SocketAddress, EqualityComparesFamilyIpAndPort) {
  const SocketAddress a = SocketAddress::ipv4("10.0.0.1", 5000);
  EXPECT_EQ(a, SocketAddress::ipv4("10.0.0.1", 5000));
  EXPECT_FALSE(a == SocketAddress::ipv4("10.0.0.1", 5001));
  EXPECT_FALSE(a == SocketAddress::ipv4("10.0.0.2", 5000));
  EXPECT_FALSE(a == SocketAddress::parse("::ffff:10.0.0.1", 5000));  // v4-mapped v6 differs
  const SocketAddress b = SocketAddress::parse("fe80::1", 5000);
  EXPECT_EQ(b, SocketAddress::parse("fe80::1", 5000));
  EXPECT_FALSE(b == SocketAddress::parse("fe80::2", 5000));
  EXPECT_FALSE(b == SocketAddress::parse("fe80::1", 5002));
}

TEST(SocketAddress, FromSockaddrIgnoresPaddingBytes) {
  sockaddr_in sin{};
  std::memset(&sin, 0xAB, sizeof(sin));  // garbage in sin_zero
  sin.sin_family = AF_INET;
  sin.sin_port = htons(1234);
  inet_pton(AF_INET, "127.0.0.1", &sin.sin_addr);
  SocketAddress a = SocketAddress::fromSockaddr(reinterpret_cast<sockaddr*>(&sin), sizeof(sin));
  SocketAddress b = SocketAddress::ipv4("127.0.0.1", 1234);
  EXPECT_EQ(a, b);
  EXPECT_EQ(SocketAddressHash{}(a), SocketAddressHash{}(b));
  EXPECT_EQ(a.toString(), "127.0.0.1:1234");
}

TEST(SocketAddress, FromSockaddrClampsOversizedLength) {
  sockaddr_in6 sin6{};
  sin6.sin6_family = AF_INET6;
  sin6.sin6_port = htons(9);
  SocketAddress a = SocketAddress::fromSockaddr(reinterpret_cast<sockaddr*>(&sin6), sizeof(sin6));
  EXPECT_EQ(a.toString(), "[::]:9");
  alignas(sockaddr_storage) uint8_t big[sizeof(sockaddr_storage) + 64] = {};
  std::memcpy(big, &sin6, sizeof(sin6));
  SocketAddress c = SocketAddress::fromSockaddr(reinterpret_cast<sockaddr*>(big), sizeof(big));
  EXPECT_EQ(c.length, sizeof(sockaddr_storage));
  EXPECT_EQ(c, a);
}

TEST(SocketAddressHash, EqualAddressesHashEqual) {
  SocketAddressHash hash;
  EXPECT_EQ(hash(SocketAddress::ipv4("1.2.3.4", 80)), hash(SocketAddress::ipv4("1.2.3.4", 80)));
  EXPECT_EQ(hash(SocketAddress::parse("2001:db8::7", 80)),
            hash(SocketAddress::parse("2001:db8:0::7", 80)));
  EXPECT_NE(hash(SocketAddress::ipv4("1.2.3.4", 80)), hash(SocketAddress::ipv4("1.2.3.4", 81)));
}

TEST(SocketAddressHash, WorksAsUnorderedKeyForV4AndV6) {
  std::unordered_set<SocketAddress, SocketAddressHash> set;
  std::unordered_set<size_t> hashes;
  for (uint16_t port = 1; port <= 500; ++port) {
    set.insert(SocketAddress::ipv4("198.51.100.7", port));
    set.insert(SocketAddress::parse("2001:db8::7", port));
    hashes.insert(SocketAddressHash{}(SocketAddress::ipv4("198.51.100.7", port)));
  }
  EXPECT_EQ(set.size(), 1000u);
  EXPECT_GE(hashes.size(), 495u);  // FNV-1a over ip+port spreads distinct ports
  EXPECT_EQ(set.count(SocketAddress::ipv4("198.51.100.7", 250)), 1u);
  EXPECT_EQ(set.count(SocketAddress::parse("2001:db8::7", 250)), 1u);
  EXPECT_EQ(set.count(SocketAddress::ipv4("198.51.100.7", 501)), 0u);
  set.insert(SocketAddress::ipv4("198.51.100.7", 1));  // duplicate
  EXPECT_EQ(set.size(), 1000u);
}

}  // namespace
}  // namespace rc::io
