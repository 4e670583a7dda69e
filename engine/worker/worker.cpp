// Worker lifecycle, the loop, commands and the inter-worker rings.
#include "engine/worker/worker.h"

#include <pthread.h>
#include <sched.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>

#include <spdlog/spdlog.h>

#include "engine/room/engine.h"
#include "engine/room/published_track.h"
#include "engine/transport/transport.h"

namespace rc::engine {
namespace {

// The pool starts with 8192 buffers (13 MiB) and grows by 4096 when fewer than 2048 are free
// (each published video track may keep 512 in its NACK history), up to 131072 (~210 MiB);
// past that, packets are dropped and counted (drop_no_buffer).
constexpr size_t kPoolBuffers = 8192;
constexpr size_t kPoolSlab = 4096;
constexpr size_t kPoolLowWater = 2048;
constexpr size_t kPoolMaxBuffers = 131072;
constexpr int64_t kMaxSleepUs = 50'000;  // idle sleep; rings and commands wake us early
constexpr int64_t kTimerPeriodUs = 20'000;

// Worker i runs on the i-th CPU (modulo) of the set the process may use (taskset,
// cgroup cpuset). Where pinning is refused the worker runs unpinned; logged once.
void pinToCore(int worker) {
  cpu_set_t allowed;
  CPU_ZERO(&allowed);
  if (sched_getaffinity(0, sizeof(allowed), &allowed) != 0 || CPU_COUNT(&allowed) == 0) return;
  int index = worker % CPU_COUNT(&allowed);
  for (int cpu = 0; cpu < CPU_SETSIZE; ++cpu) {
    if (!CPU_ISSET(cpu, &allowed) || index-- != 0) continue;
    cpu_set_t one;
    CPU_ZERO(&one);
    CPU_SET(cpu, &one);
    int err = pthread_setaffinity_np(pthread_self(), sizeof(one), &one);
    static std::atomic<bool> warned{false};
    if (err != 0 && !warned.exchange(true)) {
      spdlog::warn("worker {}: not pinned to CPU {} ({}); workers run unpinned", worker, cpu,
                   std::strerror(err));
    } else if (err == 0) {
      spdlog::debug("worker {} pinned to CPU {}", worker, cpu);
    }
    return;
  }
}

}  // namespace

Worker::Worker(Engine& engine, int id, std::unique_ptr<io::UdpSocket> socket,
               io::BackendKind backend)
    : engine_(engine),
      id_(id),
      socket_(std::move(socket)),
      backendKind_(backend),
      pool_(static_cast<uint16_t>(id), kPoolBuffers) {
  counters_.store(counters_.poolBuffers, pool_.capacity());
  overflowReturns_.reserve(1024);
  pendingMedia_.reserve(kMaxPendingMedia);
  trackBatches_.reserve(kMaxPendingMedia);
  turnTracks_.reserve(kMaxPendingMedia);
  turnOrder_.reserve(kMaxPendingMedia);
  batchEndsFrame_ = std::make_unique<bool[]>(kMaxPendingMedia);
  batchPackets_.reserve(kMaxPendingMedia);
  batchShapes_.reserve(kMaxPendingMedia);
  batchPadTo_.reserve(kMaxPendingMedia);
  wakeFd_ = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
}

Worker::~Worker() {
  stop();
  if (wakeFd_ >= 0) ::close(wakeFd_);
}

void Worker::start() {
  // The backend is created here (not on the thread) so that a refused io_uring is
  // reported at start-up; the ring is then used only by the worker thread.
  std::string why;
  io_ = io::createIoBackend(backendKind_, socket_->fd(), &why);
  backendName_ = io_->name();
  if (wakeFd_ >= 0) io_->watchWakeFd(wakeFd_);
  if (!why.empty()) spdlog::warn("worker {}: {}", id_, why);
  running_ = true;
  thread_ = std::thread([this] { run(); });
}

void Worker::stop() {
  running_ = false;
  sleeping_ = true;
  wake();
  if (thread_.joinable()) thread_.join();
}

void Worker::post(WorkerCommand cmd) {
  commands_.push(std::move(cmd));
  pendingCommands_.fetch_add(1, std::memory_order_seq_cst);
  wake();
}

void Worker::signalWake() noexcept {
  uint64_t one = 1;
  (void)!::write(wakeFd_, &one, sizeof(one));
}

bool Worker::inputPending() const noexcept {
  if (pendingCommands_.load(std::memory_order_seq_cst) != 0) return true;
  for (int src = 0; src < engine_.workerCount(); ++src) {
    if (src != id_ && engine_.ring(src, id_).sizeApprox() != 0) return true;
  }
  return false;
}

// Sleep until the next timer is due (20 ms while transports exist), at most 50 ms.
int64_t Worker::pollTimeoutUs(int64_t nowUs) const noexcept {
  if (!overflowReturns_.empty()) return 1000;  // buffers wait for room in a return ring
  if (owned_.empty()) return kMaxSleepUs;
  return std::clamp<int64_t>(lastFastTimerUs_ + kTimerPeriodUs - nowUs, 0, kTimerPeriodUs);
}

void Worker::run() {
  pinToCore(id_);
  pthread_setname_np(pthread_self(), ("rc-worker-" + std::to_string(id_)).c_str());
  while (running_.load(std::memory_order_relaxed)) loopTurn();
  forwardPendingMedia();  // releases the buffers of a batch cut short by the stop
  for (Transport* t : std::vector<Transport*>(owned_)) closeTransport(t, false);
  io_->flush();
}

void Worker::loopTurn() {
  counters_.add(counters_.loopTurns);
  // Dekker-style handshake with wake(): announce sleep, then re-check the inputs
  // other threads fill, so a push that missed the flag is seen here.
  sleeping_.store(true, std::memory_order_seq_cst);
  std::atomic_thread_fence(std::memory_order_seq_cst);
  int64_t timeout = inputPending() ? 0 : pollTimeoutUs(nowMicros());
  firstInputNs_ = 0;
  size_t got = io_->poll(timeout, *this);
  int64_t wokeNs = steadyNanos();
  sleeping_.store(false, std::memory_order_seq_cst);
  if (got) counters_.add(counters_.busyTurns);
  retryReturns();
  drainRings();           // recycles buffers other workers returned before the pool is judged low
  forwardPendingMedia();  // what the socket and the rings brought this turn
  topUpPool();
  drainCommands();
  runTimers(nowMicros());
  retryReturns();  // what this turn released into full return rings
  accountLoop(wokeNs);
}

// Busy = from the first datagram of the turn (handled inside poll()) or, without input, from
// the end of the blocking wait, to the end of the turn.
void Worker::accountLoop(int64_t wokeNs) noexcept {
  int64_t endNs = steadyNanos();
  int64_t busy = endNs - (firstInputNs_ ? firstInputNs_ : wokeNs);
  if (lastTurnEndNs_ == 0) lastTurnEndNs_ = wokeNs;
  counters_.add(counters_.loopNs, static_cast<uint64_t>(endNs - lastTurnEndNs_));
  counters_.add(counters_.busyNs, static_cast<uint64_t>(busy));
  lastTurnEndNs_ = endNs;
}

void Worker::drainCommands() {
  WorkerCommand cmd;
  for (int i = 0; i < 256 && commands_.pop(cmd); ++i) {
    pendingCommands_.fetch_sub(1, std::memory_order_relaxed);
    cmd(*this);
  }
}

void Worker::drainRings() {
  for (int src = 0; src < engine_.workerCount(); ++src) {
    if (src == id_) continue;
    io::PacketBuffer* back = nullptr;
    auto& returns = engine_.returnRing(src, id_);
    while (returns.pop(back)) pool_.recycle(back);
    FanoutItem item;
    auto& ring = engine_.ring(src, id_);
    for (int n = 0; n < 4096 && ring.pop(item); ++n) {
      deliverLocal(item);
      release(item.buffer);
    }
  }
}

// Between packets, never inside the fan-out: one slab allocation when the pool runs low.
void Worker::topUpPool() noexcept {
  if (pool_.available() >= kPoolLowWater || pool_.capacity() >= kPoolMaxBuffers) return;
  try {
    pool_.grow(kPoolSlab);
    counters_.store(counters_.poolBuffers, pool_.capacity());
  } catch (const std::bad_alloc&) {
    // Out of memory: keep the pool as it is; exhausted buffers are counted as drops.
  }
}

// Buffers of other workers whose return ring was full on release(): handed back now.
void Worker::retryReturns() noexcept {
  size_t kept = 0;
  for (auto& [owner, pb] : overflowReturns_) {
    if (!engine_.returnRing(id_, owner).push(pb)) overflowReturns_[kept++] = {owner, pb};
  }
  overflowReturns_.resize(kept);
}

io::PacketBuffer* Worker::allocate() noexcept {
  io::PacketBuffer* pb = pool_.acquire();
  if (!pb) counters_.add(counters_.dropNoBuffer);
  return pb;
}

void Worker::release(io::PacketBuffer* pb) noexcept {
  if (!pb || !io::dropRef(pb)) return;
  if (pb->owner == id_) {
    pool_.recycle(pb);
    return;
  }
  // A pool may outgrow its return rings: a full ring keeps the buffer here for the next turn
  // (never dropped, or the owner would lose it).
  if (engine_.returnRing(id_, pb->owner).push(pb)) return;
  try {
    overflowReturns_.emplace_back(pb->owner, pb);
  } catch (const std::bad_alloc&) {
    // Out of memory with a full ring: the buffer is lost to its pool (never freed twice).
  }
}

void Worker::drainTransport(Transport* t) {
  WorkerCommand cmd;
  while (t->pending.pop(cmd)) cmd(*this);
}

Transport* Worker::adopt(const stun::Credentials* creds, const io::SocketAddress& from) noexcept {
  auto* t = static_cast<Transport*>(creds->owner);
  if (t->state.load() == TransportState::Closed) return nullptr;
  int expected = -1;
  if (!t->owner.compare_exchange_strong(expected, id_)) {
    if (expected != id_) return nullptr;  // owned by another worker (other 5-tuple)
  } else {
    owned_.push_back(t);
    t->lastReceiveUs = nowMicros();
    drainTransport(t);
  }
  if (t->closed) return nullptr;  // a close command was waiting for the adoption
  byAddress_[from] = t;
  return t;
}

}  // namespace rc::engine
