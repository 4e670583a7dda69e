// One ICE-lite + DTLS-SRTP transport = one browser RTCPeerConnection (BUNDLE,
// rtcp-mux). It carries any number of m-lines in both directions: inbound streams
// of tracks the peer publishes, and down tracks it receives.
//
// Ownership: created by the control thread, adopted by the worker that receives
// its first valid STUN Binding request (owner), then touched only by that worker.
// Control-thread changes reach it as commands (Engine::postToTransport).
#pragma once

#include <array>
#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "crypto/dtls.h"
#include "crypto/srtp_session.h"
#include "engine/rtcp/transport_feedback_builder.h"
#include "engine/rtp/nack_generator.h"
#include "engine/sdp/negotiation.h"
#include "engine/stun/ice_lite.h"
#include "engine/worker/mpsc_queue.h"
#include "io/socket_address.h"

namespace rc::engine {

class Worker;
struct PublishedTrack;
struct DownTrack;

using WorkerCommand = std::function<void(Worker&)>;

struct InboundStream {
  PublishedTrack* track = nullptr;
  uint32_t ssrc = 0, rtxSsrc = 0;
  int rtxPt = -1;
  std::unique_ptr<rtp::NackGenerator> nack;
  uint64_t packets = 0, bytes = 0;
};

enum class TransportState : int { New, Connected, Closed };

class Transport {
 public:
  Transport(std::string id, std::string room, std::string identity)
      : id(std::move(id)), room(std::move(room)), identity(std::move(identity)) {}

  const std::string id, room, identity;
  stun::Credentials credentials;
  std::string remoteFingerprint;
  std::string remoteUfrag;  // from the first offer; a different one means ICE restart
  bool dtlsClient = false;
  sdp::NegotiatedExtensions upstreamExt;  // extension ids of what the peer sends
  uint32_t rtcpSsrc = 0;                  // our sender SSRC in RTCP feedback
  uint64_t sdpSessionId = 0;              // o= line, kept across renegotiations (control only)
  uint64_t sdpVersion = 2;                // o= version, raised by each answer (control only)

  std::atomic<int> owner{-1};
  std::atomic<TransportState> state{TransportState::New};
  MpscQueue<WorkerCommand> pending;  // commands waiting for / sent to the owner

  // ---- owner worker only ----
  std::unique_ptr<crypto::DtlsSession> dtls;
  std::unique_ptr<crypto::SrtpSession> srtp;
  io::SocketAddress remote;
  bool hasRemote = false;
  bool nominated = false;
  bool dtlsStarted = false;  // client role (remote answered setup:passive)
  // Freeing the DTLS session once the handshake is done for both sides (worker_dtls.cpp):
  bool peerHasKeys = false;  // an SRTP/SRTCP packet from the peer authenticated
  int64_t lastDtlsInUs = 0;  // the last DTLS datagram from the peer
  uint8_t closeNotifyLen = 0;
  std::array<uint8_t, 96> closeNotify{};  // sealed before `dtls` was freed, sent at close
  int64_t peerAlertUs = 0;                // a DTLS alert arrived after `dtls` was freed
  int64_t lastReceiveUs = 0;
  int64_t lastNackRunUs = 0, lastFeedbackUs = 0;
  std::vector<InboundStream> inbound;
  std::vector<std::unique_ptr<DownTrack>> downTracks;
  // transport-cc receive state (33 KiB): only transports that receive media (publishers) have one.
  std::unique_ptr<rtcp::TransportFeedbackBuilder> feedback;
  bool closed = false;

  InboundStream* findInbound(uint32_t ssrc) noexcept;
  // Adds a stream this transport receives (control thread before adoption, else the owner).
  void addInbound(InboundStream stream);
  DownTrack* findDownTrack(uint32_t ssrc) noexcept;
};

}  // namespace rc::engine
