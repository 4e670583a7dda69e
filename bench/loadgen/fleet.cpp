#include "bench/loadgen/fleet.h"

#include <netdb.h>

#include <chrono>
#include <cstdio>
#include <stdexcept>
#include <thread>

#include "bench/loadgen/http_client.h"
#include "bench/loadgen/proc_stats.h"
#include "bench/loadgen/server_metrics.h"
#include "crypto/certificate.h"

namespace rc::bench {
namespace {

sockaddr_in resolveIpv4(const std::string& host, const std::string& port) {
  addrinfo hints{};
  hints.ai_family = AF_INET;
  hints.ai_socktype = SOCK_DGRAM;
  addrinfo* found = nullptr;
  if (getaddrinfo(host.c_str(), port.c_str(), &hints, &found) != 0 || !found)
    throw std::runtime_error("cannot resolve " + host + " to an IPv4 address");
  sockaddr_in out = *reinterpret_cast<sockaddr_in*>(found->ai_addr);
  freeaddrinfo(found);
  return out;
}

void sleepSeconds(double s) {
  std::this_thread::sleep_for(std::chrono::duration<double>(s));
}

}  // namespace

Fleet::Fleet(const RunOptions& options)
    : options_(options), signaling_(makeSignaling(options)), media_(!options.mediaAfterJoin) {
  if (options_.threads < 1) throw std::runtime_error("--threads must be at least 1");
  HttpUrl url = parseHttpUrl(options_.serverUrl);
  serverHint_ = resolveIpv4(url.host, url.port);
  crypto::initSrtpLibrary();
  dtls_ = std::make_shared<crypto::DtlsContext>(crypto::Certificate::generateEcdsaP256());
  for (int i = 0; i < options_.threads; ++i) {
    loops_.push_back(std::make_unique<Loop>(measuring_, media_));
    loops_.back()->start();
  }
}

Fleet::~Fleet() {
  stopLoops();
}

void Fleet::noteError(const std::string& message) {
  std::lock_guard lock(mutex_);
  ++signalingFailures_;
  if (firstError_.empty()) {
    firstError_ = message;
    std::fprintf(stderr, "ringcast-bench: %s\n", message.c_str());
  }
}

// --ramp-per-s: the i-th join starts no earlier than i / rate seconds after the first.
void Fleet::pace() {
  uint64_t now = monotonicNs(), due = now;
  {
    std::lock_guard lock(mutex_);
    if (joinsStarted_ == 0) firstJoinNs_ = now;
    if (options_.rampPerS > 0) {
      due = firstJoinNs_ +
            static_cast<uint64_t>(static_cast<double>(joinsStarted_) / options_.rampPerS * 1e9);
    }
    ++joinsStarted_;
  }
  if (due > now) std::this_thread::sleep_for(std::chrono::nanoseconds(due - now));
}

void Fleet::joinAll(const std::vector<PeerSpec>& specs, const std::string& room) {
  std::atomic<size_t> next{0};
  auto work = [&] {
    for (size_t i = next++; i < specs.size(); i = next++) join(specs[i], room);
  };
  std::vector<std::thread> threads;
  int count = std::max(1, options_.signalingThreads);
  for (int i = 1; i < count; ++i) threads.emplace_back(work);
  work();
  for (auto& t : threads) t.join();
}

void Fleet::join(const PeerSpec& spec, const std::string& runRoom) {
  pace();
  const std::string& room = spec.room.empty() ? runRoom : spec.room;
  std::unique_ptr<Peer> peer;
  try {
    PeerSpec own = spec;
    own.receiveGro = options_.receiveGro;
    if (!spec.publisher) own.bindAddress = options_.subscriberAddress;
    peer = std::make_unique<Peer>(own, *dtls_, serverHint_);
    peer->joinStartNs = monotonicNs();
    std::string offer = buildOffer(peer->localMedia());
    Negotiation n;
    if (spec.publisher) {
      n = signaling_->publish(room, spec.identity, offer);
    } else if (spec.publisherFilter.empty()) {
      n = signaling_->subscribe(room, spec.identity, offer);
    } else {
      n = signaling_->subscribeTo(room, spec.identity, spec.publisherFilter, offer);
    }
    peer->negotiation = n;
    if (n.remoteIsOffer) signaling_->answer(n, buildAnswer(n.remoteSdp, peer->localMedia()));
    RemoteEndpoint remote = parseRemote(n.remoteSdp);
    // A server's offer says actpass (Janus); our answer took a=setup:active (RFC 8842 §5.3),
    // which leaves the server passive.
    if (n.remoteIsOffer && remote.setup == "actpass") remote.setup = "passive";
    peer->setRemote(remote);
    peer->answeredNs = monotonicNs();
  } catch (const std::exception& e) {
    noteError(spec.identity + ": " + e.what());
    if (peer && !peer->negotiation.handle.empty()) signaling_->close(peer->negotiation);
    return;
  }
  std::lock_guard lock(mutex_);
  Loop& loop = *loops_[peers_.size() % loops_.size()];
  peers_.push_back(std::move(peer));
  loop.adopt(peers_.back().get());
}

bool Fleet::waitSettled(double timeoutS) {
  uint64_t deadline = monotonicNs() + static_cast<uint64_t>(timeoutS * 1e9);
  while (monotonicNs() < deadline) {
    Snapshot s = snapshot();
    size_t started;
    {
      std::lock_guard lock(mutex_);
      started = peers_.size();
    }
    if (s.joined + s.joinFailures >= started) return true;
    sleepSeconds(0.01);
  }
  return false;
}

Snapshot Fleet::snapshot() const {
  Snapshot s;
  s.ns = monotonicNs();
  for (const auto& loop : loops_) {
    const LoopCounters& c = loop->counters;
    auto get = [](const std::atomic<uint64_t>& a) { return a.load(std::memory_order_relaxed); };
    s.packets += get(c.packets);
    s.bytes += get(c.bytes);
    s.expected += get(c.expected);
    s.unique += get(c.unique);
    s.duplicates += get(c.duplicates);
    s.reordered += get(c.reordered);
    s.decryptFailures += get(c.decryptFailures);
    s.sentPackets += get(c.sentPackets);
    s.joined += get(c.joined);
    s.joinFailures += get(c.joinFailures);
    s.keyframeRequests += get(c.keyframeRequests);
    s.nacks += get(c.nacks);
    s.sendErrors += get(c.sendErrors);
    s.loopCpuS.push_back(loop->threadCpuSeconds());
  }
  s.selfCpuS = selfCpuSeconds();
  if (auto udp = sampleUdpCounters()) s.udp = *udp;
  if (options_.kind == "ringcast") s.serverCounters = readServerCounters(options_.serverUrl);
  if (auto server = sampleProcess(options_.serverPid)) {
    s.haveServer = true;
    s.serverCpuS = server->cpuSeconds;
    s.serverRssKib = server->rssKib;
  }
  return s;
}

void Fleet::stopLoops() {
  for (auto& loop : loops_) loop->stop();
}

LatencyHistogram Fleet::mergedLatency() const {
  LatencyHistogram all;
  for (const auto& loop : loops_) all.merge(loop->latency());
  return all;
}

void Fleet::closeSessions() {
  for (auto& peer : peers_) signaling_->close(peer->negotiation);
}

}  // namespace rc::bench
