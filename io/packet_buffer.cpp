#include "io/packet_buffer.h"

namespace rc::io {

BufferPool::BufferPool(uint16_t owner, size_t count) : owner_(owner) {
  grow(count);
}

void BufferPool::grow(size_t count) {
  if (count == 0) return;
  auto& slab = slabs_.emplace_back(new PacketBuffer[count]);
  free_.reserve(count_ + count);
  for (size_t i = 0; i < count; ++i) {
    slab[i].owner = owner_;
    free_.push_back(&slab[count - 1 - i]);
  }
  count_ += count;
}

}  // namespace rc::io
