// RTP parse + per-subscriber rewrite (engine/rtp): what the fan-out does to every
// packet before encryption — parse once, then for a subscriber map seq/ts, write a
// fresh header with its extensions and copy the payload into a send slot.
#include <benchmark/benchmark.h>

#include <cstring>

#include "bench/micro/bench_util.h"
#include "engine/rtp/rtp_packet.h"
#include "engine/rtp/stream_rewriter.h"

namespace rc::bench {
namespace {

void BM_RtpParse(benchmark::State& state) {
  auto p = rtpPacket(1200, 1, 90000, 0x1234);
  for (auto _ : state) {
    auto pkt = rtp::RtpPacket::parse(p);
    benchmark::DoNotOptimize(pkt);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_RtpParse);

void BM_RtpParseAndRewrite(benchmark::State& state) {
  auto p = rtpPacket(1200, 1, 90000, 0x1234);
  std::vector<uint8_t> slot(1600);
  rtp::StreamRewriter rewriter(1000, 5000);
  const uint8_t mid[] = {'0'};
  uint16_t seq = 1;
  uint32_t ts = 90000;
  for (auto _ : state) {
    p[2] = uint8_t(seq >> 8);
    p[3] = uint8_t(seq);
    auto pkt = rtp::RtpPacket::parse(p);
    auto out = rewriter.rewrite(pkt->sequenceNumber(), ts);
    rtp::ExtensionValue exts[1] = {{1, {mid, 1}}};
    rtp::RtpHeaderFields h{pkt->marker(), 102, out->seq, out->ts, 0xabcdef};
    size_t n = rtp::writeHeader(slot, h, exts);
    auto payload = pkt->payload();
    std::memcpy(slot.data() + n, payload.data(), payload.size());
    benchmark::DoNotOptimize(slot.data());
    ++seq;
    ts += (seq % 5 == 0) ? 3000 : 0;
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_RtpParseAndRewrite);

}  // namespace
}  // namespace rc::bench
