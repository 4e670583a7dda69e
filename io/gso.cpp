#include "io/gso.h"

#include <algorithm>
#include <bit>

namespace rc::io {

bool udpGsoSupported(int fd) noexcept {
  int value = 0;
  socklen_t len = sizeof(value);
  return getsockopt(fd, SOL_UDP, UDP_SEGMENT, &value, &len) == 0;
}

GsoPlanner::GsoPlanner(size_t maxSends)
    : table_(std::bit_ceil(maxSends * 2)), next_(maxSends), heads_(), order_(), runs_() {
  heads_.reserve(maxSends);
  order_.reserve(maxSends);
  runs_.reserve(maxSends);
}

void GsoPlanner::plan(std::span<const QueuedSend> sends, bool gso) noexcept {
  order_.clear();
  runs_.clear();
  const auto count = static_cast<uint32_t>(std::min(sends.size(), next_.size()));
  if (!gso) {
    for (uint32_t i = 0; i < count; ++i) {
      order_.push_back(i);
      runs_.push_back({i, 1, 0});
    }
    return;
  }
  ++generation_;
  heads_.clear();
  for (uint32_t i = 0; i < count; ++i) {
    Destination& d = table_[destinationOf(sends, i)];
    next_[i] = kNone;
    if (d.head == kNone) {
      d.head = i;
      heads_.push_back(i);
    } else {
      next_[d.tail] = i;
    }
    d.tail = i;
  }
  for (uint32_t head : heads_) cutRuns(sends, head);
}

// The table entry for sends[index]'s destination (found or claimed for this plan).
uint32_t GsoPlanner::destinationOf(std::span<const QueuedSend> sends, uint32_t index) noexcept {
  const SocketAddress& to = sends[index].to;
  const auto mask = static_cast<uint32_t>(table_.size() - 1);
  auto slot = static_cast<uint32_t>(SocketAddressHash{}(to)) & mask;
  for (;; slot = (slot + 1) & mask) {
    Destination& d = table_[slot];
    if (d.generation != generation_) {
      d = {index, kNone, kNone, generation_};
      return slot;
    }
    if (sends[d.firstSend].to == to) return slot;
  }
}

// Walks one destination's sends in queue order: a run continues while datagrams have
// the run's segment size; a shorter one ends it as its last segment, a longer one
// starts the next run.
void GsoPlanner::cutRuns(std::span<const QueuedSend> sends, uint32_t head) noexcept {
  SendRun run{};
  size_t bytes = 0;
  for (uint32_t i = head; i != kNone; i = next_[i]) {
    const uint32_t len = sends[i].length;
    bool joins = run.count > 0 && run.count < kMaxGsoSegments && len <= run.segmentSize &&
                 bytes + len <= kMaxGsoBytes;
    if (!joins) {
      if (run.count) runs_.push_back(run);
      run = {static_cast<uint32_t>(order_.size()), 0, static_cast<uint16_t>(len)};
      bytes = 0;
    }
    order_.push_back(i);
    ++run.count;
    bytes += len;
    if (len < run.segmentSize) {  // the short last segment closes the run
      runs_.push_back(run);
      run = {};
    }
  }
  if (run.count) runs_.push_back(run);
}

}  // namespace rc::io
