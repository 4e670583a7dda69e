#include "io/packet_buffer.h"

namespace rc::io {

BufferPool::BufferPool(uint16_t owner, size_t count) : owner_(owner) {
  grow(count);
}

void BufferPool::grow(size_t count) {
  if (count == 0) return;
  slabs_.reserve(slabs_.size() + 1);  // nothing below throws once the slab exists
  free_.reserve(count_ + count);
  // Default-initialized (new T[n], not make_unique's value-init): the data bytes stay
  // untouched, so pages are only committed when a buffer is first used.
  auto& slab = slabs_.emplace_back(std::unique_ptr<PacketBuffer[]>(new PacketBuffer[count]));
  for (size_t i = 0; i < count; ++i) {
    slab[i].owner = owner_;
    free_.push_back(&slab[count - 1 - i]);
  }
  count_ += count;
}

}  // namespace rc::io
