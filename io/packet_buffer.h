// Packet buffers and the per-worker pool they come from.
//
// A buffer is owned by the worker whose pool it came from. Other workers may hold
// references (refs > 0) to read it; the last reference holder returns it: directly
// to the pool when it is the owner, otherwise through a per-(worker, owner) return
// ring that the owner drains each loop turn (no cross-thread free, DESIGN.md).
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <vector>

#include "io/socket_address.h"

namespace rc::io {

inline constexpr size_t kPacketCapacity = 1500 + 64;  // MTU-sized datagram + SRTP trailer room

enum class PacketKind : uint8_t { Rtp = 0, SenderReport = 1 };

struct alignas(64) PacketBuffer {
  std::atomic<uint32_t> refs{0};
  uint16_t owner = 0;  // worker id whose pool this came from
  PacketKind kind = PacketKind::Rtp;
  uint32_t length = 0;    // valid bytes in data
  int64_t arrivalUs = 0;  // receive time, steady clock
  SocketAddress from;     // sender, for datagrams handed to another worker
  uint8_t data[kPacketCapacity];
};

// Grows in slabs (grow()), never shrinks: the owner worker tops it up between packets when it
// runs low, so a load of many published tracks (each keeps a NACK history of buffers) is not
// bounded by the start-up size.
class BufferPool {
 public:
  BufferPool(uint16_t owner, size_t count);
  BufferPool(const BufferPool&) = delete;
  BufferPool& operator=(const BufferPool&) = delete;

  // Returns a buffer with refs == 1, or nullptr when the pool is exhausted.
  PacketBuffer* acquire() noexcept {
    if (free_.empty()) return nullptr;
    PacketBuffer* b = free_.back();
    free_.pop_back();
    b->refs.store(1, std::memory_order_relaxed);
    b->kind = PacketKind::Rtp;
    b->length = 0;
    return b;
  }
  // Only the owner worker calls this, for a buffer whose refs reached zero.
  void recycle(PacketBuffer* b) noexcept { free_.push_back(b); }

  // Adds `count` buffers (one allocation); only the owner worker calls it, off the packet path.
  void grow(size_t count);

  uint16_t owner() const noexcept { return owner_; }
  size_t capacity() const noexcept { return count_; }
  size_t available() const noexcept { return free_.size(); }

 private:
  uint16_t owner_;
  size_t count_ = 0;
  std::vector<std::unique_ptr<PacketBuffer[]>> slabs_;
  std::vector<PacketBuffer*> free_;
};

inline void retain(PacketBuffer* b) noexcept {
  b->refs.fetch_add(1, std::memory_order_relaxed);
}

// Drops one reference; returns true when it was the last one (the caller then
// hands the buffer back to its owner).
inline bool dropRef(PacketBuffer* b) noexcept {
  return b->refs.fetch_sub(1, std::memory_order_acq_rel) == 1;
}

}  // namespace rc::io
