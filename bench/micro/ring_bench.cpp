// The inter-worker SPSC ring (engine/worker/spsc_ring.h) carrying fan-out items:
// push+pop on one thread (the uncontended cost) and a producer thread feeding the
// benchmark thread (cache lines moving between cores).
#include <benchmark/benchmark.h>

#include <atomic>
#include <thread>

#include "engine/worker/fanout_item.h"
#include "engine/worker/spsc_ring.h"

namespace rc::bench {
namespace {

using engine::FanoutItem;
using engine::SpscRing;

void BM_SpscRing_SameThread(benchmark::State& state) {
  SpscRing<FanoutItem> ring(4096);
  FanoutItem item{}, out{};
  for (auto _ : state) {
    ring.push(item);
    ring.pop(out);
    benchmark::DoNotOptimize(out);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_SpscRing_SameThread);

void BM_SpscRing_CrossThread(benchmark::State& state) {
  SpscRing<FanoutItem> ring(4096);
  std::atomic<bool> stop{false};
  std::thread producer([&] {
    FanoutItem item{};
    while (!stop.load(std::memory_order_relaxed)) {
      if (!ring.push(item)) std::this_thread::yield();
    }
  });
  FanoutItem out{};
  for (auto _ : state) {
    while (!ring.pop(out)) {
    }
    benchmark::DoNotOptimize(out);
  }
  stop = true;
  producer.join();
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_SpscRing_CrossThread)->UseRealTime();

}  // namespace
}  // namespace rc::bench
