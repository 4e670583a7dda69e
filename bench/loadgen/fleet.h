// The simulated clients of one run: signalling on the calling thread (rate limited), media on
// the loop threads, and snapshots of everything the report needs.
#pragma once

#include <netinet/in.h>

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "bench/loadgen/loop.h"
#include "bench/loadgen/peer.h"
#include "bench/loadgen/proc_stats.h"
#include "bench/loadgen/run.h"

namespace rc::bench {

struct Snapshot {
  uint64_t ns = 0;
  uint64_t packets = 0, bytes = 0, expected = 0, unique = 0, duplicates = 0, reordered = 0;
  uint64_t decryptFailures = 0, sentPackets = 0, joined = 0, joinFailures = 0;
  uint64_t keyframeRequests = 0, nacks = 0, sendErrors = 0;
  double selfCpuS = 0;
  std::vector<double> loopCpuS;  // per loop thread, cumulative
  bool haveServer = false;
  double serverCpuS = 0;
  long serverRssKib = 0;
  UdpCounters udp;                               // host-wide
  std::map<std::string, double> serverCounters;  // ringcast's /metrics (readServerCounters)
};

class Fleet {
 public:
  explicit Fleet(const RunOptions& options);
  ~Fleet();

  // Signals each spec on --signaling-threads threads (rate limited by --ramp-per-s) and hands
  // the peers to the loops; a signalling failure is counted, not thrown.
  void joinAll(const std::vector<PeerSpec>& specs, const std::string& room);
  // Waits until every peer started so far connected or failed, or `timeoutS` passed.
  bool waitSettled(double timeoutS);
  Snapshot snapshot() const;
  void setMeasuring(bool on) { measuring_ = on; }
  void setMedia(bool on) { media_ = on; }  // publishers send; see RunOptions::mediaAfterJoin
  void stopLoops();
  LatencyHistogram mergedLatency() const;
  void closeSessions();  // WHIP/WHEP DELETE (Janus detach); after stopLoops()

  const std::vector<std::unique_ptr<Peer>>& peers() const { return peers_; }
  uint64_t signalingFailures() const { return signalingFailures_; }
  const std::string& firstError() const { return firstError_; }
  const RunOptions& options() const { return options_; }
  Signaling& signaling() { return *signaling_; }
  size_t threads() const { return loops_.size(); }

 private:
  void join(const PeerSpec& spec, const std::string& room);
  void pace();
  void noteError(const std::string& message);

  RunOptions options_;
  std::unique_ptr<Signaling> signaling_;
  std::shared_ptr<crypto::DtlsContext> dtls_;
  sockaddr_in serverHint_{};
  std::atomic<bool> measuring_{false};
  std::atomic<bool> media_;
  std::vector<std::unique_ptr<Loop>> loops_;
  std::vector<std::unique_ptr<Peer>> peers_;
  std::mutex mutex_;  // guards peers_, the pacing state and the error fields while joining
  uint64_t signalingFailures_ = 0;
  uint64_t firstJoinNs_ = 0;
  size_t joinsStarted_ = 0;
  std::string firstError_;
};

}  // namespace rc::bench
