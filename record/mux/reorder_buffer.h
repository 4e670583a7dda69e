// Puts one track's RTP packets back in sequence order for the depacketizer. A gap waits up
// to `waitUs` from the arrival of the first packet after it, because the SFU NACKs the
// publisher upstream (engine/rtp/nack_generator.h) and the retransmission may still come;
// then the missing packets are counted lost and the next packet is released with `gap` set.
// Sequence numbers are extended past 16-bit wrap as in RFC 3550 Appendix A.1.
#pragma once

#include <cstdint>
#include <map>
#include <span>
#include <vector>

namespace rc::record {

class ReorderBuffer {
 public:
  explicit ReorderBuffer(int64_t waitUs, size_t capacity = 512)
      : waitUs_(waitUs), capacity_(capacity) {}

  // Stores a copy of `packet`; duplicates and packets older than what was released are
  // dropped (counted).
  void insert(uint16_t seq, std::span<const uint8_t> packet, int64_t arrivalUs);

  // Calls out(packet, gap) for every packet that may leave at `nowUs`, in sequence order.
  template <typename Out>
  void release(int64_t nowUs, Out&& out) {
    while (!pending_.empty()) {
      auto first = pending_.begin();
      if (first->first != next_) {
        bool waitedEnough = nowUs - first->second.arrivalUs >= waitUs_;
        if (!waitedEnough && pending_.size() <= capacity_) return;
        lost_ += first->first - next_;
        next_ = first->first;
        gap_ = true;
      }
      out(std::span<const uint8_t>(first->second.bytes), gap_);
      gap_ = false;
      ++next_;
      pending_.erase(first);
    }
  }

  uint64_t lost() const noexcept { return lost_; }
  uint64_t duplicates() const noexcept { return duplicates_; }
  size_t pending() const noexcept { return pending_.size(); }

 private:
  uint64_t extend(uint16_t seq) noexcept;

  struct Entry {
    std::vector<uint8_t> bytes;
    int64_t arrivalUs = 0;
  };
  int64_t waitUs_;
  size_t capacity_;
  std::map<uint64_t, Entry> pending_;  // by extended sequence number
  bool started_ = false, gap_ = false;
  uint64_t next_ = 0;     // the extended sequence number released next
  uint64_t highest_ = 0;  // highest extended sequence number seen
  uint64_t lost_ = 0, duplicates_ = 0;
};

}  // namespace rc::record
