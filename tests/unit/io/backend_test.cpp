// Both I/O backends (io_uring and recvmmsg/sendmmsg) against a plain loopback client:
// receive with source address, send slots, 500-datagram batches both ways, truncation
// of oversized datagrams, and the counters.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <thread>

#include "io/io_backend.h"
#include "io/udp_socket.h"
#include "tests/unit/io/io_test_util.h"

namespace rc::io {
namespace {

using test::ClientSocket;
using test::numberedPayload;
using test::payloadSeq;
using test::RecordingSink;

enum class Which { Uring, Mmsg };

class BackendTest : public ::testing::TestWithParam<Which> {
 protected:
  void SetUp() override {
    socket_ = std::make_unique<UdpSocket>("127.0.0.1", 0);
    server_ = SocketAddress::ipv4("127.0.0.1", socket_->localPort());
    if (GetParam() == Which::Mmsg) {
      backend_ = createMmsgBackend(socket_->fd());
      return;
    }
    std::string error;
    backend_ = createUringBackend(socket_->fd(), &error);
    if (!backend_) GTEST_SKIP() << "io_uring unavailable on this host: " << error;
  }

  void queueSend(const SocketAddress& to, const std::vector<uint8_t>& bytes) {
    std::span<uint8_t> slot = backend_->sendSlot();
    ASSERT_EQ(slot.size(), kSendSlotSize);
    ASSERT_LE(bytes.size(), slot.size());
    std::memcpy(slot.data(), bytes.data(), bytes.size());
    backend_->commitSend(to, bytes.size());
  }

  bool pollForReceived(size_t n) {
    return test::pollUntil(
        *backend_, sink_, [&] { return sink_.received.size() >= n; }, &delivered_);
  }
  // io_uring counts a send when its completion is reaped, so poll until it is.
  bool pollForSent(uint64_t n) {
    return test::pollUntil(
        *backend_, sink_, [&] { return backend_->counters().datagramsOut >= n; }, &delivered_);
  }

  const IoCounters& counters() const { return backend_->counters(); }

  std::unique_ptr<UdpSocket> socket_;  // declared first: outlives the backend
  std::unique_ptr<IoBackend> backend_;
  SocketAddress server_;
  ClientSocket client_;
  RecordingSink sink_;
  size_t delivered_ = 0;
};

TEST_P(BackendTest, NameMatchesKind) {
  EXPECT_STREQ(backend_->name(), GetParam() == Which::Uring ? "io_uring" : "mmsg");
}

TEST_P(BackendTest, PollWithNothingPendingReturnsZero) {
  EXPECT_EQ(backend_->poll(1000, sink_), 0u);
  EXPECT_TRUE(sink_.received.empty());
}

TEST_P(BackendTest, DeliversDatagramsWithSourceAddressAndBytes) {
  const std::vector<uint8_t> first = {'h', 'e', 'l', 'l', 'o'};
  const std::vector<uint8_t> second = numberedPayload(7, 1200);
  ASSERT_TRUE(client_.sendTo(server_, first));
  ASSERT_TRUE(client_.sendTo(server_, second));
  ASSERT_TRUE(pollForReceived(2));

  ASSERT_EQ(sink_.received.size(), 2u);
  EXPECT_EQ(sink_.received[0].bytes, first);
  EXPECT_EQ(sink_.received[1].bytes, second);
  for (const auto& r : sink_.received) {
    EXPECT_EQ(r.from, client_.address()) << r.from.toString();
    EXPECT_EQ(r.from.toString(), client_.address().toString());
  }
  EXPECT_EQ(delivered_, 2u);
  EXPECT_EQ(counters().datagramsIn, 2u);
  EXPECT_EQ(counters().bytesIn, first.size() + second.size());
  EXPECT_EQ(counters().truncated, 0u);
}

TEST_P(BackendTest, SendSlotCommitFlushReachesClient) {
  const std::vector<uint8_t> payload = numberedPayload(42, 1500);
  queueSend(client_.address(), payload);
  backend_->flush();

  auto got = client_.receive();
  ASSERT_TRUE(got.has_value()) << "client received nothing";
  EXPECT_EQ(got->bytes, payload);
  EXPECT_EQ(got->from, server_);
  ASSERT_TRUE(pollForSent(1));
  EXPECT_EQ(counters().datagramsOut, 1u);
  EXPECT_EQ(counters().bytesOut, payload.size());
  EXPECT_EQ(counters().sendErrors, 0u);
}

TEST_P(BackendTest, NextPollSubmitsQueuedSends) {
  const std::vector<uint8_t> payload = numberedPayload(3, 64);
  queueSend(client_.address(), payload);
  backend_->poll(0, sink_);  // no flush(): poll submits what is queued

  auto got = client_.receive();
  ASSERT_TRUE(got.has_value()) << "queued send was not submitted by poll()";
  EXPECT_EQ(got->bytes, payload);
  ASSERT_TRUE(pollForSent(1));
}

TEST_P(BackendTest, BatchOf500ArrivesCompleteBothWays) {
  constexpr uint32_t kCount = 500;
  constexpr size_t kSize = 200;
  for (uint32_t i = 0; i < kCount; ++i)
    ASSERT_TRUE(client_.sendTo(server_, numberedPayload(i, kSize)));
  ASSERT_TRUE(pollForReceived(kCount)) << "received " << sink_.received.size();

  std::vector<int> seen(kCount, 0);
  for (const auto& r : sink_.received) {
    uint32_t seq = payloadSeq(r.bytes);
    ASSERT_LT(seq, kCount);
    EXPECT_EQ(r.bytes, numberedPayload(seq, kSize));
    ++seen[seq];
  }
  for (uint32_t i = 0; i < kCount; ++i) EXPECT_EQ(seen[i], 1) << "inbound seq " << i;

  for (uint32_t i = 0; i < kCount; ++i) queueSend(client_.address(), numberedPayload(i, kSize));
  backend_->flush();
  std::fill(seen.begin(), seen.end(), 0);
  for (uint32_t i = 0; i < kCount; ++i) {
    auto got = client_.receive();
    ASSERT_TRUE(got.has_value()) << "client got only " << i << " datagrams";
    uint32_t seq = payloadSeq(got->bytes);
    ASSERT_LT(seq, kCount);
    EXPECT_EQ(got->bytes, numberedPayload(seq, kSize));
    ++seen[seq];
  }
  for (uint32_t i = 0; i < kCount; ++i) EXPECT_EQ(seen[i], 1) << "outbound seq " << i;

  ASSERT_TRUE(pollForSent(kCount));
  EXPECT_EQ(delivered_, kCount);
  EXPECT_EQ(counters().datagramsIn, kCount);
  EXPECT_EQ(counters().bytesIn, kCount * kSize);
  EXPECT_EQ(counters().datagramsOut, kCount);
  EXPECT_EQ(counters().bytesOut, kCount * kSize);
  EXPECT_EQ(counters().sendErrors + counters().noBuffers + counters().truncated, 0u);
}

TEST_P(BackendTest, OversizedDatagramIsCountedAsTruncatedAndDropped) {
  const std::vector<uint8_t> big = numberedPayload(1, 3000);  // > 2048-byte receive buffers
  const std::vector<uint8_t> small = numberedPayload(2, 10);
  ASSERT_TRUE(client_.sendTo(server_, big));
  ASSERT_TRUE(client_.sendTo(server_, small));
  ASSERT_TRUE(pollForReceived(1));
  backend_->poll(20000, sink_);  // nothing else may show up

  ASSERT_EQ(sink_.received.size(), 1u);
  EXPECT_EQ(sink_.received[0].bytes, small);
  EXPECT_EQ(counters().truncated, 1u);
  EXPECT_EQ(counters().datagramsIn, 1u);
  EXPECT_EQ(counters().bytesIn, small.size());

  // The backend keeps receiving after a truncated datagram.
  ASSERT_TRUE(client_.sendTo(server_, small));
  ASSERT_TRUE(pollForReceived(2));
  EXPECT_EQ(counters().datagramsIn, 2u);
}

// More datagrams than io_uring's 1024 provided buffers queue up before the first poll:
// the backend must survive -ENOBUFS (re-arm the multishot receive) and deliver them all.
TEST_P(BackendTest, BurstLargerThanReceiveBuffersIsFullyDelivered) {
  constexpr uint32_t kCount = 1500;
  for (uint32_t i = 0; i < kCount; ++i)
    ASSERT_TRUE(client_.sendTo(server_, numberedPayload(i, 100)));
  ASSERT_TRUE(pollForReceived(kCount))
      << "received " << sink_.received.size() << ", noBuffers " << counters().noBuffers;
  std::vector<int> seen(kCount, 0);
  for (const auto& r : sink_.received) {
    ASSERT_LT(payloadSeq(r.bytes), kCount);
    ++seen[payloadSeq(r.bytes)];
  }
  for (uint32_t i = 0; i < kCount; ++i) EXPECT_EQ(seen[i], 1) << "seq " << i;
  EXPECT_EQ(counters().datagramsIn, kCount);
  RecordProperty("noBuffers", std::to_string(counters().noBuffers));
}

// Queue more sends than there are send slots without polling: io_uring hands out an empty
// slot (counted) once all are in flight; mmsg flushes its full batch. Every committed
// datagram arrives and slots are reusable after completions are reaped.
TEST_P(BackendTest, SendSlotExhaustionIsCountedAndRecovers) {
  constexpr uint32_t kAttempts = 1100;
  uint32_t committed = 0, refused = 0;
  for (uint32_t i = 0; i < kAttempts; ++i) {
    std::span<uint8_t> slot = backend_->sendSlot();
    if (slot.empty()) {
      ++refused;
      continue;
    }
    auto payload = numberedPayload(committed, 100);
    std::memcpy(slot.data(), payload.data(), payload.size());
    backend_->commitSend(client_.address(), payload.size());
    ++committed;
  }
  backend_->flush();
  EXPECT_EQ(refused, counters().sendSlotsExhausted);
  RecordProperty("refused", std::to_string(refused));
  EXPECT_EQ(committed + refused, kAttempts);
  for (uint32_t i = 0; i < committed; ++i) {
    auto got = client_.receive();
    ASSERT_TRUE(got.has_value()) << "client got only " << i << " of " << committed;
    EXPECT_EQ(got->bytes, numberedPayload(payloadSeq(got->bytes), 100));
  }
  ASSERT_TRUE(pollForSent(committed));
  EXPECT_EQ(counters().sendErrors, 0u);
  EXPECT_FALSE(backend_->sendSlot().empty()) << "slots must come back after completions";
}

TEST_P(BackendTest, SinkMayModifyDataInPlace) {
  struct Zeroing final : DatagramSink {
    void onDatagram(const SocketAddress&, std::span<uint8_t> data) noexcept override {
      std::memset(data.data(), 0, data.size());
      ++count;
    }
    int count = 0;
  } zeroing;
  ASSERT_TRUE(client_.sendTo(server_, numberedPayload(9, 100)));
  ASSERT_TRUE(test::pollUntil(
      *backend_, zeroing, [&] { return zeroing.count == 1; }, &delivered_));
  ASSERT_TRUE(client_.sendTo(server_, numberedPayload(10, 100)));
  ASSERT_TRUE(pollForReceived(1));
  EXPECT_EQ(sink_.received[0].bytes, numberedPayload(10, 100));
}

// The rest of a publisher's burst reaches the socket while the first datagram is being
// handled (the fan-out): the same poll() must deliver it, so that the whole frame's sends are
// planned as one turn. Another thread sends the rest while the sink, inside the first
// onDatagram(), spins without a system call (a syscall of the polling thread would itself
// run io_uring's deferred task work and post the completions).
TEST_P(BackendTest, DatagramsArrivingDuringDeliveryAreTakenInTheSamePoll) {
  std::atomic<int> stage{0};  // 1: first datagram seen, 2: the rest sent, 3: send failed
  std::thread sender([&] {
    while (stage.load() == 0) std::this_thread::yield();
    bool ok = true;
    for (uint32_t i = 1; i <= 3; ++i) ok &= client_.sendTo(server_, numberedPayload(i, 900));
    stage.store(ok ? 2 : 3);
  });
  struct SpinsOnFirst final : DatagramSink {
    explicit SpinsOnFirst(std::atomic<int>& s) : stage(s) {}
    void onDatagram(const SocketAddress&, std::span<uint8_t> data) noexcept override {
      received.emplace_back(data.begin(), data.end());
      if (received.size() != 1) return;
      stage.store(1);
      while (stage.load() == 1) {
      }
    }
    std::atomic<int>& stage;
    std::vector<std::vector<uint8_t>> received;
  } sink(stage);
  ASSERT_TRUE(client_.sendTo(server_, numberedPayload(0, 900)));
  size_t delivered = 0;
  for (int i = 0; i < 200 && delivered == 0; ++i) delivered = backend_->poll(10000, sink);
  if (stage.load() == 0) stage.store(3);  // nothing arrived: let the sender finish
  sender.join();
  ASSERT_EQ(stage.load(), 2);
  EXPECT_EQ(delivered, 4u) << "the datagrams sent during delivery waited for the next poll";
  ASSERT_EQ(sink.received.size(), 4u);
  for (uint32_t i = 0; i < 4; ++i) EXPECT_EQ(payloadSeq(sink.received[i]), i);
}

// A frame's packets fanned out to two destinations, interleaved as the worker queues
// them: with GSO on, each destination's run leaves as one message (the last datagram
// shorter); every datagram arrives intact and in order per destination.
TEST_P(BackendTest, EqualSizeRunsPerDestinationGoOutAsGsoAndArriveIntact) {
  ClientSocket other;
  constexpr uint32_t kFrame = 10;
  auto sizeOf = [](uint32_t i) -> size_t { return i + 1 == kFrame ? 333 : 1200; };
  for (uint32_t i = 0; i < kFrame; ++i) {
    queueSend(client_.address(), numberedPayload(i, sizeOf(i)));
    queueSend(other.address(), numberedPayload(100 + i, sizeOf(i)));
  }
  backend_->flush();
  for (uint32_t i = 0; i < kFrame; ++i) {
    auto a = client_.receive();
    auto b = other.receive();
    ASSERT_TRUE(a && b) << "datagram " << i << " missing";
    EXPECT_EQ(a->bytes, numberedPayload(i, sizeOf(i)));
    EXPECT_EQ(b->bytes, numberedPayload(100 + i, sizeOf(i)));
  }
  ASSERT_TRUE(pollForSent(2 * kFrame));
  EXPECT_EQ(counters().bytesOut, 2 * (9 * 1200 + 333u));
  EXPECT_EQ(counters().sendErrors + counters().sendWouldBlock, 0u);
  if (!counters().gsoEnabled) GTEST_SKIP() << "UDP GSO unavailable or switched off here";
  EXPECT_EQ(counters().gsoMessages, 2u);
  EXPECT_EQ(counters().gsoSegments, 2 * kFrame);
}

// SO_NO_CHECK makes the kernel refuse UDP GSO with EINVAL (udp_send_skb), standing in for
// a device without segmentation: the backend switches GSO off once, counts it, and later
// runs go out as plain datagrams. mmsg resends the refused run one by one; io_uring learns
// of the refusal only at completion and counts the run as send errors.
TEST_P(BackendTest, RefusedGsoSwitchesToPlainSends) {
  if (!counters().gsoEnabled) GTEST_SKIP() << "UDP GSO unavailable or switched off here";
  int one = 1;
  ASSERT_EQ(setsockopt(socket_->fd(), SOL_SOCKET, SO_NO_CHECK, &one, sizeof(one)), 0);
  for (uint32_t i = 0; i < 4; ++i) queueSend(client_.address(), numberedPayload(i, 1000));
  backend_->flush();
  ASSERT_TRUE(test::pollUntil(
      *backend_, sink_, [&] { return counters().datagramsOut + counters().sendErrors >= 4; },
      &delivered_));
  EXPECT_FALSE(counters().gsoEnabled);
  EXPECT_EQ(counters().gsoFallbacks, 1u);
  uint32_t firstSeq = 0;
  if (GetParam() == Which::Mmsg) {
    EXPECT_EQ(counters().datagramsOut, 4u);
    firstSeq = 0;
  } else {
    EXPECT_EQ(counters().sendErrors, 4u);
    firstSeq = 10;
  }
  for (uint32_t i = 10; i < 13; ++i) queueSend(client_.address(), numberedPayload(i, 1000));
  backend_->flush();
  for (uint32_t i = firstSeq; i < 13; i = (i == 3 ? 10 : i + 1)) {
    auto got = client_.receive();
    ASSERT_TRUE(got.has_value()) << "datagram " << i << " missing";
    EXPECT_EQ(got->bytes, numberedPayload(i, 1000));
  }
  ASSERT_TRUE(pollForSent(GetParam() == Which::Mmsg ? 7 : 3));
  EXPECT_EQ(counters().gsoMessages, 0u);
  EXPECT_EQ(counters().gsoFallbacks, 1u);
}

TEST_P(BackendTest, GsoCanBeSwitchedOffFromTheEnvironment) {
  ::setenv("RINGCAST_UDP_GSO", "off", 1);
  std::unique_ptr<IoBackend> plain;
  if (GetParam() == Which::Mmsg) {
    plain = createMmsgBackend(socket_->fd());
  } else {
    std::string error;
    plain = createUringBackend(socket_->fd(), &error);
  }
  ::unsetenv("RINGCAST_UDP_GSO");
  ASSERT_TRUE(plain);
  EXPECT_FALSE(plain->counters().gsoEnabled);
  for (uint32_t i = 0; i < 4; ++i) {
    std::span<uint8_t> slot = plain->sendSlot();
    auto payload = numberedPayload(i, 1200);
    std::memcpy(slot.data(), payload.data(), payload.size());
    plain->commitSend(client_.address(), payload.size());
  }
  plain->flush();
  for (uint32_t i = 0; i < 4; ++i) {
    auto got = client_.receive();
    ASSERT_TRUE(got.has_value());
    EXPECT_EQ(got->bytes, numberedPayload(i, 1200));
  }
  EXPECT_TRUE(test::pollUntil(
      *plain, sink_, [&] { return plain->counters().datagramsOut >= 4; }, &delivered_));
  EXPECT_EQ(plain->counters().gsoMessages, 0u);
}

INSTANTIATE_TEST_SUITE_P(Backends, BackendTest, ::testing::Values(Which::Uring, Which::Mmsg),
                         [](const ::testing::TestParamInfo<Which>& info) {
                           return std::string(info.param == Which::Uring ? "IoUring" : "Mmsg");
                         });

}  // namespace
}  // namespace rc::io
