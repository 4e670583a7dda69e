// Fallback backend: poll(2) + recvmmsg(2) / sendmmsg(2) batches. Used where io_uring
// is unavailable (old kernels, Docker's default seccomp profile, io_uring_disabled).
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <vector>

#include "io/gso.h"
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
    counters_.gsoEnabled = udpGsoWanted() && udpGsoSupported(fd);
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
    // Read again after every batch that delivered something: the rest of a publisher's
    // frame arrives while its first packets fan out, and taking it in this turn lets each
    // subscriber's copies of the frame leave as one GSO run (see docs/ARCHITECTURE.md §9).
    for (size_t batch = 0; batch < kMaxRecvBatchesPerPoll; ++batch) {
      size_t n = receiveBatch(sink);
      delivered += n;
      if (n == 0) break;
    }
    return delivered;
  }

  std::span<uint8_t> sendSlot() noexcept override {
    if (queued_ == kSendSlots) flush();
    return {slotData(queued_), kSendSlotSize};
  }

  void commitSend(const SocketAddress& to, size_t length) noexcept override {
    queue_[queued_] = {static_cast<uint32_t>(queued_), static_cast<uint32_t>(length), to};
    ++queued_;
  }

  // One sendmmsg per turn; each destination's equal-size run is one GSO message.
  void flush() noexcept override {
    if (queued_ == 0) return;
    planner_.plan({queue_.data(), queued_}, counters_.gsoEnabled);
    const auto& runs = planner_.runs();
    for (size_t k = 0; k < runs.size(); ++k) buildMessage(k, runs[k]);
    size_t sent = 0;
    while (sent < runs.size()) {
      int n = ::sendmmsg(fd_, &sendMsgs_[sent], static_cast<unsigned>(runs.size() - sent),
                         MSG_DONTWAIT);
      if (n > 0) {
        for (int i = 0; i < n; ++i) countSent(runs[sent + i], sendMsgs_[sent + i].msg_len);
        sent += static_cast<size_t>(n);
        continue;
      }
      if (n == 0) {  // not expected with messages left; never spin on a stale errno
        for (; sent < runs.size(); ++sent) counters_.sendErrors += runs[sent].count;
        break;
      }
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK || errno == ENOBUFS) {
        for (; sent < runs.size(); ++sent) counters_.sendWouldBlock += runs[sent].count;
        break;
      }
      // This message failed on its own (a refused GSO run, an unreachable
      // destination): handle it and carry on with the next.
      handleFailedMessage(runs[sent], errno);
      ++sent;
    }
    queued_ = 0;
  }

  size_t queuedSends() const noexcept override { return queued_; }
  const IoCounters& counters() const noexcept override { return counters_; }
  void watchWakeFd(int eventFd) noexcept override { wakeFd_ = eventFd; }

 private:
  void prepareReceive() {
    for (size_t i = 0; i < kRecvBatch; ++i) {
      recvIov_[i] = {recvData_.data() + i * kRecvBufferSize, kRecvBufferSize};
    }
  }

  uint8_t* slotData(size_t slot) noexcept { return sendData_.data() + slot * kSendSlotSize; }

  void buildMessage(size_t k, const SendRun& run) noexcept {
    const auto& order = planner_.order();
    for (uint32_t i = run.first; i < run.first + run.count; ++i) {
      const QueuedSend& q = queue_[order[i]];
      sendIov_[i] = {slotData(q.slot), q.length};
    }
    const QueuedSend& head = queue_[order[run.first]];
    mmsghdr& m = sendMsgs_[k];
    m = {};
    m.msg_hdr.msg_name = const_cast<sockaddr*>(head.to.sockaddrPtr());
    m.msg_hdr.msg_namelen = head.to.length;
    m.msg_hdr.msg_iov = &sendIov_[run.first];
    m.msg_hdr.msg_iovlen = run.count;
    if (run.count > 1) control_[k].attach(m.msg_hdr, run.segmentSize);
  }

  void countSent(const SendRun& run, unsigned bytes) noexcept {
    counters_.datagramsOut += run.count;
    counters_.bytesOut += bytes;
    if (run.count > 1) {
      ++counters_.gsoMessages;
      counters_.gsoSegments += run.count;
    }
  }

  // EIO/EINVAL on a GSO message: the kernel or device refuses segmentation. GSO is
  // switched off (counted) and the run's datagrams go out one by one.
  void handleFailedMessage(const SendRun& run, int err) noexcept {
    if (run.count > 1 && (err == EIO || err == EINVAL)) {
      if (counters_.gsoEnabled) ++counters_.gsoFallbacks;
      counters_.gsoEnabled = false;
      sendRunSingly(run);
      return;
    }
    counters_.sendErrors += run.count;
  }

  void sendRunSingly(const SendRun& run) noexcept {
    const auto& order = planner_.order();
    const QueuedSend& head = queue_[order[run.first]];
    for (uint32_t i = run.first; i < run.first + run.count; ++i) {
      msghdr h{};
      h.msg_name = const_cast<sockaddr*>(head.to.sockaddrPtr());
      h.msg_namelen = head.to.length;
      h.msg_iov = &sendIov_[i];
      h.msg_iovlen = 1;
      ssize_t n = ::sendmsg(fd_, &h, MSG_DONTWAIT);
      if (n >= 0) {
        ++counters_.datagramsOut;
        counters_.bytesOut += static_cast<uint64_t>(n);
      } else if (errno == EAGAIN || errno == EWOULDBLOCK || errno == ENOBUFS) {
        ++counters_.sendWouldBlock;
      } else {
        ++counters_.sendErrors;
      }
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
  std::array<QueuedSend, kSendSlots> queue_{};
  std::array<mmsghdr, kSendSlots> sendMsgs_{};
  std::array<iovec, kSendSlots> sendIov_{};  // by position in the planner's order
  std::array<GsoControl, kSendSlots> control_{};
  GsoPlanner planner_{kSendSlots};
  size_t queued_ = 0;
};

}  // namespace

std::unique_ptr<IoBackend> createMmsgBackend(int fd) {
  return std::make_unique<MmsgBackend>(fd);
}

}  // namespace rc::io
