// Fixed-capacity ring of recently sent/received packets keyed by 16-bit RTP sequence number,
// for answering NACKs (RFC 4585 §6.2.1) with retransmissions (RFC 4588). Header-only; the slot
// array is allocated once in the constructor, never after.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <utility>

#include "engine/rtp/seq.h"

namespace rc::rtp {

template <class T>
class PacketCache {
 public:
  // Capacity is rounded up to a power of two, clamped to [1, 65536].
  explicit PacketCache(size_t capacity) : mask_(roundUp(capacity) - 1) {
    slots_ = std::make_unique<Slot[]>(mask_ + 1);
  }

  size_t capacity() const { return mask_ + 1; }

  // Stores `value` under `seq`. Returns the value the cache no longer holds: the one evicted
  // from the slot (an older seq, or the same seq stored again), or `value` itself when a newer
  // seq occupies the slot (a very late packet is not cached), or T{} when the slot was empty.
  T insert(uint16_t seq, T value) noexcept {
    Slot& s = slots_[seq & mask_];
    if (s.used && s.seq != seq && seqNewer(s.seq, seq)) return value;
    T evicted = s.used ? std::move(s.value) : T{};
    s.value = std::move(value);
    s.seq = seq;
    s.used = true;
    return evicted;
  }

  // The value stored for exactly this seq, or nullptr.
  T* find(uint16_t seq) noexcept {
    Slot& s = slots_[seq & mask_];
    return s.used && s.seq == seq ? &s.value : nullptr;
  }
  const T* find(uint16_t seq) const noexcept {
    const Slot& s = slots_[seq & mask_];
    return s.used && s.seq == seq ? &s.value : nullptr;
  }

  // Removes and returns the value for exactly this seq (T{} if absent).
  T take(uint16_t seq) noexcept {
    Slot& s = slots_[seq & mask_];
    if (!s.used || s.seq != seq) return T{};
    s.used = false;
    return std::exchange(s.value, T{});
  }

  // Empties the cache; `onEvict(T&&)` receives every stored value (e.g. to release buffers).
  template <class F>
  void clear(F&& onEvict) {
    for (size_t i = 0; i <= mask_; ++i) {
      if (slots_[i].used) onEvict(std::exchange(slots_[i].value, T{}));
      slots_[i].used = false;
    }
  }
  void clear() noexcept {
    clear([](T&&) {});
  }

 private:
  struct Slot {
    T value{};
    uint16_t seq = 0;
    bool used = false;
  };
  static size_t roundUp(size_t n) {
    size_t p = 1;
    while (p < n && p < 65536) p <<= 1;
    return p;
  }

  size_t mask_;
  std::unique_ptr<Slot[]> slots_;
};

}  // namespace rc::rtp
