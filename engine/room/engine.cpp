// Engine lifecycle: workers and rings, transport adoption table, the control-side
// housekeeping thread (worker events, unadopted-transport timeouts, the graveyard
// that frees retired objects after a grace period longer than any ring latency).
#include "engine/room/engine.h"

#include <malloc.h>

#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <map>

#include <spdlog/spdlog.h>

#include "crypto/srtp_session.h"
#include "io/udp_socket.h"

namespace rc::engine {
namespace {

constexpr int64_t kGraceUs = 5'000'000;
constexpr size_t kRingCapacity = 16384;
// Buffers going back to their owner; a pool may grow past this, and a release that finds the
// ring full keeps the buffer on the releasing worker until there is room (Worker::release).
constexpr size_t kReturnCapacity = 16384;

int resolveWorkers(int configured) {
  if (configured > 0) return std::min(configured, kMaxWorkers);
  unsigned n = std::thread::hardware_concurrency();
  return static_cast<int>(std::clamp<unsigned>(n ? n : 1, 1, kMaxWorkers));
}

// Bind the media port to the advertised candidate IP when it is one of ours, so
// replies always leave from the address the browser sent to (a wildcard bind lets
// the kernel pick another source address for some peers, and ICE then discards
// the response, RFC 8445 §7.2.5.2.1). When the advertised IP is not local (a
// cloud host behind 1:1 NAT), fall back to the configured bind address.
std::string chooseMediaBindIp(const std::string& configured, const std::string& nodeIp,
                              uint16_t port) {
  std::string fallback = configured.empty() ? "0.0.0.0" : configured;
  if (fallback != "0.0.0.0" && fallback != "::") return fallback;
  try {
    io::UdpSocket probe(nodeIp, port);
    return nodeIp;
  } catch (const std::exception&) {
    return fallback;
  }
}

}  // namespace

int64_t nowMicros() noexcept {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

Engine::Engine(const api::Config& config)
    : nodeIp_(config.rtc.nodeIp.empty() ? "127.0.0.1" : config.rtc.nodeIp),
      udpPort_(config.rtc.udpPort),
      transportTimeoutUs_(int64_t(config.rtc.transportTimeoutSec) * 1'000'000) {
  defaultEmptyTimeoutSec_ = config.room.emptyTimeoutSec;
  defaultMaxParticipants_ = config.room.maxParticipants;
  crypto::initSrtpLibrary();
  certificate_ = crypto::Certificate::generateEcdsaP256();
  dtls_ = std::make_unique<crypto::DtlsContext>(certificate_);
  startWorkers(config);
  housekeeper_ = std::thread([this] { housekeeping(); });
}

Engine::~Engine() {
  stop();
}

void Engine::startWorkers(const api::Config& config) {
  int n = resolveWorkers(config.rtc.workers);
  io::BackendKind kind = io::parseBackendKind(config.rtc.ioBackend);
  std::string bindIp = chooseMediaBindIp(config.bindAddress, nodeIp_, udpPort_);
  for (int i = 0; i < n; ++i) {
    auto socket = std::make_unique<io::UdpSocket>(bindIp, udpPort_);
    if (udpPort_ == 0) udpPort_ = socket->localPort();  // first socket picks, the rest join
    workers_.push_back(std::make_unique<Worker>(*this, i, std::move(socket), kind));
  }
  for (int s = 0; s < n; ++s) {
    for (int d = 0; d < n; ++d) {
      rings_.push_back(std::make_unique<SpscRing<FanoutItem>>(s == d ? 2 : kRingCapacity));
      returns_.push_back(
          std::make_unique<SpscRing<io::PacketBuffer*>>(s == d ? 2 : kReturnCapacity));
    }
  }
  for (auto& w : workers_) w->start();
  spdlog::info("media: {} worker(s) on udp {}:{} ({} backend), ICE candidate {}", n, bindIp,
               udpPort_, workers_.front()->backendName(), nodeIp_);
}

void Engine::stop() {
  if (!running_.exchange(false)) return;
  if (housekeeper_.joinable()) housekeeper_.join();
  for (auto& w : workers_) w->stop();
}

// /readyz: a no-op command on every worker; each one that runs it counts down.
bool Engine::workersResponsive(std::chrono::milliseconds timeout) {
  if (!running_.load()) return false;
  struct Latch {
    std::mutex mu;
    std::condition_variable cv;
    size_t pending;
  };
  auto latch = std::make_shared<Latch>();
  latch->pending = workers_.size();
  for (auto& w : workers_) {
    w->post([latch](Worker&) {
      std::lock_guard lock(latch->mu);
      if (--latch->pending == 0) latch->cv.notify_all();
    });
  }
  std::unique_lock lock(latch->mu);
  return latch->cv.wait_for(lock, timeout, [&] { return latch->pending == 0; });
}

const stun::Credentials* Engine::lookupCredentials(std::string_view ufrag) {
  std::lock_guard lock(ufragMutex_);
  auto it = byUfrag_.find(std::string(ufrag));
  return it == byUfrag_.end() ? nullptr : &it->second->credentials;
}

// Sequentially consistent on both sides: the worker sets `owner` then drains
// `pending`; we push to `pending` then read `owner`. Either the worker's drain sees
// our command, or we see the owner and wake it.
void Engine::postToTransport(Transport* t, WorkerCommand cmd) {
  t->pending.push(std::move(cmd));
  int owner = t->owner.load(std::memory_order_seq_cst);
  if (owner >= 0) workers_[size_t(owner)]->post([t](Worker& w) { w.drainTransport(t); });
}

void Engine::onTransportClosed(Transport* t, const std::string& reason) {
  std::string room = t->room, id = t->id;
  events_.push([this, room, id, reason] {
    std::lock_guard lock(mutex_);
    auto it = rooms_.find(room);
    if (it != rooms_.end()) endSession(it->second, id, reason);
  });
}

void Engine::onTransportConnected(Transport* t, const char* srtpProfile) {
  std::string room = t->room, id = t->id, who = t->identity, profile = srtpProfile;
  events_.push([room, id, who, profile] {
    spdlog::info("room {}: {} connected (session {}, {})", room, who, id, profile);
  });
}

void Engine::housekeeping() {
  setpriority(PRIO_PROCESS, static_cast<id_t>(syscall(SYS_gettid)), 5);
  int64_t lastSweep = 0;
  while (running_) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    std::function<void()> ev;
    while (events_.pop(ev)) ev();
    int64_t now = nowMicros();
    if (now - lastSweep < 1'000'000) continue;
    lastSweep = now;
    {
      std::lock_guard lock(mutex_);
      sweepUnadopted(now);
      sweepEmptyRooms(now);
      while (!graveyard_.empty() && now - graveyard_.front().atUs > kGraceUs)
        graveyard_.pop_front();
    }
    returnFreedMemory();
  }
}

// Workers free DTLS sessions after their handshakes (worker_dtls.cpp) and the graveyard frees
// whole transports; glibc keeps those pages. Give them back to the kernel when a few hundred
// sessions were freed since the last time (malloc_trim walks every arena: ms, not per packet).
void Engine::returnFreedMemory() {
  uint64_t released = 0;
  for (const auto& w : workers_) released += w->counters().dtlsReleased.load();
  if (released - releasedAtLastTrim_ < kTrimEverySessions) return;
  releasedAtLastTrim_ = released;
  malloc_trim(0);
}

api::EngineStats Engine::stats() const {
  api::EngineStats s;
  {
    std::lock_guard lock(mutex_);
    s.rooms = rooms_.size();
    for (const auto& [name, room] : rooms_) {
      s.participants += room.sessions.size();
      for (const auto& [id, session] : room.sessions) s.tracks += session->tracks.size();
    }
  }
  std::map<std::string, uint64_t> totals;
  for (const auto& w : workers_) {
    w->counters().forEach([&](const char* name, const auto& c) {
      totals[name] += c.load(std::memory_order_relaxed);
    });
  }
  s.counters.assign(totals.begin(), totals.end());
  s.ioBackend = workers_.empty() ? "none" : workers_.front()->backendName();
  s.workers = workerCount();
  for (const auto& w : workers_) {
    const auto& c = w->counters();
    s.workerLoad.push_back({c.busyNs.load(std::memory_order_relaxed),
                            c.loopNs.load(std::memory_order_relaxed),
                            c.poolBuffers.load(std::memory_order_relaxed)});
    s.packetsIn += c.rtpIn.load();
    s.packetsOut += c.rtpOut.load();
    s.bytesIn += c.rtpBytesIn.load();
    s.bytesOut += c.rtpBytesOut.load();
    s.dropped += c.dropUnknownSource + c.dropMalformed + c.dropSrtp + c.dropUnknownSsrc +
                 c.dropNoBuffer + c.dropNoSendSlot + c.dropNoCodec + c.dropStunAuth + c.dropRing;
  }
  return s;
}

}  // namespace rc::engine

namespace rc::api {

std::unique_ptr<MediaEngine> createMediaEngine(const Config& config) {
  return std::make_unique<engine::Engine>(config);
}

}  // namespace rc::api
