// Backend selection (parseBackendKind, createIoBackend) and the SO_REUSEPORT media socket.
#include <fcntl.h>
#include <gtest/gtest.h>

#include <memory>
#include <stdexcept>
#include <string>
#include <system_error>

#include "io/io_backend.h"
#include "io/udp_socket.h"
#include "tests/unit/io/io_test_util.h"

namespace rc::io {
namespace {

TEST(ParseBackendKind, AcceptsKnownNames) {
  EXPECT_EQ(parseBackendKind("auto"), BackendKind::Auto);
  EXPECT_EQ(parseBackendKind(""), BackendKind::Auto);
  EXPECT_EQ(parseBackendKind("io_uring"), BackendKind::IoUring);
  EXPECT_EQ(parseBackendKind("uring"), BackendKind::IoUring);
  EXPECT_EQ(parseBackendKind("mmsg"), BackendKind::Mmsg);
  EXPECT_EQ(parseBackendKind("recvmmsg"), BackendKind::Mmsg);
}

TEST(ParseBackendKind, ThrowsOnJunk) {
  EXPECT_THROW(parseBackendKind("epoll"), std::invalid_argument);
  EXPECT_THROW(parseBackendKind("IO_URING"), std::invalid_argument);
  EXPECT_THROW(parseBackendKind("mmsg "), std::invalid_argument);
  EXPECT_THROW(parseBackendKind("\x01junk"), std::invalid_argument);
}

TEST(CreateIoBackend, AutoReturnsAWorkingBackend) {
  UdpSocket socket("127.0.0.1", 0);
  std::string why;
  auto backend = createIoBackend(BackendKind::Auto, socket.fd(), &why);
  ASSERT_NE(backend, nullptr);
  const std::string name = backend->name();
  EXPECT_TRUE(name == "io_uring" || name == "mmsg") << name;
  if (name == "mmsg") {
    EXPECT_FALSE(why.empty()) << "a fallback must say why";
  } else {
    EXPECT_TRUE(why.empty()) << why;
  }

  test::ClientSocket client;
  test::RecordingSink sink;
  size_t delivered = 0;
  const std::vector<uint8_t> payload = {1, 2, 3};
  ASSERT_TRUE(client.sendTo(SocketAddress::ipv4("127.0.0.1", socket.localPort()), payload));
  ASSERT_TRUE(test::pollUntil(
      *backend, sink, [&] { return !sink.received.empty(); }, &delivered));
  EXPECT_EQ(sink.received[0].bytes, payload);
}

TEST(CreateIoBackend, MmsgIsAlwaysAvailable) {
  UdpSocket socket("127.0.0.1", 0);
  auto backend = createIoBackend(BackendKind::Mmsg, socket.fd(), nullptr);
  ASSERT_NE(backend, nullptr);
  EXPECT_STREQ(backend->name(), "mmsg");
}

TEST(CreateIoBackend, IoUringEitherWorksOrThrows) {
  UdpSocket socket("127.0.0.1", 0);
  std::string error;
  bool available = false;
  {
    UdpSocket probe("127.0.0.1", 0);
    available = createUringBackend(probe.fd(), &error) != nullptr;
  }
  if (available) {
    auto backend = createIoBackend(BackendKind::IoUring, socket.fd(), nullptr);
    ASSERT_NE(backend, nullptr);
    EXPECT_STREQ(backend->name(), "io_uring");
  } else {
    EXPECT_FALSE(error.empty());
    EXPECT_THROW(createIoBackend(BackendKind::IoUring, socket.fd(), nullptr), std::runtime_error);
  }
}

TEST(UdpSocket, BindsEphemeralPortNonBlocking) {
  UdpSocket socket("127.0.0.1", 0);
  EXPECT_GE(socket.fd(), 0);
  EXPECT_NE(socket.localPort(), 0);
  EXPECT_TRUE(fcntl(socket.fd(), F_GETFL) & O_NONBLOCK);
}

TEST(UdpSocket, TwoSocketsShareAPortWithReusePort) {
  UdpSocket first("127.0.0.1", 0);
  const uint16_t port = first.localPort();
  std::unique_ptr<UdpSocket> second;
  ASSERT_NO_THROW(second = std::make_unique<UdpSocket>("127.0.0.1", port));
  EXPECT_EQ(second->localPort(), port);
  EXPECT_NE(second->fd(), first.fd());
}

TEST(UdpSocket, PortTakenWithoutReusePortFailsToBind) {
  int plain = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  ASSERT_GE(plain, 0);
  SocketAddress any = SocketAddress::ipv4("127.0.0.1", 0);
  ASSERT_EQ(::bind(plain, any.sockaddrPtr(), any.length), 0);
  sockaddr_storage ss{};
  socklen_t len = sizeof(ss);
  ASSERT_EQ(getsockname(plain, reinterpret_cast<sockaddr*>(&ss), &len), 0);
  const uint16_t port = SocketAddress::fromSockaddr(reinterpret_cast<sockaddr*>(&ss), len).port();
  EXPECT_THROW(UdpSocket("127.0.0.1", port), std::system_error);
  ::close(plain);
}

TEST(UdpSocket, BadBindAddressThrows) {
  EXPECT_THROW(UdpSocket("not-an-ip", 0), std::invalid_argument);
}

}  // namespace
}  // namespace rc::io
