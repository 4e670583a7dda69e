// The worker's I/O backend: receive datagrams in batches, send through send slots
// that are submitted once per loop turn. Two implementations: io_uring (default)
// and recvmmsg/sendmmsg (fallback where io_uring is missing or refused).
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>

#include "io/socket_address.h"

namespace rc::io {

class DatagramSink {
 public:
  virtual ~DatagramSink() = default;
  // `data` is valid only during the call and may be modified in place.
  virtual void onDatagram(const SocketAddress& from, std::span<uint8_t> data) noexcept = 0;
};

struct IoCounters {
  uint64_t datagramsIn = 0, datagramsOut = 0, bytesIn = 0, bytesOut = 0;
  uint64_t truncated = 0, sendErrors = 0, noBuffers = 0, sendSlotsExhausted = 0;
  // Datagrams dropped because the socket's send buffer was full (EAGAIN/ENOBUFS): the
  // send path never waits, a slow destination loses packets instead.
  uint64_t sendWouldBlock = 0;
  // UDP GSO: messages that carried more than one datagram, the datagrams they carried,
  // and whether GSO is on (probed at start-up; switched off after the kernel refuses it).
  uint64_t gsoMessages = 0, gsoSegments = 0, gsoFallbacks = 0;
  bool gsoEnabled = false;
};

class IoBackend {
 public:
  virtual ~IoBackend() = default;
  virtual const char* name() const noexcept = 0;
  // Submits queued sends, waits up to timeoutUs for datagrams and delivers every
  // datagram that is ready to the sink. Returns the number delivered.
  virtual size_t poll(int64_t timeoutUs, DatagramSink& sink) noexcept = 0;
  // A send slot of kSendSlotSize bytes to fill, or an empty span when every slot is
  // in flight (the caller drops and counts).
  virtual std::span<uint8_t> sendSlot() noexcept = 0;
  // Queues the slot returned by the last sendSlot() with `length` bytes for `to`.
  virtual void commitSend(const SocketAddress& to, size_t length) noexcept = 0;
  // Pushes queued sends to the kernel now.
  virtual void flush() noexcept = 0;
  // Sends committed since the last submission.
  virtual size_t queuedSends() const noexcept = 0;
  virtual const IoCounters& counters() const noexcept = 0;
  // Makes poll() return early when `eventFd` (an eventfd) becomes readable; the
  // backend drains it. Lets other threads wake an idle worker without a timeout.
  virtual void watchWakeFd(int eventFd) noexcept = 0;
};

inline constexpr size_t kSendSlotSize = 1600;

enum class BackendKind { Auto, IoUring, Mmsg };
BackendKind parseBackendKind(const std::string& name);  // throws std::invalid_argument

// Creates the backend for a bound socket fd. Auto tries io_uring first and falls
// back to mmsg when io_uring is unavailable or refused (seccomp, sysctl).
std::unique_ptr<IoBackend> createIoBackend(BackendKind kind, int fd, std::string* why);

// Whether the backends may use UDP GSO: on unless RINGCAST_UDP_GSO=off (or 0) is set in
// the environment (for measuring with and without). The socket must also support it.
bool udpGsoWanted() noexcept;

std::unique_ptr<IoBackend> createUringBackend(int fd, std::string* error);  // nullptr on failure
std::unique_ptr<IoBackend> createMmsgBackend(int fd);

}  // namespace rc::io
