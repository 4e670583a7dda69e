// Default backend: io_uring with one multishot recvmsg over a provided-buffer ring
// and sendmsg SQEs batched and submitted once per loop turn (DESIGN.md, liburing's
// examples/io_uring-udp.c pattern: re-arm when IORING_CQE_F_MORE is absent, handle
// -ENOBUFS and MSG_TRUNC, recycle a buffer once the sink returns).
// Sends go through a second ring of their own, so that when a large fan-out uses every
// send slot within one turn, the queued sends can be submitted and their completions
// reaped on the spot (MSG_DONTWAIT UDP sends complete during submission) without
// touching receive completions, which must only be delivered from poll().
#include <liburing.h>
#include <poll.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <type_traits>
#include <vector>

#include "io/gso.h"
#include "io/io_backend.h"

namespace rc::io {
namespace {

constexpr unsigned kRingEntries = 4096;
constexpr unsigned kCompletionEntries = 16384;  // > send slots + receive buffers
constexpr unsigned kRecvBuffers = 1024;         // power of two (buffer ring requirement)
constexpr unsigned kRecvBufferSize = 2048;
constexpr unsigned kBufferGroup = 7;
constexpr unsigned kSendSlots = 4096;
constexpr uint64_t kRecvTag = ~0ull;
constexpr uint64_t kWakeTag = ~0ull - 1;
constexpr int kReapRounds = 4;  // receive rounds per poll(): bounded so timers still run

// One sendmsg in flight, filed under the first slot of its run. It stays untouched
// until its completion (no reliance on the kernel copying msghdr at submission).
// No member initialisers: the array is allocated untouched, pages fault in on use.
struct InFlightMessage {
  msghdr hdr;
  sockaddr_storage to;
  GsoControl control;
  uint32_t count;
  iovec iov[kMaxGsoSegments];
};

static_assert(std::is_trivially_default_constructible_v<InFlightMessage>);

class UringBackend final : public IoBackend {
 public:
  explicit UringBackend(int fd)
      : fd_(fd),
        sendData_(kSendSlots * kSendSlotSize),
        messages_(new InFlightMessage[kSendSlots]),
        planner_(kSendSlots) {
    freeSlots_.reserve(kSendSlots);
    for (unsigned i = 0; i < kSendSlots; ++i) freeSlots_.push_back(kSendSlots - 1 - i);
    pending_.reserve(kSendSlots);
    counters_.gsoEnabled = udpGsoWanted() && udpGsoSupported(fd);
  }
  ~UringBackend() override {
    if (ringReady_) io_uring_queue_exit(&ring_);
    if (sendRingReady_) io_uring_queue_exit(&sendRing_);
    if (bufRing_) munmap(bufRing_, kRecvBuffers * sizeof(io_uring_buf));
  }

  bool init(std::string* error) {
    if (!kernelHasMultishotRecvmsg()) {
      *error = "kernel older than 6.0 lacks multishot recvmsg";
      return false;
    }
    if (!initRing(error) || !initBufferRing(error)) return false;
    recvArmed_ = armReceive();
    return recvArmed_;
  }

  const char* name() const noexcept override { return "io_uring"; }

  size_t poll(int64_t timeoutUs, DatagramSink& sink) noexcept override {
    __kernel_timespec ts{};
    ts.tv_sec = timeoutUs / 1000000;
    ts.tv_nsec = (timeoutUs % 1000000) * 1000;
    if (!recvArmed_) recvArmed_ = armReceive();  // a failed re-arm is retried every turn
    flushSends();
    io_uring_cqe* first = nullptr;
    io_uring_submit_and_wait_timeout(&ring_, &first, 1, &ts, nullptr);
    size_t delivered = reapCompletions(sink);
    reapSendCompletions();
    return delivered;
  }

  // Every slot in flight: submit what is queued and take back the slots of the sends
  // that completed, then drop only if none came back.
  std::span<uint8_t> sendSlot() noexcept override {
    if (freeSlots_.empty()) flushSends();
    if (freeSlots_.empty()) {
      ++counters_.sendSlotsExhausted;
      return {};
    }
    pendingSlot_ = freeSlots_.back();
    return {sendData_.data() + size_t(pendingSlot_) * kSendSlotSize, kSendSlotSize};
  }

  // Queued until the turn's sends are planned (grouped per destination, GSO runs).
  void commitSend(const SocketAddress& to, size_t length) noexcept override {
    freeSlots_.pop_back();
    pending_.push_back({pendingSlot_, static_cast<uint32_t>(length), to});
  }

  void flush() noexcept override { flushSends(); }
  size_t queuedSends() const noexcept override { return pending_.size(); }

  const IoCounters& counters() const noexcept override { return counters_; }

  void watchWakeFd(int eventFd) noexcept override {
    wakeFd_ = eventFd;
    armWake();
  }

 private:
  // Multishot recvmsg arrived in Linux 6.0; earlier kernels accept the SQE flags
  // of the buffer ring (5.19) but would never deliver, so Auto must fall back.
  static bool kernelHasMultishotRecvmsg() {
    utsname u{};
    if (uname(&u) != 0) return false;
    int major = 0, minor = 0;
    if (std::sscanf(u.release, "%d.%d", &major, &minor) != 2) return false;
    return major > 6 || (major == 6 && minor >= 0);
  }

  // Not SINGLE_ISSUER: the rings are created on the starting thread (so a refused
  // io_uring is reported at start-up) and then used by the worker thread.
  static int createRing(io_uring& ring, io_uring_params& params) {
    params = {};
    params.flags = IORING_SETUP_SUBMIT_ALL | IORING_SETUP_COOP_TASKRUN | IORING_SETUP_CQSIZE;
    params.cq_entries = kCompletionEntries;
    int r = io_uring_queue_init_params(kRingEntries, &ring, &params);
    if (r == -EINVAL) {  // older kernels: without the optional flags
      params = {};
      r = io_uring_queue_init_params(kRingEntries, &ring, &params);
    }
    return r;
  }

  bool initRing(std::string* error) {
    io_uring_params params{};
    int r = createRing(ring_, params);
    if (r < 0) {
      *error = std::string("io_uring_queue_init: ") + std::strerror(-r);
      return false;
    }
    ringReady_ = true;
    if (!(params.features & IORING_FEAT_EXT_ARG)) {
      *error = "kernel lacks IORING_FEAT_EXT_ARG (needs Linux >= 5.11)";
      return false;
    }
    r = createRing(sendRing_, params);
    if (r < 0) {
      *error = std::string("io_uring_queue_init (send ring): ") + std::strerror(-r);
      return false;
    }
    sendRingReady_ = true;
    return true;
  }

  io_uring_sqe* getSendSqe() noexcept {
    io_uring_sqe* sqe = io_uring_get_sqe(&sendRing_);
    if (!sqe) {
      io_uring_submit(&sendRing_);
      sqe = io_uring_get_sqe(&sendRing_);
    }
    return sqe;
  }

  void flushSends() noexcept {
    prepareSends();
    io_uring_submit(&sendRing_);
    reapSendCompletions();
  }

  void reapSendCompletions() noexcept {
    io_uring_cqe* cqe = nullptr;
    unsigned head = 0, seen = 0;
    io_uring_for_each_cqe(&sendRing_, head, cqe) {
      ++seen;
      onSendDone(cqe);
    }
    io_uring_cq_advance(&sendRing_, seen);
  }

  bool initBufferRing(std::string* error) {
    size_t bytes = kRecvBuffers * sizeof(io_uring_buf);
    void* mem = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_ANONYMOUS | MAP_PRIVATE, -1, 0);
    if (mem == MAP_FAILED) {
      *error = "mmap buffer ring failed";
      return false;
    }
    bufRing_ = static_cast<io_uring_buf_ring*>(mem);
    io_uring_buf_ring_init(bufRing_);
    io_uring_buf_reg reg{};
    reg.ring_addr = reinterpret_cast<uint64_t>(bufRing_);
    reg.ring_entries = kRecvBuffers;
    reg.bgid = kBufferGroup;
    int r = io_uring_register_buf_ring(&ring_, &reg, 0);
    if (r < 0) {
      *error = std::string("io_uring_register_buf_ring: ") + std::strerror(-r);
      return false;
    }
    recvData_.resize(size_t(kRecvBuffers) * kRecvBufferSize);
    for (unsigned i = 0; i < kRecvBuffers; ++i) addBuffer(i, i);
    io_uring_buf_ring_advance(bufRing_, kRecvBuffers);
    return true;
  }

  void addBuffer(unsigned bid, unsigned offset) noexcept {
    io_uring_buf_ring_add(bufRing_, recvData_.data() + size_t(bid) * kRecvBufferSize,
                          kRecvBufferSize, static_cast<unsigned short>(bid),
                          io_uring_buf_ring_mask(kRecvBuffers), static_cast<int>(offset));
  }

  void recycleBuffer(unsigned bid) noexcept {
    addBuffer(bid, 0);
    io_uring_buf_ring_advance(bufRing_, 1);
  }

  io_uring_sqe* getSqe() noexcept {
    io_uring_sqe* sqe = io_uring_get_sqe(&ring_);
    if (!sqe) {
      io_uring_submit(&ring_);
      sqe = io_uring_get_sqe(&ring_);
    }
    return sqe;
  }

  bool armReceive() noexcept {
    io_uring_sqe* sqe = getSqe();
    if (!sqe) return false;
    recvHdr_ = {};
    recvHdr_.msg_namelen = sizeof(sockaddr_storage);
    io_uring_prep_recvmsg_multishot(sqe, fd_, &recvHdr_, 0);
    sqe->flags |= IOSQE_BUFFER_SELECT;
    sqe->buf_group = kBufferGroup;
    io_uring_sqe_set_data64(sqe, kRecvTag);
    return true;
  }

  void armWake() noexcept {
    io_uring_sqe* sqe = getSqe();
    if (!sqe || wakeFd_ < 0) return;
    io_uring_prep_poll_multishot(sqe, wakeFd_, POLLIN);
    io_uring_sqe_set_data64(sqe, kWakeTag);
  }

  void onWake(const io_uring_cqe* cqe) noexcept {
    uint64_t value = 0;
    (void)!::read(wakeFd_, &value, sizeof(value));
    if (!(cqe->flags & IORING_CQE_F_MORE)) armWake();
  }

  size_t reapCompletions(DatagramSink& sink) noexcept {
    size_t delivered = 0;
    // Bounded so that a flood cannot starve timers; the rest is reaped next turn.
    for (int round = 0; round < kReapRounds; ++round) {
      io_uring_cqe* cqe = nullptr;
      unsigned head = 0, seen = 0;
      io_uring_for_each_cqe(&ring_, head, cqe) {
        ++seen;
        if (cqe->user_data == kRecvTag) {
          delivered += onReceive(cqe, sink);
        } else if (cqe->user_data == kWakeTag) {
          onWake(cqe);
        }
      }
      io_uring_cq_advance(&ring_, seen);
      if (seen == 0) break;
      // Datagrams that reached the socket while this round fanned out are posted only when
      // the task enters the kernel (COOP_TASKRUN). Taking them into this turn lets the rest
      // of a frame join the same per-destination GSO runs (docs/ARCHITECTURE.md §9).
      if (round + 1 < kReapRounds) io_uring_get_events(&ring_);
    }
    return delivered;
  }

  size_t onReceive(const io_uring_cqe* cqe, DatagramSink& sink) noexcept {
    size_t delivered = 0;
    if (cqe->res >= 0 && (cqe->flags & IORING_CQE_F_BUFFER)) {
      unsigned bid = cqe->flags >> IORING_CQE_BUFFER_SHIFT;
      delivered = deliver(recvData_.data() + size_t(bid) * kRecvBufferSize, cqe->res, sink);
      recycleBuffer(bid);
    } else if (cqe->res == -ENOBUFS) {
      ++counters_.noBuffers;
    }
    if (!(cqe->flags & IORING_CQE_F_MORE)) recvArmed_ = armReceive();
    return delivered;
  }

  size_t deliver(uint8_t* buf, int res, DatagramSink& sink) noexcept {
    io_uring_recvmsg_out* out = io_uring_recvmsg_validate(buf, res, &recvHdr_);
    if (!out) return 0;
    if (out->flags & MSG_TRUNC) {
      ++counters_.truncated;
      return 0;
    }
    socklen_t nameLen =
        out->namelen > sizeof(sockaddr_storage) ? sizeof(sockaddr_storage) : out->namelen;
    auto from =
        SocketAddress::fromSockaddr(static_cast<sockaddr*>(io_uring_recvmsg_name(out)), nameLen);
    auto* payload = static_cast<uint8_t*>(io_uring_recvmsg_payload(out, &recvHdr_));
    unsigned len = io_uring_recvmsg_payload_length(out, res, &recvHdr_);
    ++counters_.datagramsIn;
    counters_.bytesIn += len;
    sink.onDatagram(from, {payload, len});
    return 1;
  }

  unsigned slotOf(const iovec& iov) const noexcept {
    return static_cast<unsigned>((static_cast<const uint8_t*>(iov.iov_base) - sendData_.data()) /
                                 kSendSlotSize);
  }

  // One SQE per run: a run of several datagrams is one GSO sendmsg. MSG_DONTWAIT: a full
  // socket buffer completes with -EAGAIN (counted, dropped) instead of waiting in the kernel.
  void prepareSends() noexcept {
    if (pending_.empty()) return;
    planner_.plan(pending_, counters_.gsoEnabled);
    const auto& order = planner_.order();
    for (const SendRun& run : planner_.runs()) {
      const unsigned first = pending_[order[run.first]].slot;
      InFlightMessage& m = messages_[first];
      const SocketAddress& to = pending_[order[run.first]].to;
      std::memcpy(&m.to, &to.storage, to.length);
      m.count = run.count;
      for (uint32_t i = 0; i < run.count; ++i) {
        const QueuedSend& q = pending_[order[run.first + i]];
        m.iov[i] = {sendData_.data() + size_t(q.slot) * kSendSlotSize, q.length};
      }
      m.hdr = {};
      m.hdr.msg_name = &m.to;
      m.hdr.msg_namelen = to.length;
      m.hdr.msg_iov = m.iov;
      m.hdr.msg_iovlen = run.count;
      if (run.count > 1) m.control.attach(m.hdr, run.segmentSize);
      io_uring_sqe* sqe = getSendSqe();
      if (!sqe) {
        counters_.sendErrors += run.count;
        releaseSlots(m);
        continue;
      }
      io_uring_prep_sendmsg(sqe, fd_, &m.hdr, MSG_DONTWAIT);
      io_uring_sqe_set_data64(sqe, first);
    }
    pending_.clear();
  }

  void releaseSlots(const InFlightMessage& m) noexcept {
    for (uint32_t i = 0; i < m.count; ++i) freeSlots_.push_back(slotOf(m.iov[i]));
  }

  void onSendDone(const io_uring_cqe* cqe) noexcept {
    auto slot = static_cast<unsigned>(cqe->user_data);
    if (slot >= kSendSlots) return;
    const InFlightMessage& m = messages_[slot];
    if (cqe->res >= 0) {
      counters_.datagramsOut += m.count;
      counters_.bytesOut += static_cast<uint64_t>(cqe->res);
      if (m.count > 1) {
        ++counters_.gsoMessages;
        counters_.gsoSegments += m.count;
      }
    } else {
      countFailure(m, -cqe->res);
    }
    releaseSlots(m);
  }

  // A refused GSO message (EIO/EINVAL) switches GSO off for later turns; its datagrams
  // are lost (counted). A full socket buffer drops without waiting.
  void countFailure(const InFlightMessage& m, int err) noexcept {
    if (err == EAGAIN || err == EWOULDBLOCK || err == ENOBUFS) {
      counters_.sendWouldBlock += m.count;
      return;
    }
    if (m.count > 1 && (err == EIO || err == EINVAL) && counters_.gsoEnabled) {
      counters_.gsoEnabled = false;
      ++counters_.gsoFallbacks;
    }
    counters_.sendErrors += m.count;
  }

  int fd_;
  int wakeFd_ = -1;
  bool recvArmed_ = false;
  io_uring ring_{};
  bool ringReady_ = false;
  io_uring sendRing_{};  // sendmsg only; reaped whenever slots run out
  bool sendRingReady_ = false;
  io_uring_buf_ring* bufRing_ = nullptr;
  std::vector<uint8_t> recvData_;
  msghdr recvHdr_{};
  std::vector<uint8_t> sendData_;
  std::unique_ptr<InFlightMessage[]> messages_;  // by first slot of the run
  std::vector<unsigned> freeSlots_;
  std::vector<QueuedSend> pending_;  // this turn's sends, not yet planned
  GsoPlanner planner_;
  unsigned pendingSlot_ = 0;
  IoCounters counters_;
};

}  // namespace

std::unique_ptr<IoBackend> createUringBackend(int fd, std::string* error) {
  auto backend = std::make_unique<UringBackend>(fd);
  std::string err;
  if (!backend->init(&err)) {
    if (error) *error = err;
    return nullptr;
  }
  return backend;
}

}  // namespace rc::io
