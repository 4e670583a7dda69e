#include "engine/rtp/run_padding.h"

#include <algorithm>
#include <cstring>

namespace rc::rtp {
namespace {

// Extends the group starting at `first` while every member but the newest stays within
// kMaxRunPadding of the group's largest size. Returns one past its end and that size.
size_t groupEnd(std::span<const RunPaddingInput> packets, size_t first, uint16_t& runSize) {
  runSize = packets[first].payloadSize;
  uint16_t smallestPadded = UINT16_MAX;  // over the members that are not last
  size_t end = first + 1;
  for (; end < packets.size() && end - first < kMaxPaddedRun; ++end) {
    if (packets[end].headerShape != packets[first].headerShape) break;
    uint16_t size = std::max(runSize, packets[end].payloadSize);
    uint16_t smallest = std::min(smallestPadded, packets[end - 1].payloadSize);
    if (size - smallest > static_cast<int>(kMaxRunPadding)) break;
    runSize = size;
    smallestPadded = smallest;
  }
  return end;
}

}  // namespace

void planRunPadding(std::span<const RunPaddingInput> packets, std::span<uint16_t> padTo) noexcept {
  const size_t n = std::min(packets.size(), padTo.size());
  for (size_t first = 0; first < n;) {
    uint16_t runSize = 0;
    size_t end = groupEnd(packets.first(n), first, runSize);
    for (size_t i = first; i + 1 < end; ++i) padTo[i] = runSize;
    padTo[end - 1] = packets[end - 1].payloadSize;
    first = end;
  }
}

size_t appendRtpPadding(std::span<uint8_t> buffer, size_t length, size_t bytes) noexcept {
  std::memset(buffer.data() + length, 0, bytes - 1);
  buffer[length + bytes - 1] = static_cast<uint8_t>(bytes);
  buffer[0] |= 0x20;  // P
  return length + bytes;
}

}  // namespace rc::rtp
