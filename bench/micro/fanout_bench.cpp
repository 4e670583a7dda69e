// One whole fan-out step as the worker runs it: the packets of one video frame, decrypted
// once, are rewritten for each of N subscribers (engine/worker/forward_packet.h, the code
// Worker::forwardRtp runs), SRTP-protected with that subscriber's own AES-128-GCM session,
// queued in a real io backend's send slots and submitted by the next poll, exactly once
// per loop turn (BM_Fanout_LibSrtp: the same with libsrtp2 sessions). Args: backend (0 io_uring, 1
// mmsg), UDP GSO (0 off, 1 on), subscribers. Items = forwarded packets, so the time per item is the
// cost per forwarded packet.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "bench/micro/bench_util.h"
#include "engine/worker/forward_packet.h"
#include "io/io_backend.h"
#include "io/udp_socket.h"

namespace rc::bench {
namespace {

constexpr int kFramePackets = 8;  // a 1.2 Mbps stream's keyframe slice / large P-frame
constexpr size_t kPacketSize = 1200;

template <typename Session>
struct Subscriber {
  std::unique_ptr<engine::DownTrack> down;
  std::unique_ptr<Session> srtp;
  int receiver = -1;
  io::SocketAddress to;
};

struct NullSink final : io::DatagramSink {
  void onDatagram(const io::SocketAddress&, std::span<uint8_t>) noexcept override {}
};

std::unique_ptr<io::IoBackend> makeBackend(int which, bool gso, int fd) {
  ::setenv("RINGCAST_UDP_GSO", gso ? "on" : "off", 1);
  std::string error;
  auto b = which == 0 ? io::createUringBackend(fd, &error) : io::createMmsgBackend(fd);
  ::unsetenv("RINGCAST_UDP_GSO");
  return b;
}

template <typename Session>
std::vector<Subscriber<Session>> makeSubscribers(int n, engine::PublishedTrack& source) {
  std::vector<Subscriber<Session>> subs(static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) {
    Subscriber<Session>& s = subs[static_cast<size_t>(i)];
    s.down = std::make_unique<engine::DownTrack>(static_cast<uint16_t>(i * 1000), 12345u * i);
    s.down->sentSeqs.enable();
    s.down->source = &source;
    s.down->ssrc = 0x10000u + static_cast<uint32_t>(i);
    s.down->mid = "1";
    s.down->ext.mid = 1;
    s.down->ptMap.fill(-1);
    s.down->ptMap[96] = 102;
    s.srtp = testSrtpSession<Session>(crypto::SrtpProfile::AeadAes128Gcm);
    s.receiver = sinkSocket();
    s.to = localAddress(s.receiver);
  }
  return subs;
}

// Worker::forwardRtp + sendProtectedRtp for one subscriber, counters left out.
template <typename Session>
bool forwardOne(Subscriber<Session>& s, const rtp::RtpPacket& pkt, io::IoBackend& io) {
  engine::DownTrack& d = *s.down;
  int16_t pt = d.ptMap[pkt.payloadType()];
  auto out = d.rewriter.rewrite(pkt.sequenceNumber(), pkt.timestamp());
  if (pt < 0 || !out) return false;
  d.sentSeqs.record(out->seq, pkt.sequenceNumber());
  std::span<uint8_t> slot = io.sendSlot();
  if (slot.empty()) return false;
  size_t len = engine::writeForwardedRtp(d, pkt, static_cast<uint8_t>(pt), *out, slot);
  if (len == 0 || !s.srtp->protectRtp(slot.data(), len, slot.size())) return false;
  io.commitSend(s.to, len);
  return true;
}

template <typename Session>
void fanout(benchmark::State& state) {
  const int which = static_cast<int>(state.range(0));
  const bool gso = state.range(1) != 0;
  const int n = static_cast<int>(state.range(2));
  io::UdpSocket socket("127.0.0.1", 0);
  auto io = makeBackend(which, gso, socket.fd());
  if (!io) {
    state.SkipWithError("io_uring unavailable");
    return;
  }
  engine::PublishedTrack source;
  auto subs = makeSubscribers<Session>(n, source);
  NullSink sink;
  auto packet = rtpPacket(kPacketSize, 0, 0, 0x1234);  // "decrypted once"
  uint16_t seq = 0;
  uint32_t ts = 0;
  int64_t dropped = 0;
  for (auto _ : state) {
    ts += 3000;
    for (int p = 0; p < kFramePackets; ++p) {
      rtp::setSequenceNumber(packet, seq++);
      rtp::setTimestamp(packet, ts);
      auto pkt = rtp::RtpPacket::parse(packet);
      for (auto& s : subs) dropped += forwardOne(s, *pkt, *io) ? 0 : 1;
    }
    io->poll(0, sink);  // the next loop turn submits the batch and reaps completions
  }
  for (auto& s : subs) ::close(s.receiver);
  state.SetItemsProcessed(state.iterations() * kFramePackets * n);
  state.counters["dropped"] = static_cast<double>(dropped);
  state.counters["gso_msgs"] = static_cast<double>(io->counters().gsoMessages);
}
// With our SRTP transforms (what the daemon runs) and, for comparison in the same run, with
// libsrtp2 (what it ran before).
void BM_Fanout(benchmark::State& state) {
  fanout<crypto::SrtpSession>(state);
}
void BM_Fanout_LibSrtp(benchmark::State& state) {
  fanout<crypto::reference::LibSrtpSession>(state);
}
BENCHMARK(BM_Fanout)
    ->ArgNames({"uring0_mmsg1", "gso", "subs"})
    ->ArgsProduct({{0, 1}, {0, 1}, {4, 64}});
BENCHMARK(BM_Fanout_LibSrtp)
    ->ArgNames({"uring0_mmsg1", "gso", "subs"})
    ->ArgsProduct({{0, 1}, {0, 1}, {4, 64}});

}  // namespace
}  // namespace rc::bench
