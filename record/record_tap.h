// A recording tap on one published track: a bounded single-producer single-consumer
// ring of fixed slots. The producer is the publisher's worker (Worker::fanout), which
// copies the decrypted RTP packet (RTX already unwrapped) or RTCP sender report into the
// next free slot; the consumer is the recorder thread. No allocation, no lock, no syscall
// on the producer side; a full ring drops the packet into a counter (the muxer's loss
// handling then asks for a keyframe). Head and tail live on separate cache lines.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <span>

namespace rc::record {

enum class TapKind : uint8_t { Rtp, SenderReport };

struct TapSlot {
  static constexpr size_t kCapacity = 1500;  // io::kPacketCapacity fits; larger is dropped
  TapKind kind = TapKind::Rtp;
  uint16_t length = 0;
  int64_t arrivalUs = 0;
  uint8_t bytes[kCapacity];
  std::span<const uint8_t> data() const noexcept { return {bytes, length}; }
};

class RecordTap {
 public:
  // `trackIndex`: the index of this track in the recording's TrackSpec list.
  RecordTap(size_t trackIndex, size_t slotsPow2 = 512)
      : trackIndex_(trackIndex), mask_(slotsPow2 - 1), slots_(new TapSlot[slotsPow2]) {}
  RecordTap(const RecordTap&) = delete;
  RecordTap& operator=(const RecordTap&) = delete;

  size_t trackIndex() const noexcept { return trackIndex_; }

  // Producer (the publisher's worker). False, and a counted drop, when full or oversized.
  bool push(TapKind kind, std::span<const uint8_t> bytes, int64_t arrivalUs) noexcept {
    if (bytes.size() > TapSlot::kCapacity) {
      producer_.oversized.fetch_add(1, std::memory_order_relaxed);
      return false;
    }
    const size_t tail = producer_.tail.load(std::memory_order_relaxed);
    if (tail - producer_.cachedHead > mask_) {
      producer_.cachedHead = consumer_.head.load(std::memory_order_acquire);
      if (tail - producer_.cachedHead > mask_) {
        producer_.drops.fetch_add(1, std::memory_order_relaxed);
        return false;
      }
    }
    TapSlot& slot = slots_[tail & mask_];
    slot.kind = kind;
    slot.length = static_cast<uint16_t>(bytes.size());
    slot.arrivalUs = arrivalUs;
    std::memcpy(slot.bytes, bytes.data(), bytes.size());
    producer_.tail.store(tail + 1, std::memory_order_release);
    return true;
  }

  // Consumer (the recorder thread): the oldest slot, or null when empty. The slot stays
  // valid until release().
  const TapSlot* front() noexcept {
    const size_t head = consumer_.head.load(std::memory_order_relaxed);
    if (head == consumer_.cachedTail) {
      consumer_.cachedTail = producer_.tail.load(std::memory_order_acquire);
      if (head == consumer_.cachedTail) return nullptr;
    }
    return &slots_[head & mask_];
  }
  void release() noexcept {
    consumer_.head.store(consumer_.head.load(std::memory_order_relaxed) + 1,
                         std::memory_order_release);
  }

  size_t capacity() const noexcept { return mask_ + 1; }
  uint64_t drops() const noexcept {
    return producer_.drops.load(std::memory_order_relaxed) +
           producer_.oversized.load(std::memory_order_relaxed);
  }

 private:
  static constexpr size_t kLine = 64;
  struct alignas(kLine) Producer {
    std::atomic<size_t> tail{0};
    size_t cachedHead = 0;
    std::atomic<uint64_t> drops{0}, oversized{0};
  };
  struct alignas(kLine) Consumer {
    std::atomic<size_t> head{0};
    size_t cachedTail = 0;
  };
  const size_t trackIndex_;
  const size_t mask_;
  std::unique_ptr<TapSlot[]> slots_;
  Producer producer_;
  Consumer consumer_;
};

}  // namespace rc::record
