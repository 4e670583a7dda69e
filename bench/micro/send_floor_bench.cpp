// The floor: what the kernel charges per 1200-byte datagram on loopback for a plain
// sendto, for sendmmsg batches, and for one sendmsg with UDP_SEGMENT (GSO) carrying a
// run of equal-size datagrams to one destination.
#include <benchmark/benchmark.h>
#include <netinet/udp.h>
#include <sys/socket.h>

#include <cstring>
#include <vector>

#include "bench/micro/bench_util.h"
#include "io/gso.h"

namespace rc::bench {
namespace {

constexpr size_t kDatagram = 1200;

void BM_SendFloor_Sendto(benchmark::State& state) {
  LoopbackPair pair;
  std::vector<uint8_t> data(static_cast<size_t>(state.range(0)), 0x17);
  for (auto _ : state) {
    ssize_t n =
        ::sendto(pair.sender, data.data(), data.size(), 0, pair.to.sockaddrPtr(), pair.to.length);
    benchmark::DoNotOptimize(n);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_SendFloor_Sendto)->Arg(kDatagram);

void BM_SendFloor_Sendmmsg(benchmark::State& state) {
  LoopbackPair pair;
  const size_t batch = static_cast<size_t>(state.range(0));
  std::vector<uint8_t> data(batch * kDatagram, 0x17);
  std::vector<iovec> iov(batch);
  std::vector<mmsghdr> msgs(batch);
  for (size_t i = 0; i < batch; ++i) {
    iov[i] = {data.data() + i * kDatagram, kDatagram};
    msgs[i] = {};
    msgs[i].msg_hdr.msg_name = const_cast<sockaddr*>(pair.to.sockaddrPtr());
    msgs[i].msg_hdr.msg_namelen = pair.to.length;
    msgs[i].msg_hdr.msg_iov = &iov[i];
    msgs[i].msg_hdr.msg_iovlen = 1;
  }
  for (auto _ : state) {
    int n = ::sendmmsg(pair.sender, msgs.data(), static_cast<unsigned>(batch), MSG_DONTWAIT);
    if (n != static_cast<int>(batch)) {
      state.SkipWithError("sendmmsg sent less than the batch");
      break;
    }
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(batch));
}
BENCHMARK(BM_SendFloor_Sendmmsg)->Arg(8)->Arg(16)->Arg(32);

// One sendmsg, `segments` iovecs of 1200 bytes (separate send slots, as the backends
// build them), UDP_SEGMENT = 1200. With `groSink` the receiver has UDP_GRO set, so loopback
// hands it the run whole instead of splitting it per datagram, as a load generator that
// reads with UDP_GRO does (bench/loadgen, RunOptions::receiveGro).
void runGsoFloor(benchmark::State& state, bool groSink) {
  LoopbackPair pair;
  if (!io::udpGsoSupported(pair.sender)) {
    state.SkipWithError("UDP_SEGMENT not supported by this kernel");
    return;
  }
  int on = 1;
  if (groSink && ::setsockopt(pair.receiver, IPPROTO_UDP, UDP_GRO, &on, sizeof on) != 0) {
    state.SkipWithError("UDP_GRO not supported by this kernel");
    return;
  }
  const size_t segments = static_cast<size_t>(state.range(0));
  std::vector<uint8_t> data(segments * 1600, 0x17);
  std::vector<iovec> iov(segments);
  for (size_t i = 0; i < segments; ++i) iov[i] = {data.data() + i * 1600, kDatagram};
  io::GsoControl control;
  msghdr hdr{};
  hdr.msg_name = const_cast<sockaddr*>(pair.to.sockaddrPtr());
  hdr.msg_namelen = pair.to.length;
  hdr.msg_iov = iov.data();
  hdr.msg_iovlen = segments;
  control.attach(hdr, kDatagram);
  for (auto _ : state) {
    ssize_t n = ::sendmsg(pair.sender, &hdr, MSG_DONTWAIT);
    if (n < 0) {
      state.SkipWithError("GSO sendmsg failed");
      break;
    }
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(segments));
}

void BM_SendFloor_Gso(benchmark::State& state) {
  runGsoFloor(state, false);
}
void BM_SendFloor_GsoToGroSink(benchmark::State& state) {
  runGsoFloor(state, true);
}
BENCHMARK(BM_SendFloor_GsoToGroSink)->Arg(4)->Arg(8)->Arg(16);
BENCHMARK(BM_SendFloor_Gso)->Arg(8)->Arg(16)->Arg(32)->Arg(48);  // 48 x 1200 < 64 KiB

// The planner's own cost per queued send: a frame of 8 packets fanned out to N
// destinations (interleaved, as the worker queues them) grouped into N runs.
void BM_GsoPlan(benchmark::State& state) {
  const auto destinations = static_cast<uint32_t>(state.range(0));
  std::vector<io::QueuedSend> sends;
  for (uint32_t p = 0; p < 8; ++p) {
    for (uint32_t d = 0; d < destinations; ++d) {
      auto to = io::SocketAddress::ipv4("127.0.0.1", static_cast<uint16_t>(20000 + d));
      sends.push_back({static_cast<uint32_t>(sends.size()), 1200, to});
    }
  }
  io::GsoPlanner planner(sends.size());
  for (auto _ : state) {
    planner.plan(sends, true);
    benchmark::DoNotOptimize(planner.runs().data());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(sends.size()));
}
BENCHMARK(BM_GsoPlan)->Arg(4)->Arg(64);

}  // namespace
}  // namespace rc::bench
