// Worker lifecycle, the loop, commands and the inter-worker rings.
#include "engine/worker/worker.h"

#include <pthread.h>
#include <sched.h>

#include <spdlog/spdlog.h>

#include "engine/room/engine.h"
#include "engine/room/published_track.h"
#include "engine/transport/transport.h"

namespace rc::engine {
namespace {

constexpr size_t kPoolBuffers = 8192;
constexpr int64_t kIdlePollUs = 1000;  // upper bound on ring/command latency

void pinToCore(int core) {
  int cores = static_cast<int>(std::thread::hardware_concurrency());
  if (cores <= 0) return;
  cpu_set_t set;
  CPU_ZERO(&set);
  CPU_SET(core % cores, &set);
  pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
}

}  // namespace

Worker::Worker(Engine& engine, int id, std::unique_ptr<io::UdpSocket> socket, io::BackendKind backend)
    : engine_(engine), id_(id), socket_(std::move(socket)), backendKind_(backend),
      pool_(static_cast<uint16_t>(id), kPoolBuffers) {}

Worker::~Worker() { stop(); }

void Worker::start() {
  // The backend is created here (not on the thread) so that a refused io_uring is
  // reported at start-up; the ring is then used only by the worker thread.
  std::string why;
  io_ = io::createIoBackend(backendKind_, socket_->fd(), &why);
  backendName_ = io_->name();
  if (!why.empty()) spdlog::warn("worker {}: {}", id_, why);
  running_ = true;
  thread_ = std::thread([this] { run(); });
}

void Worker::stop() {
  running_ = false;
  if (thread_.joinable()) thread_.join();
}

void Worker::post(WorkerCommand cmd) { commands_.push(std::move(cmd)); }

void Worker::run() {
  pinToCore(id_);
  pthread_setname_np(pthread_self(), ("rc-worker-" + std::to_string(id_)).c_str());
  while (running_.load(std::memory_order_relaxed)) loopTurn();
  for (Transport* t : std::vector<Transport*>(owned_)) closeTransport(t, false);
  io_->flush();
}

void Worker::loopTurn() {
  counters_.add(counters_.loopTurns);
  size_t got = io_->poll(kIdlePollUs, *this);
  if (got) counters_.add(counters_.busyTurns);
  drainRings();
  drainCommands();
  runTimers(nowMicros());
}

void Worker::drainCommands() {
  WorkerCommand cmd;
  for (int i = 0; i < 256 && commands_.pop(cmd); ++i) cmd(*this);
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
  // The return ring holds as many entries as the owner's pool has buffers, so it
  // cannot overflow.
  engine_.returnRing(id_, pb->owner).push(pb);
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
  byAddress_[from] = t;
  return t;
}

}  // namespace rc::engine
