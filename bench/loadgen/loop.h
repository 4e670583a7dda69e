// One load generator thread: epoll over its peers' sockets, recvmmsg batches, the publishers'
// send schedule, and a 20 ms tick for ICE/DTLS timers and keepalives.
#pragma once

#include <sys/socket.h>

#include <atomic>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "bench/loadgen/peer.h"
#include "bench/loadgen/receive_stats.h"

namespace rc::bench {

class Loop {
 public:
  // `measuring`: count into the window's counters; `media`: publishers send (both owned by
  // the Fleet, read each turn).
  Loop(const std::atomic<bool>& measuring, const std::atomic<bool>& media);
  ~Loop();
  Loop(const Loop&) = delete;
  Loop& operator=(const Loop&) = delete;

  void start();
  void stop();             // joins the thread; peers may then be read from any thread
  void adopt(Peer* peer);  // any thread; the peer must outlive the loop's run
  LoopCounters counters;
  const LatencyHistogram& latency() const { return latency_; }  // after stop()
  double threadCpuSeconds() const { return cpuSeconds_.load(); }

 private:
  static constexpr int kBatch = 32;
  // One receive buffer holds a whole UDP_GRO batch: up to 64 KiB of coalesced datagrams.
  static constexpr size_t kBufferSize = 65536;
  static constexpr size_t kControlSize = 64;

  void run();
  void adoptPending(uint64_t nowNs, LoopContext& ctx);
  void drain(Peer& peer, uint64_t nowNs, LoopContext& ctx);
  void deliver(Peer& peer, int index, uint64_t nowNs, LoopContext& ctx);
  uint64_t sendDueMedia(uint64_t nowNs, LoopContext& ctx);

  const std::atomic<bool>& measuring_;
  const std::atomic<bool>& media_;
  int epollFd_ = -1;
  int wakeFd_ = -1;
  std::atomic<bool> stopping_{false};
  std::atomic<double> cpuSeconds_{0};
  std::thread thread_;
  std::mutex pendingMutex_;
  std::vector<Peer*> pending_;
  std::vector<Peer*> peers_, publishers_;
  LatencyHistogram latency_;
  std::vector<uint8_t> receiveBuffers_;
  std::vector<uint8_t> sendScratch_;
  mmsghdr messages_[kBatch];
  iovec iovecs_[kBatch];
  sockaddr_storage sources_[kBatch];
  alignas(cmsghdr) uint8_t controls_[kBatch][kControlSize];
};

}  // namespace rc::bench
