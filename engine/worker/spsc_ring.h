// Bounded single-producer single-consumer ring (Seastar smp.hh style): head and
// tail on separate cache lines, each side caching the other's index, a drop
// counter when full. Used between worker pairs for packet references.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <new>

namespace rc::engine {

inline constexpr size_t kCacheLine = 64;

template <class T>
class SpscRing {
 public:
  explicit SpscRing(size_t capacityPow2) : mask_(capacityPow2 - 1), slots_(new T[capacityPow2]) {}
  SpscRing(const SpscRing&) = delete;
  SpscRing& operator=(const SpscRing&) = delete;

  // Producer side. Returns false (and counts a drop) when full.
  bool push(const T& value) noexcept {
    const size_t tail = producer_.tail.load(std::memory_order_relaxed);
    if (tail - producer_.cachedHead > mask_) {
      producer_.cachedHead = consumer_.head.load(std::memory_order_acquire);
      if (tail - producer_.cachedHead > mask_) {
        producer_.drops.fetch_add(1, std::memory_order_relaxed);
        return false;
      }
    }
    slots_[tail & mask_] = value;
    producer_.tail.store(tail + 1, std::memory_order_release);
    return true;
  }

  // Consumer side.
  bool pop(T& out) noexcept {
    const size_t head = consumer_.head.load(std::memory_order_relaxed);
    if (head == consumer_.cachedTail) {
      consumer_.cachedTail = producer_.tail.load(std::memory_order_acquire);
      if (head == consumer_.cachedTail) return false;
    }
    out = slots_[head & mask_];
    consumer_.head.store(head + 1, std::memory_order_release);
    return true;
  }

  size_t capacity() const noexcept { return mask_ + 1; }
  uint64_t drops() const noexcept { return producer_.drops.load(std::memory_order_relaxed); }
  size_t sizeApprox() const noexcept {
    return producer_.tail.load(std::memory_order_acquire) -
           consumer_.head.load(std::memory_order_acquire);
  }

 private:
  struct alignas(kCacheLine) Producer {
    std::atomic<size_t> tail{0};
    size_t cachedHead = 0;
    std::atomic<uint64_t> drops{0};
  };
  struct alignas(kCacheLine) Consumer {
    std::atomic<size_t> head{0};
    size_t cachedTail = 0;
  };
  const size_t mask_;
  std::unique_ptr<T[]> slots_;
  Producer producer_;
  Consumer consumer_;
};

}  // namespace rc::engine
