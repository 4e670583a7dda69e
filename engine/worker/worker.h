// One media worker: a pinned thread with its own socket in the SO_REUSEPORT group,
// its own io backend and buffer pool, and every transport the kernel hashes to it.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

#include "engine/rtp/rtp_packet.h"
#include "engine/rtp/run_padding.h"
#include "engine/rtp/track_interleave.h"
#include "engine/stun/ice_lite.h"
#include "engine/worker/fanout_item.h"
#include "engine/worker/mpsc_queue.h"
#include "engine/worker/spsc_ring.h"
#include "engine/worker/worker_counters.h"
#include "io/io_backend.h"
#include "io/packet_buffer.h"
#include "io/udp_socket.h"

namespace rc::record {
class RecordTap;
}

namespace rc::engine {

class Engine;
class Transport;
struct PublishedTrack;
struct DownTrack;
struct InboundStream;
class Worker;

using WorkerCommand = std::function<void(Worker&)>;

class Worker final : public io::DatagramSink {
 public:
  Worker(Engine& engine, int id, std::unique_ptr<io::UdpSocket> socket, io::BackendKind backend);
  ~Worker() override;

  void start();
  void stop();
  void post(WorkerCommand cmd);  // any thread
  // Wakes the worker if it sleeps in poll(); call after pushing onto its ring.
  void wake() noexcept {
    std::atomic_thread_fence(std::memory_order_seq_cst);
    if (sleeping_.exchange(false, std::memory_order_seq_cst)) signalWake();
  }

  int id() const noexcept { return id_; }
  const char* backendName() const noexcept { return backendName_; }
  const WorkerCounters& counters() const noexcept { return counters_; }

  void onDatagram(const io::SocketAddress& from, std::span<uint8_t> data) noexcept override;

  // ---- commands (run on this worker) ----
  void drainTransport(Transport* t);
  void bindDownTrack(DownTrack* down, PublishedTrack* source, int64_t nowUs);
  void unbindDownTrack(DownTrack* down, bool sendBye);
  void requestKeyframe(PublishedTrack* track, int64_t nowUs);
  void closeTransport(Transport* t, bool notify);
  void retireTrack(PublishedTrack* track);
  void retransmitFor(PublishedTrack* track, DownTrack* target, uint16_t sourceSeq,
                     uint16_t outSeq) noexcept;

 private:
  void run();
  void loopTurn();
  void drainCommands();
  void drainRings();
  void runTimers(int64_t nowUs);

  // packet path
  void handleStun(const io::SocketAddress& from, std::span<uint8_t> data, Transport* t) noexcept;
  void handleDtls(Transport* t, std::span<uint8_t> data) noexcept;
  void handleRtp(Transport* t, std::span<uint8_t> data) noexcept;
  void handleRtcp(Transport* t, std::span<uint8_t> data) noexcept;
  Transport* adopt(const stun::Credentials* creds, const io::SocketAddress& from) noexcept;
  void onDtlsConnected(Transport* t) noexcept;
  void releaseFinishedDtls(int64_t nowUs) noexcept;
  void onDtlsAfterRelease(Transport* t, std::span<const uint8_t> data) noexcept;
  bool peerSaidGoodbye(const Transport* t, int64_t nowUs) const noexcept;
  void sendGoodbye(Transport* t) noexcept;
  InboundStream* resolveInbound(Transport* t, io::PacketBuffer* pb) noexcept;
  bool unwrapRtx(InboundStream* s, io::PacketBuffer* pb) noexcept;
  void fanout(PublishedTrack* track, io::PacketBuffer* pb) noexcept;
  void tapForRecording(record::RecordTap& tap, const io::PacketBuffer* pb) noexcept;
  void queueMedia(PublishedTrack* track, io::PacketBuffer* pb) noexcept;
  void forwardPendingMedia() noexcept;
  struct TrackBatch;
  void collectTrackBatch(size_t first) noexcept;
  void planBatchPadding(const TrackBatch& batch) noexcept;
  void planTurnOrder() noexcept;
  void forwardTurnBatches() noexcept;
  void forwardRtp(DownTrack* d, const rtp::RtpPacket& pkt, size_t padTo) noexcept;
  void forwardSenderReport(DownTrack* d, const io::PacketBuffer* pb) noexcept;
  void retransmit(DownTrack* d, const io::PacketBuffer* pb, uint16_t outSeq) noexcept;
  void deliverLocal(const FanoutItem& item) noexcept;
  void handleSubscriberFeedback(Transport* t, std::span<const uint8_t> pkt) noexcept;
  void handlePublisherRtcp(Transport* t, std::span<const uint8_t> pkt) noexcept;
  void onNack(DownTrack* d, std::span<const uint16_t> seqs) noexcept;
  void forwardKeyframeRequest(DownTrack* d) noexcept;

  // sending
  void sendRaw(Transport* t, std::span<const uint8_t> data) noexcept;
  void sendRtcp(Transport* t, std::span<const uint8_t> plain) noexcept;
  void sendProtectedRtp(Transport* t, std::span<uint8_t> slot, size_t len) noexcept;

  // timers
  void runPublisherFeedback(Transport* t, int64_t nowUs) noexcept;
  void runDtlsTimers(int64_t nowUs) noexcept;
  void expireTransports(int64_t nowUs);

  void accountLoop(int64_t wokeNs) noexcept;
  static int64_t steadyNanos() noexcept {
    return std::chrono::steady_clock::now().time_since_epoch().count();
  }
  void release(io::PacketBuffer* pb) noexcept;
  void signalWake() noexcept;
  bool inputPending() const noexcept;
  int64_t pollTimeoutUs(int64_t nowUs) const noexcept;
  void forwardForeign(int owner, const io::SocketAddress& from,
                      std::span<const uint8_t> data) noexcept;
  void expireForeignRoutes(int64_t nowUs);
  io::PacketBuffer* allocate() noexcept;
  void topUpPool() noexcept;
  void retryReturns() noexcept;

  Engine& engine_;
  const int id_;
  std::unique_ptr<io::UdpSocket> socket_;
  io::BackendKind backendKind_;
  std::unique_ptr<io::IoBackend> io_;
  const char* backendName_ = "none";
  io::BufferPool pool_;
  std::vector<std::pair<int, io::PacketBuffer*>> overflowReturns_;  // owner, buffer
  stun::IceLiteResponder stun_;
  WorkerCounters counters_;
  MpscQueue<WorkerCommand> commands_;
  std::unordered_map<io::SocketAddress, Transport*, io::SocketAddressHash> byAddress_;
  struct ForeignRoute {
    int owner;
    int64_t lastSeenUs;
  };
  // 5-tuples the kernel hashes to this worker whose transport another worker owns.
  std::unordered_map<io::SocketAddress, ForeignRoute, io::SocketAddressHash> foreign_;
  std::vector<Transport*> owned_;
  std::atomic<bool> running_{false};
  std::atomic<bool> sleeping_{false};
  bool handlingForeign_ = false;  // processing a datagram another worker handed us
  // This turn's media packets for local subscribers, fanned out subscriber by subscriber
  // once the turn's input is read (worker_batch.cpp). `track` is cleared once forwarded.
  struct PendingMedia {
    PublishedTrack* track;
    io::PacketBuffer* buffer;
  };
  static constexpr size_t kMaxPendingMedia = 1024;  // bounded: a flood cannot grow it
  std::vector<PendingMedia> pendingMedia_;
  // One track's share of the turn: batchPackets_[first .. first+count), its local subscribers
  // and its largest payload (the batches are fanned out largest first, worker_batch.cpp).
  struct TrackBatch {
    PublishedTrack* track;
    std::span<DownTrack* const> subscribers;
    uint32_t first, count;
    uint16_t largestPayload;
  };
  std::vector<TrackBatch> trackBatches_;
  std::vector<rtp::RtpPacket> batchPackets_;       // the turn's packets, parsed, track by track
  std::unique_ptr<bool[]> batchEndsFrame_;         // per packet: its marker bit
  std::vector<rtp::TrackPackets> turnTracks_;      // trackBatches_ as interleaveTracks sees them
  std::vector<rtp::InterleavedPacket> turnOrder_;  // the order each subscriber gets the packets
  std::vector<rtp::RunPaddingInput> batchShapes_;  // one track's sizes, for planRunPadding
  std::vector<uint16_t> batchPadTo_;               // per packet: the payload size it is padded to
  std::atomic<uint32_t> pendingCommands_{0};
  int wakeFd_ = -1;
  std::thread thread_;
  int64_t lastSlowTimerUs_ = 0, lastFastTimerUs_ = 0;
  int64_t lastTurnEndNs_ = 0;  // busy-ratio accounting (steady clock)
  int64_t firstInputNs_ = 0;   // first datagram of this turn (0: none yet)
  std::atomic<bool> started_{false};
  std::string startError_;
};

}  // namespace rc::engine
