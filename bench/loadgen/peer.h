// One simulated client transport: its own UDP socket (a distinct 5-tuple), ICE as the
// controlling agent, DTLS (client, or server when the server answers a=setup:active), SRTP, and
// either a synthetic publisher or a counting subscriber. Built on the main thread (socket, SDP),
// then driven by one Loop thread only.
#pragma once

#include <netinet/in.h>
#include <sys/socket.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "bench/loadgen/ice_controller.h"
#include "bench/loadgen/receive_stats.h"
#include "bench/loadgen/rtp_source.h"
#include "bench/loadgen/sdp_offer.h"
#include "bench/loadgen/signaling.h"
#include "crypto/dtls.h"
#include "crypto/srtp_session.h"

namespace rc::bench {

struct PeerSpec {
  bool publisher = false;
  bool audio = true, video = true;
  int videoKbps = 1200;
  std::string identity;
  std::string publisherFilter;  // subscribers: the one publisher to receive ("" = any)
  int subscriber = -1;          // subscribers: which simulated subscriber this transport serves
  std::string room;             // "" = the run's room
  bool receiveGro = true;       // subscribers: UDP_GRO on the socket (see RunOptions)
  std::string bindAddress;      // "" = the source address the route to the server picks
};

// What the owning loop thread lends a peer for one call.
struct LoopContext {
  LoopCounters& counters;
  LatencyHistogram& latency;
  bool measuring;
  std::span<uint8_t> scratch;  // >= kBurstPackets * kSlotSize bytes, for outgoing media
};

inline constexpr size_t kSlotSize = 1500;
inline constexpr size_t kBurstPackets = 64;

class Peer {
 public:
  enum class State { Idle, Checking, Handshaking, Connected, Failed };

  // Opens the socket and learns the local address used to reach `serverHint`.
  Peer(PeerSpec spec, crypto::DtlsContext& dtls, const sockaddr_in& serverHint);
  ~Peer();
  Peer(const Peer&) = delete;
  Peer& operator=(const Peer&) = delete;

  const PeerSpec& spec() const { return spec_; }
  const LocalMedia& localMedia() const { return local_; }
  int fd() const { return fd_; }

  // Main thread, before the peer is handed to a loop. Throws std::runtime_error.
  void setRemote(const RemoteEndpoint& remote);
  Negotiation negotiation;
  uint64_t joinStartNs = 0;
  uint64_t answeredNs = 0;  // signalling done (the server's SDP is known)

  // Loop thread.
  void start(uint64_t nowNs, LoopContext& ctx) noexcept;
  void onDatagram(std::span<uint8_t> data, const sockaddr_storage& from, socklen_t fromLength,
                  uint64_t nowNs, LoopContext& ctx) noexcept;
  void onTick(uint64_t nowNs, LoopContext& ctx) noexcept;  // ICE, keepalive, DTLS timers
  // Publishers: sends what is due; returns when to call again (ns).
  uint64_t sendMedia(uint64_t nowNs, LoopContext& ctx) noexcept;

  // Readable from the main thread once the loop has stopped.
  State state() const noexcept { return state_; }
  uint64_t joinDoneNs() const noexcept { return joinDoneNs_; }
  uint64_t iceDoneNs() const noexcept { return iceDoneNs_; }
  const std::string& failure() const noexcept { return failure_; }
  uint64_t packetsReceived() const noexcept;

 private:
  void bindTo(const std::string& address);  // constructor only; closes fd_ before throwing
  void sendRaw(std::span<const uint8_t> data, LoopContext& ctx) noexcept;
  void sendCheck(uint64_t nowNs, LoopContext& ctx) noexcept;
  void onStun(std::span<uint8_t> data, const sockaddr_storage& from, socklen_t fromLength,
              uint64_t nowNs, LoopContext& ctx) noexcept;
  void onDtls(std::span<uint8_t> data, uint64_t nowNs, LoopContext& ctx) noexcept;
  void onRtp(std::span<uint8_t> data, uint64_t nowNs, LoopContext& ctx) noexcept;
  void onRtcp(std::span<uint8_t> data, LoopContext& ctx) noexcept;
  void connected(uint64_t nowNs, LoopContext& ctx) noexcept;
  void fail(std::string reason, LoopContext& ctx) noexcept;
  StreamStats* stream(uint32_t ssrc) noexcept;
  void sendVideoFrame(uint64_t nowNs, LoopContext& ctx) noexcept;
  void sendAudioPacket(uint64_t nowNs, LoopContext& ctx) noexcept;
  void sendBurst(std::span<PacketSlot> slots, LoopContext& ctx) noexcept;
  void sendReceiverReport(uint64_t nowNs, LoopContext& ctx) noexcept;

  PeerSpec spec_;
  crypto::DtlsContext& dtlsContext_;
  int fd_ = -1;
  LocalMedia local_;
  State state_ = State::Idle;
  std::string failure_;
  std::unique_ptr<IceController> ice_;
  std::unique_ptr<crypto::DtlsSession> dtls_;
  std::unique_ptr<crypto::SrtpSession> srtp_;
  uint64_t nextCheckNs_ = 0;
  int checksSent_ = 0;
  int copiesOfCheck_ = 0;  // sends of the current check transaction (while checking)
  uint64_t startNs_ = 0, iceDoneNs_ = 0, joinDoneNs_ = 0;
  std::vector<StreamStats> streams_;
  uint32_t sampleCounter_ = 0;
  std::optional<VideoSource> video_;
  std::optional<AudioSource> audio_;
  uint64_t nextVideoNs_ = 0, nextAudioNs_ = 0;
  uint64_t nextReportNs_ = 0;  // subscribers: the next RTCP receiver report
};

const char* toString(Peer::State s);

}  // namespace rc::bench
