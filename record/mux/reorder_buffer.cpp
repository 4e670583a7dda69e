#include "record/mux/reorder_buffer.h"

namespace rc::record {

// RFC 3550 A.1: the sequence number closest to the highest one seen, in a 2^16 cycle
// (starting one cycle up so that a packet just before the first one does not underflow).
uint64_t ReorderBuffer::extend(uint16_t seq) noexcept {
  if (!started_) {
    started_ = true;
    highest_ = next_ = (uint64_t{1} << 16) + seq;
    return highest_;
  }
  uint64_t candidate = (highest_ & ~uint64_t{0xffff}) | seq;
  if (candidate + 0x8000 < highest_) {
    candidate += 0x10000;
  } else if (candidate > highest_ + 0x8000 && candidate >= 0x10000) {
    candidate -= 0x10000;
  }
  if (candidate > highest_) highest_ = candidate;
  return candidate;
}

void ReorderBuffer::insert(uint16_t seq, std::span<const uint8_t> packet, int64_t arrivalUs) {
  uint64_t ext = extend(seq);
  if (ext < next_ || pending_.count(ext)) {
    duplicates_++;
    return;
  }
  pending_.emplace(ext, Entry{{packet.begin(), packet.end()}, arrivalUs});
}

}  // namespace rc::record
