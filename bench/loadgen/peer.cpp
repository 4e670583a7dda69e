#include "bench/loadgen/peer.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/udp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <random>
#include <stdexcept>

#include "engine/rtcp/reports.h"

namespace rc::bench {
namespace {

// RFC 8445 §14.3 Ta is 50 ms; be gentler. A check is retransmitted unchanged with the
// interval doubling up to kMaxCheckIntervalNs (RFC 5389 §7.2.1), so a server whose answers
// take longer than one interval (a saturated core) still completes it; after
// kChecksPerTransaction copies a new transaction starts.
constexpr uint64_t kCheckRetransmitNs = 100'000'000;
constexpr uint64_t kMaxCheckIntervalNs = 1'600'000'000;
constexpr int kChecksPerTransaction = 7;
constexpr uint64_t kKeepaliveNs = 2'500'000'000;  // RFC 8445 §11: well under 15 s
constexpr uint64_t kJoinTimeoutNs = 30'000'000'000;
constexpr uint64_t kFirstReportNs = 200'000'000;
constexpr uint64_t kReportIntervalNs = 1'000'000'000;
constexpr int kMaxStreams = 32;
constexpr uint32_t kSampleEvery = 16;  // decrypt 1 in 16 packets, and every frame's first

uint32_t randomSsrc() {
  static thread_local std::mt19937 rng{std::random_device{}()};
  return rng() | 1u;
}

uint16_t readU16(const uint8_t* p) {
  return static_cast<uint16_t>(p[0] << 8 | p[1]);
}
uint32_t readU32(const uint8_t* p) {
  return uint32_t{p[0]} << 24 | uint32_t{p[1]} << 16 | uint32_t{p[2]} << 8 | p[3];
}
uint64_t readU64(const uint8_t* p) {
  return uint64_t{readU32(p)} << 32 | readU32(p + 4);
}

// RFC 3550 §5.1: fixed header, CSRCs, then the RFC 8285 extension block if X is set.
size_t rtpPayloadOffset(std::span<const uint8_t> p) {
  size_t offset = kRtpHeaderSize + 4 * (p[0] & 0x0f);
  if ((p[0] & 0x10) && offset + 4 <= p.size()) offset += 4 + 4 * size_t{readU16(&p[offset + 2])};
  return offset;
}

std::string describeErrno(const char* what) {
  return std::string(what) + ": " + strerror(errno);
}

}  // namespace

const char* toString(Peer::State s) {
  switch (s) {
    case Peer::State::Idle:
      return "idle";
    case Peer::State::Checking:
      return "ice";
    case Peer::State::Handshaking:
      return "dtls";
    case Peer::State::Connected:
      return "connected";
    case Peer::State::Failed:
      return "failed";
  }
  return "?";
}

Peer::Peer(PeerSpec spec, crypto::DtlsContext& dtls, const sockaddr_in& serverHint)
    : spec_(std::move(spec)), dtlsContext_(dtls) {
  fd_ = ::socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd_ < 0) throw std::runtime_error(describeErrno("socket"));
  if (spec_.publisher) {
    int size = 4 << 20;
    ::setsockopt(fd_, SOL_SOCKET, SO_SNDBUF, &size, sizeof size);
  } else if (spec_.receiveGro) {
    int on = 1;  // best effort: without it every datagram arrives alone
    ::setsockopt(fd_, IPPROTO_UDP, UDP_GRO, &on, sizeof on);
  }
  if (!spec_.bindAddress.empty()) bindTo(spec_.bindAddress);
  // connect() picks the source address the server will see (unless bound above); the port is
  // the candidate's.
  sockaddr_in local{};
  socklen_t len = sizeof local;
  if (::connect(fd_, reinterpret_cast<const sockaddr*>(&serverHint), sizeof serverHint) != 0 ||
      ::getsockname(fd_, reinterpret_cast<sockaddr*>(&local), &len) != 0) {
    std::string reason = describeErrno("connect");
    ::close(fd_);
    throw std::runtime_error(reason);
  }
  char ip[INET_ADDRSTRLEN] = {};
  inet_ntop(AF_INET, &local.sin_addr, ip, sizeof ip);
  local_.iceUfrag = randomIceString(8);
  local_.icePwd = randomIceString(24);
  local_.fingerprintSha256 = dtls.certificate().sha256Fingerprint();
  local_.candidateIp = ip;
  local_.candidatePort = ntohs(local.sin_port);
  local_.send = spec_.publisher;
  local_.audio = spec_.audio;
  local_.video = spec_.video;
  local_.audioSsrc = randomSsrc();
  local_.videoSsrc = randomSsrc();
  local_.cname = spec_.identity;
}

void Peer::bindTo(const std::string& address) {
  sockaddr_in local{};
  local.sin_family = AF_INET;
  if (inet_pton(AF_INET, address.c_str(), &local.sin_addr) != 1) {
    ::close(fd_);
    throw std::runtime_error("subscriber address is not IPv4: " + address);
  }
  if (::bind(fd_, reinterpret_cast<const sockaddr*>(&local), sizeof local) != 0) {
    std::string reason = describeErrno(("bind " + address).c_str());
    ::close(fd_);
    throw std::runtime_error(reason);
  }
}

Peer::~Peer() {
  if (fd_ >= 0) ::close(fd_);
}

void Peer::setRemote(const RemoteEndpoint& remote) {
  // RFC 8842 §5.2: we offer actpass (or answer active); a server that answers active is the
  // DTLS client and we wait for its ClientHello.
  // A server's offer says actpass (Janus) and our answer took active (RFC 8842 §5.3).
  if (!remote.setup.empty() && remote.setup != "passive" && remote.setup != "active" &&
      remote.setup != "actpass")
    throw std::runtime_error("server sent a=setup:" + remote.setup);
  auto role = remote.setup == "active" ? crypto::DtlsRole::Server : crypto::DtlsRole::Client;
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_port = htons(remote.port);
  if (inet_pton(AF_INET, remote.ip.c_str(), &to.sin_addr) != 1)
    throw std::runtime_error("server candidate is not IPv4: " + remote.ip);
  if (::connect(fd_, reinterpret_cast<const sockaddr*>(&to), sizeof to) != 0)
    throw std::runtime_error(describeErrno("connect to the media address"));
  ice_ = std::make_unique<IceController>(local_.iceUfrag, local_.icePwd, remote.iceUfrag,
                                         remote.icePwd);
  dtls_ = std::make_unique<crypto::DtlsSession>(dtlsContext_, role, remote.fingerprintSha256);
}

void Peer::start(uint64_t nowNs, LoopContext& ctx) noexcept {
  startNs_ = nowNs;
  state_ = State::Checking;
  sendCheck(nowNs, ctx);
}

void Peer::sendRaw(std::span<const uint8_t> data, LoopContext& ctx) noexcept {
  if (::send(fd_, data.data(), data.size(), 0) < 0) bump(ctx.counters.sendErrors);
}

void Peer::sendCheck(uint64_t nowNs, LoopContext& ctx) noexcept {
  uint8_t buf[512];
  bool checking = state_ == State::Checking;
  bool again = checking && copiesOfCheck_ > 0 && copiesOfCheck_ < kChecksPerTransaction;
  size_t len = again ? ice_->retransmitCheck(buf) : 0;
  if (len == 0) {
    len = ice_->buildCheck(buf, /*nominate=*/true);
    copiesOfCheck_ = 0;
  }
  if (len > 0) sendRaw({buf, len}, ctx);
  ++checksSent_;
  uint64_t interval = std::min(kCheckRetransmitNs << copiesOfCheck_, kMaxCheckIntervalNs);
  ++copiesOfCheck_;
  nextCheckNs_ = nowNs + (checking ? interval : kKeepaliveNs);
}

void Peer::onTick(uint64_t nowNs, LoopContext& ctx) noexcept {
  if (state_ == State::Idle || state_ == State::Failed) return;
  if (state_ != State::Connected && nowNs - startNs_ > kJoinTimeoutNs) {
    return fail(std::string("join timed out in ") + toString(state_), ctx);
  }
  if (nowNs >= nextCheckNs_) sendCheck(nowNs, ctx);
  if (state_ == State::Connected && !spec_.publisher && nowNs >= nextReportNs_) {
    sendReceiverReport(nowNs, ctx);
  }
  if (state_ == State::Handshaking) {
    auto due = dtls_->nextTimeout();
    if (due && std::chrono::steady_clock::now() >= *due) {
      dtls_->handleTimeout([this, &ctx](std::span<const uint8_t> d) { sendRaw(d, ctx); });
      if (dtls_->failed()) fail("DTLS: " + dtls_->failureReason(), ctx);
    }
  }
}

// RFC 7983 §7: the first byte tells STUN (0-3), DTLS (20-63) and RTP/RTCP (128-191) apart;
// RFC 5761 §4: RTCP packet types 192-223 share the port with RTP.
void Peer::onDatagram(std::span<uint8_t> data, const sockaddr_storage& from, socklen_t fromLength,
                      uint64_t nowNs, LoopContext& ctx) noexcept {
  if (data.empty()) return;
  uint8_t first = data[0];
  if (first < 4) return onStun(data, from, fromLength, nowNs, ctx);
  if (first >= 20 && first < 64) return onDtls(data, nowNs, ctx);
  if (first < 128 || first >= 192 || data.size() < kRtpHeaderSize) return;
  uint8_t pt = data[1];
  if (pt >= 192 && pt <= 223) return onRtcp(data, ctx);
  onRtp(data, nowNs, ctx);
}

void Peer::onStun(std::span<uint8_t> data, const sockaddr_storage& from, socklen_t fromLength,
                  uint64_t nowNs, LoopContext& ctx) noexcept {
  uint8_t reply[512];
  size_t replyLength = 0;
  switch (ice_->handle(data, from, fromLength, reply, replyLength)) {
    case IceController::Outcome::Reply:
      sendRaw({reply, replyLength}, ctx);
      return;
    case IceController::Outcome::Success:
      if (state_ != State::Checking) return;
      state_ = State::Handshaking;
      iceDoneNs_ = nowNs;
      nextCheckNs_ = nowNs + kKeepaliveNs;
      dtls_->start([this, &ctx](std::span<const uint8_t> d) { sendRaw(d, ctx); });
      return;
    case IceController::Outcome::Failure:
      if (state_ == State::Checking) fail("ICE: the server answered with a STUN error", ctx);
      return;
    case IceController::Outcome::Ignored:
      return;
  }
}

void Peer::onDtls(std::span<uint8_t> data, uint64_t nowNs, LoopContext& ctx) noexcept {
  if (!dtls_ || state_ == State::Failed) return;
  auto result =
      dtls_->handleDatagram(data, [this, &ctx](std::span<const uint8_t> d) { sendRaw(d, ctx); });
  if (result == crypto::DtlsSession::Result::Connected) return connected(nowNs, ctx);
  if (result == crypto::DtlsSession::Result::Failed && state_ != State::Connected)
    fail("DTLS: " + dtls_->failureReason(), ctx);
}

// RFC 3550 §6.4.2: a receiver reports about once a second, as browsers do. An empty RR
// (RC = 0) is what a server needs to see: a live, authenticated SRTCP packet from the peer.
void Peer::sendReceiverReport(uint64_t nowNs, LoopContext& ctx) noexcept {
  nextReportNs_ = nowNs + kReportIntervalNs;
  uint8_t buf[64];
  size_t len = rtcp::writeReceiverReport(buf, rtcp::ReceiverReport{local_.videoSsrc | 1u, {}});
  if (len == 0 || !srtp_->protectRtcp(buf, len, sizeof buf)) return;
  sendRaw({buf, len}, ctx);
}

void Peer::connected(uint64_t nowNs, LoopContext& ctx) noexcept {
  auto keys = dtls_->srtpKeys();
  if (keys) srtp_ = crypto::SrtpSession::create(*keys);
  if (!srtp_) return fail("SRTP: no keys from the DTLS exporter", ctx);
  state_ = State::Connected;
  joinDoneNs_ = nowNs;
  bump(ctx.counters.joined);
  nextReportNs_ = nowNs + kFirstReportNs;
  if (!spec_.publisher) return;
  uint64_t seed = local_.videoSsrc ^ nowNs;
  if (spec_.video) video_.emplace(local_.videoSsrc, kVp8PayloadType, spec_.videoKbps, seed);
  if (spec_.audio) audio_.emplace(local_.audioSsrc, kOpusPayloadType, seed >> 7);
  nextVideoNs_ = nextAudioNs_ = nowNs;
}

void Peer::fail(std::string reason, LoopContext& ctx) noexcept {
  if (state_ == State::Failed) return;
  bool joining = state_ != State::Connected;
  state_ = State::Failed;
  failure_ = std::move(reason);
  if (joining) bump(ctx.counters.joinFailures);
}

StreamStats* Peer::stream(uint32_t ssrc) noexcept {
  for (auto& s : streams_) {
    if (s.ssrc() == ssrc) return &s;
  }
  if (streams_.size() >= kMaxStreams) return nullptr;
  streams_.emplace_back(ssrc);
  return &streams_.back();
}

uint64_t Peer::packetsReceived() const noexcept {
  uint64_t n = 0;
  for (const auto& s : streams_) n += s.packets();
  return n;
}

void Peer::onRtp(std::span<uint8_t> data, uint64_t nowNs, LoopContext& ctx) noexcept {
  if (!srtp_ || spec_.publisher) return;
  StreamStats* s = stream(readU32(&data[8]));
  if (!s) return;
  bool frameStart = s->onPacket(readU16(&data[2]), readU32(&data[4]), data.size(), ctx.counters);
  bool sample = frameStart || ++sampleCounter_ % kSampleEvery == 0;
  if (!sample || !ctx.measuring) return;
  size_t offset = rtpPayloadOffset(data);
  size_t length = data.size();
  if (!srtp_->unprotectRtp(data.data(), length) || offset + kSendTimeOffset + 8 > length) {
    bump(ctx.counters.decryptFailures);
    return;
  }
  bump(ctx.counters.decrypted);
  uint64_t sentNs = readU64(&data[offset + kSendTimeOffset]);
  ctx.latency.add(static_cast<int64_t>(nowNs - sentNs));
}

// Publishers answer PLI/FIR with an early keyframe (RFC 4585 §6.3.1, RFC 5104 §4.3.1) and
// count NACKs (the synthetic stream keeps no history to retransmit from).
void Peer::onRtcp(std::span<uint8_t> data, LoopContext& ctx) noexcept {
  bump(ctx.counters.rtcpIn);
  if (!srtp_ || !spec_.publisher) return;
  size_t length = data.size();
  if (!srtp_->unprotectRtcp(data.data(), length)) return;
  for (size_t at = 0; at + 4 <= length;) {
    uint8_t fmt = data[at] & 0x1f, pt = data[at + 1];
    if (pt == 206 && (fmt == 1 || fmt == 4)) {
      bump(ctx.counters.keyframeRequests);
      if (video_) video_->requestKeyframe();
    }
    if (pt == 205 && fmt == 1) bump(ctx.counters.nacks);
    at += 4 * (size_t{readU16(&data[at + 2])} + 1);
  }
}

uint64_t Peer::sendMedia(uint64_t nowNs, LoopContext& ctx) noexcept {
  if (state_ != State::Connected || !spec_.publisher) return nowNs + kVideoFrameIntervalNs;
  constexpr uint64_t kMaxLagNs = 1'000'000'000;  // after a stall, skip rather than burst
  if (nowNs > nextVideoNs_ + kMaxLagNs) nextVideoNs_ = nowNs;
  if (nowNs > nextAudioNs_ + kMaxLagNs) nextAudioNs_ = nowNs;
  while (video_ && nowNs >= nextVideoNs_) {
    sendVideoFrame(nowNs, ctx);
    nextVideoNs_ += kVideoFrameIntervalNs;
  }
  while (audio_ && nowNs >= nextAudioNs_) {
    sendAudioPacket(nowNs, ctx);
    nextAudioNs_ += kAudioPacketIntervalNs;
  }
  uint64_t next = UINT64_MAX;
  if (video_) next = nextVideoNs_;
  if (audio_) next = std::min(next, nextAudioNs_);
  return next;
}

void Peer::sendVideoFrame(uint64_t nowNs, LoopContext& ctx) noexcept {
  PacketSlot slots[kBurstPackets];
  for (size_t i = 0; i < kBurstPackets; ++i)
    slots[i] = {ctx.scratch.data() + i * kSlotSize, kSlotSize - crypto::SrtpSession::kMaxTrailer};
  size_t n = video_->nextFrame(slots, nowNs);
  sendBurst({slots, n}, ctx);
}

void Peer::sendAudioPacket(uint64_t nowNs, LoopContext& ctx) noexcept {
  PacketSlot slot{ctx.scratch.data(), kSlotSize - crypto::SrtpSession::kMaxTrailer};
  if (audio_->nextPacket(slot, nowNs) == 0) return;
  sendBurst({&slot, 1}, ctx);
}

// One sendmmsg per frame: the packets of a frame leave as a burst, as a browser's pacer
// without pacing would send them.
void Peer::sendBurst(std::span<PacketSlot> slots, LoopContext& ctx) noexcept {
  mmsghdr msgs[kBurstPackets];
  iovec iov[kBurstPackets];
  size_t n = 0;
  for (auto& slot : slots) {
    if (!srtp_->protectRtp(slot.data, slot.length, kSlotSize)) {
      bump(ctx.counters.sendErrors);
      continue;
    }
    iov[n] = {slot.data, slot.length};
    msgs[n] = {};
    msgs[n].msg_hdr.msg_iov = &iov[n];
    msgs[n].msg_hdr.msg_iovlen = 1;
    ++n;
  }
  size_t done = 0;
  while (done < n) {
    int sent = ::sendmmsg(fd_, msgs + done, static_cast<unsigned>(n - done), 0);
    if (sent <= 0) {
      bump(ctx.counters.sendErrors, n - done);
      return;
    }
    for (int i = 0; i < sent; ++i) bump(ctx.counters.sentBytes, msgs[done + i].msg_len);
    bump(ctx.counters.sentPackets, static_cast<uint64_t>(sent));
    done += static_cast<size_t>(sent);
  }
}

}  // namespace rc::bench
