// Unbounded multi-producer single-consumer queue (intrusive, Vyukov style) for
// commands from the control thread (and from other workers) to one worker. Push is
// lock-free and never blocks; pop is wait-free for the single consumer. Commands
// are rare control-plane events, so the node allocation is acceptable here; it
// never happens per packet.
#pragma once

#include <atomic>
#include <functional>
#include <utility>

namespace rc::engine {

template <class T>
class MpscQueue {
 public:
  MpscQueue() : head_(&stub_), tail_(&stub_) {}
  ~MpscQueue() {
    T discard;
    while (pop(discard)) {
    }
  }
  MpscQueue(const MpscQueue&) = delete;
  MpscQueue& operator=(const MpscQueue&) = delete;

  void push(T value) {
    auto* node = new Node{std::move(value), {nullptr}};
    Node* prev = head_.exchange(node, std::memory_order_acq_rel);
    prev->next.store(node, std::memory_order_release);
  }

  // Single consumer. Returns false when empty (or when a producer is mid-push;
  // the item is then seen on the next call).
  bool pop(T& out) {
    Node* tail = tail_;
    Node* next = tail->next.load(std::memory_order_acquire);
    if (tail == &stub_) {
      if (!next) return false;
      tail_ = next;
      tail = next;
      next = next->next.load(std::memory_order_acquire);
    }
    if (next) {
      tail_ = next;
      out = std::move(tail->value);
      delete tail;
      return true;
    }
    if (tail != head_.load(std::memory_order_acquire)) return false;
    pushStub();
    next = tail->next.load(std::memory_order_acquire);
    if (!next) return false;
    tail_ = next;
    out = std::move(tail->value);
    delete tail;
    return true;
  }

 private:
  struct Node {
    T value;
    std::atomic<Node*> next;
  };
  void pushStub() {
    stub_.next.store(nullptr, std::memory_order_relaxed);
    Node* prev = head_.exchange(&stub_, std::memory_order_acq_rel);
    prev->next.store(&stub_, std::memory_order_release);
  }

  Node stub_{T{}, {nullptr}};
  alignas(64) std::atomic<Node*> head_;
  alignas(64) Node* tail_;
};

}  // namespace rc::engine
