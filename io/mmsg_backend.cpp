// Fallback backend: poll(2) + recvmmsg(2) / sendmmsg(2) batches. Used where io_uring
// is unavailable (old kernels, Docker's default seccomp profile, io_uring_disabled).
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <vector>

#include "io/io_backend.h"

namespace rc::io {
namespace {

constexpr size_t kRecvBatch = 64;
constexpr size_t kMaxRecvBatchesPerPoll = 8;
constexpr size_t kSendSlots = 512;
constexpr size_t kRecvBufferSize = 2048;

class MmsgBackend final : public IoBackend {
 public:
  explicit MmsgBackend(int fd)
      : fd_(fd), recvData_(kRecvBatch * kRecvBufferSize), sendData_(kSendSlots * kSendSlotSize) {
    prepareReceive();
  }

  const char* name() const noexcept override { return "mmsg"; }

  size_t poll(int64_t timeoutUs, DatagramSink& sink) noexcept override {
    flush();
    pollfd p[2] = {{fd_, POLLIN, 0}, {wakeFd_, POLLIN, 0}};
    int timeoutMs = static_cast<int>((timeoutUs + 999) / 1000);
    if (::poll(p, wakeFd_ >= 0 ? 2 : 1, timeoutMs) <= 0) return 0;
    if (wakeFd_ >= 0 && (p[1].revents & POLLIN)) {
      uint64_t value = 0;
      (void)!::read(wakeFd_, &value, sizeof(value));
    }
    if (!(p[0].revents & POLLIN)) return 0;
    size_t delivered = 0;
    for (size_t batch = 0; batch < kMaxRecvBatchesPerPoll; ++batch) {
      size_t n = receiveBatch(sink);
      delivered += n;
      if (n < kRecvBatch) break;
    }
    return delivered;
  }

  std::span<uint8_t> sendSlot() noexcept override {
    if (queued_ == kSendSlots) flush();
    return {sendData_.data() + queued_ * kSendSlotSize, kSendSlotSize};
  }

  void commitSend(const SocketAddress& to, size_t length) noexcept override {
    sendAddrs_[queued_] = to;
    sendIov_[queued_] = {sendData_.data() + queued_ * kSendSlotSize, length};
    mmsghdr& m = sendMsgs_[queued_];
    m = {};
    m.msg_hdr.msg_name = const_cast<sockaddr*>(sendAddrs_[queued_].sockaddrPtr());
    m.msg_hdr.msg_namelen = sendAddrs_[queued_].length;
    m.msg_hdr.msg_iov = &sendIov_[queued_];
    m.msg_hdr.msg_iovlen = 1;
    ++queued_;
  }

  void flush() noexcept override {
    size_t sent = 0;
    while (sent < queued_) {
      int n =
          ::sendmmsg(fd_, &sendMsgs_[sent], static_cast<unsigned>(queued_ - sent), MSG_DONTWAIT);
      if (n < 0) {
        if (errno == EINTR) continue;
        counters_.sendErrors += queued_ - sent;  // EAGAIN: socket buffer full, drop the rest
        break;
      }
      for (int i = 0; i < n; ++i) counters_.bytesOut += sendMsgs_[sent + i].msg_len;
      counters_.datagramsOut += static_cast<uint64_t>(n);
      sent += static_cast<size_t>(n);
    }
    queued_ = 0;
  }

  const IoCounters& counters() const noexcept override { return counters_; }
  void watchWakeFd(int eventFd) noexcept override { wakeFd_ = eventFd; }

 private:
  void prepareReceive() {
    for (size_t i = 0; i < kRecvBatch; ++i) {
      recvIov_[i] = {recvData_.data() + i * kRecvBufferSize, kRecvBufferSize};
    }
  }

  size_t receiveBatch(DatagramSink& sink) noexcept {
    for (size_t i = 0; i < kRecvBatch; ++i) {
      mmsghdr& m = recvMsgs_[i];
      m = {};
      m.msg_hdr.msg_name = &recvAddrs_[i];
      m.msg_hdr.msg_namelen = sizeof(sockaddr_storage);
      m.msg_hdr.msg_iov = &recvIov_[i];
      m.msg_hdr.msg_iovlen = 1;
    }
    int n = ::recvmmsg(fd_, recvMsgs_.data(), kRecvBatch, MSG_DONTWAIT, nullptr);
    if (n <= 0) return 0;
    for (int i = 0; i < n; ++i) deliver(recvMsgs_[i], recvAddrs_[i], sink);
    return static_cast<size_t>(n);
  }

  void deliver(const mmsghdr& m, const sockaddr_storage& from, DatagramSink& sink) noexcept {
    if (m.msg_hdr.msg_flags & MSG_TRUNC) {
      ++counters_.truncated;
      return;
    }
    ++counters_.datagramsIn;
    counters_.bytesIn += m.msg_len;
    auto addr = SocketAddress::fromSockaddr(reinterpret_cast<const sockaddr*>(&from),
                                            m.msg_hdr.msg_namelen);
    sink.onDatagram(addr, {static_cast<uint8_t*>(m.msg_hdr.msg_iov->iov_base), m.msg_len});
  }

  int fd_;
  int wakeFd_ = -1;
  IoCounters counters_;
  std::vector<uint8_t> recvData_;
  std::array<mmsghdr, kRecvBatch> recvMsgs_{};
  std::array<iovec, kRecvBatch> recvIov_{};
  std::array<sockaddr_storage, kRecvBatch> recvAddrs_{};
  std::vector<uint8_t> sendData_;
  std::array<mmsghdr, kSendSlots> sendMsgs_{};
  std::array<iovec, kSendSlots> sendIov_{};
  std::array<SocketAddress, kSendSlots> sendAddrs_{};
  size_t queued_ = 0;
};

}  // namespace

std::unique_ptr<IoBackend> createMmsgBackend(int fd) {
  return std::make_unique<MmsgBackend>(fd);
}

}  // namespace rc::io
