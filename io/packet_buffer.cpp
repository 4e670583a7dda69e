#include "io/packet_buffer.h"

namespace rc::io {

BufferPool::BufferPool(uint16_t owner, size_t count)
    : owner_(owner), count_(count), storage_(new PacketBuffer[count]) {
  free_.reserve(count);
  for (size_t i = 0; i < count; ++i) {
    storage_[i].owner = owner;
    free_.push_back(&storage_[count - 1 - i]);
  }
}

}  // namespace rc::io
