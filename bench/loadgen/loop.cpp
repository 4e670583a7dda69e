#include "bench/loadgen/loop.h"

#include <netinet/udp.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace rc::bench {
namespace {

constexpr uint64_t kTickNs = 20'000'000;
constexpr uint64_t kMaxWaitNs = 10'000'000;

double threadCpu() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

}  // namespace

Loop::Loop(const std::atomic<bool>& measuring, const std::atomic<bool>& media)
    : measuring_(measuring),
      media_(media),
      receiveBuffers_(kBatch * kBufferSize),
      sendScratch_(kBurstPackets * kSlotSize) {
  epollFd_ = epoll_create1(EPOLL_CLOEXEC);
  wakeFd_ = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (epollFd_ < 0 || wakeFd_ < 0)
    throw std::runtime_error(std::string("epoll: ") + strerror(errno));
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.ptr = nullptr;
  epoll_ctl(epollFd_, EPOLL_CTL_ADD, wakeFd_, &ev);
  for (int i = 0; i < kBatch; ++i) {
    iovecs_[i] = {receiveBuffers_.data() + i * kBufferSize, kBufferSize};
  }
}

Loop::~Loop() {
  stop();
  ::close(epollFd_);
  ::close(wakeFd_);
}

void Loop::start() {
  thread_ = std::thread([this] { run(); });
}

void Loop::stop() {
  stopping_ = true;
  uint64_t one = 1;
  (void)!::write(wakeFd_, &one, sizeof one);
  if (thread_.joinable()) thread_.join();
}

void Loop::adopt(Peer* peer) {
  {
    std::lock_guard lock(pendingMutex_);
    pending_.push_back(peer);
  }
  uint64_t one = 1;
  (void)!::write(wakeFd_, &one, sizeof one);
}

void Loop::adoptPending(uint64_t nowNs, LoopContext& ctx) {
  uint64_t value;
  (void)!::read(wakeFd_, &value, sizeof value);
  std::vector<Peer*> taken;
  {
    std::lock_guard lock(pendingMutex_);
    taken.swap(pending_);
  }
  for (Peer* peer : taken) {
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.ptr = peer;
    epoll_ctl(epollFd_, EPOLL_CTL_ADD, peer->fd(), &ev);
    peers_.push_back(peer);
    if (peer->spec().publisher) publishers_.push_back(peer);
    peer->start(nowNs, ctx);
  }
}

void Loop::drain(Peer& peer, uint64_t nowNs, LoopContext& ctx) {
  for (;;) {
    for (int i = 0; i < kBatch; ++i) {
      messages_[i] = {};
      messages_[i].msg_hdr.msg_iov = &iovecs_[i];
      messages_[i].msg_hdr.msg_iovlen = 1;
      messages_[i].msg_hdr.msg_name = &sources_[i];
      messages_[i].msg_hdr.msg_namelen = sizeof(sockaddr_storage);
      messages_[i].msg_hdr.msg_control = controls_[i];
      messages_[i].msg_hdr.msg_controllen = kControlSize;
    }
    int n = ::recvmmsg(peer.fd(), messages_, kBatch, MSG_DONTWAIT, nullptr);
    if (n <= 0) return;
    nowNs = monotonicNs();  // receive time of this batch, for latency samples
    for (int i = 0; i < n; ++i) deliver(peer, i, nowNs, ctx);
    if (n < kBatch) return;
  }
}

// A socket with UDP_GRO set may return several datagrams of one flow coalesced; the
// UDP_GRO control message gives their size (all equal but the last), see udp(7).
void Loop::deliver(Peer& peer, int index, uint64_t nowNs, LoopContext& ctx) {
  msghdr& hdr = messages_[index].msg_hdr;
  size_t total = messages_[index].msg_len;
  size_t segment = total;
  for (cmsghdr* c = CMSG_FIRSTHDR(&hdr); c != nullptr; c = CMSG_NXTHDR(&hdr, c)) {
    if (c->cmsg_level == SOL_UDP && c->cmsg_type == UDP_GRO) {
      int size = 0;
      std::memcpy(&size, CMSG_DATA(c), sizeof size);
      if (size > 0) segment = static_cast<size_t>(size);
    }
  }
  uint8_t* base = receiveBuffers_.data() + static_cast<size_t>(index) * kBufferSize;
  for (size_t offset = 0; offset < total; offset += segment) {
    std::span<uint8_t> data(base + offset, std::min(segment, total - offset));
    peer.onDatagram(data, sources_[index], hdr.msg_namelen, nowNs, ctx);
  }
}

uint64_t Loop::sendDueMedia(uint64_t nowNs, LoopContext& ctx) {
  uint64_t next = nowNs + kMaxWaitNs;
  if (!media_.load(std::memory_order_relaxed)) return next;
  for (Peer* p : publishers_) next = std::min(next, p->sendMedia(nowNs, ctx));
  return next;
}

void Loop::run() {
  epoll_event events[256];
  LoopContext ctx{counters, latency_, false, sendScratch_};
  uint64_t nextTick = monotonicNs();
  uint64_t nextMedia = nextTick;
  while (!stopping_.load(std::memory_order_relaxed)) {
    uint64_t now = monotonicNs();
    uint64_t wake = std::min({nextTick, nextMedia, now + kMaxWaitNs});
    uint64_t waitNs = wake > now ? wake - now : 0;
    timespec timeout{static_cast<time_t>(waitNs / 1'000'000'000),
                     static_cast<long>(waitNs % 1'000'000'000)};
    int n = epoll_pwait2(epollFd_, events, 256, &timeout, nullptr);
    now = monotonicNs();
    ctx.measuring = measuring_.load(std::memory_order_relaxed);
    for (int i = 0; i < n; ++i) {
      auto* peer = static_cast<Peer*>(events[i].data.ptr);
      if (peer) {
        drain(*peer, now, ctx);
      } else {
        adoptPending(now, ctx);
      }
    }
    if (now >= nextMedia || n == 0) nextMedia = sendDueMedia(monotonicNs(), ctx);
    if (now >= nextTick) {
      for (Peer* p : peers_) p->onTick(now, ctx);
      nextTick = now + kTickNs;
      cpuSeconds_.store(threadCpu(), std::memory_order_relaxed);
    }
  }
  cpuSeconds_.store(threadCpu());
}

}  // namespace rc::bench
