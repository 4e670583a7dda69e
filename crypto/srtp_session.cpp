#include "crypto/srtp_session.h"

#include <openssl/evp.h>

#include <climits>
#include <mutex>
#include <new>

namespace rc::crypto {
namespace {

constexpr size_t kRtpHeaderMin = 12;             // RFC 3550 §5.1 fixed header
constexpr size_t kRtcpHeaderMin = 8;             // RFC 3550 §6.4.1: header + sender SSRC
constexpr uint32_t kMaxSrtcpIndex = 0x7fffffff;  // RFC 3711 §3.4: 31 bits, then rekey

static_assert(SrtpSession::kMaxTrailer >= 16 + 4);

uint32_t readBe32(const uint8_t* p) noexcept {
  return uint32_t{p[0]} << 24 | uint32_t{p[1]} << 16 | uint32_t{p[2]} << 8 | p[3];
}

// RFC 3550 §5.1, §5.3.1: fixed header, CSRCs, header extension. 0 if it does not fit `len`.
size_t rtpHeaderLength(const uint8_t* buf, size_t len) noexcept {
  if (len < kRtpHeaderMin) return 0;
  size_t n = kRtpHeaderMin + 4 * size_t{buf[0] & 0x0fu};
  if ((buf[0] & 0x10) != 0) {
    if (n + 4 > len) return 0;
    n += 4 + 4 * (size_t{buf[n + 2]} << 8 | buf[n + 3]);
  }
  return n <= len ? n : 0;
}

bool roomToProtect(size_t len, size_t capacity, size_t minLen) noexcept {
  return len >= minLen && capacity >= len && capacity - len >= SrtpSession::kMaxTrailer &&
         len + SrtpSession::kMaxTrailer <= static_cast<size_t>(INT_MAX);
}

bool intLength(size_t len, size_t minLen) noexcept {
  return len >= minLen && len <= static_cast<size_t>(INT_MAX);
}

bool validKeyLength(const SrtpKeys& keys) {
  size_t want = srtpMasterKeyLength(keys.profile) + srtpMasterSaltLength(keys.profile);
  return keys.localMasterKeySalt.size() == want && keys.remoteMasterKeySalt.size() == want;
}

template <typename Stream>
Stream* findStream(std::vector<Stream>& streams, uint32_t ssrc) noexcept {
  for (auto& s : streams) {
    if (s.ssrc == ssrc) return &s;
  }
  return nullptr;
}

// A new SSRC's state; allocates only past the reserved capacity, false at kMaxStreams.
template <typename Stream>
Stream* appendStream(std::vector<Stream>& streams, const Stream& stream) noexcept {
  if (streams.size() >= SrtpSession::kMaxStreams) return nullptr;
  try {
    streams.push_back(stream);
  } catch (const std::bad_alloc&) {
    return nullptr;
  }
  return &streams.back();
}

}  // namespace

bool initSrtpLibrary() {
  static std::once_flag once;
  static bool ok = false;
  std::call_once(once, [] {
    EVP_CIPHER* gcm = EVP_CIPHER_fetch(nullptr, "AES-128-GCM", nullptr);
    EVP_CIPHER* ctr = EVP_CIPHER_fetch(nullptr, "AES-128-CTR", nullptr);
    ok = gcm != nullptr && ctr != nullptr;
    EVP_CIPHER_free(gcm);
    EVP_CIPHER_free(ctr);
  });
  return ok;
}

std::unique_ptr<SrtpSession> SrtpSession::create(const SrtpKeys& keys) {
  if (!initSrtpLibrary() || !validKeyLength(keys)) return nullptr;
  std::unique_ptr<SrtpSession> session(new SrtpSession(keys.profile));
  session->inbound_ = SrtpTransform::fromMaster(keys.profile, keys.remoteMasterKeySalt,
                                                SrtpTransform::Direction::Unprotect);
  session->outbound_ = SrtpTransform::fromMaster(keys.profile, keys.localMasterKeySalt,
                                                 SrtpTransform::Direction::Protect);
  if (!session->inbound_ || !session->outbound_) return nullptr;
  session->outStreams_.reserve(kReservedStreams);
  session->inStreams_.reserve(kReservedStreams);
  return session;
}

SrtpSession::~SrtpSession() = default;

SrtpSession::OutboundStream* SrtpSession::outbound(uint32_t ssrc) noexcept {
  if (auto* s = findStream(outStreams_, ssrc)) return s;
  OutboundStream fresh;
  fresh.ssrc = ssrc;
  return appendStream(outStreams_, fresh);
}

SrtpSession::InboundStream* SrtpSession::findInbound(uint32_t ssrc) noexcept {
  return findStream(inStreams_, ssrc);
}

// An unknown SSRC is checked against empty state, kept only if its packet authenticates.
SrtpSession::InboundStream& SrtpSession::resetProbe(uint32_t ssrc) noexcept {
  probe_ = InboundStream{};
  probe_.ssrc = ssrc;
  return probe_;
}

SrtpSession::InboundStream* SrtpSession::addInbound(const InboundStream& stream) noexcept {
  return appendStream(inStreams_, stream);
}

// RFC 3711 §3.3. We resend packets with the same sequence number and payload for NACK
// (RFC 4585 §6.2.1), so the sender keeps no replay list (libsrtp's allow_repeat_tx).
bool SrtpSession::protectRtp(uint8_t* buf, size_t& len, size_t capacity) noexcept {
  if (buf == nullptr || !roomToProtect(len, capacity, kRtpHeaderMin)) return false;
  const size_t header = rtpHeaderLength(buf, len);
  OutboundStream* s = header == 0 ? nullptr : outbound(readBe32(buf + 8));
  if (s == nullptr) return false;
  const uint16_t seq = static_cast<uint16_t>(buf[2] << 8 | buf[3]);
  const uint64_t index = estimateSrtpIndex(s->rtpHighest, seq);
  if (!outbound_->protectRtp(buf, header, len, index)) return false;
  if (!s->rtpStarted || index > s->rtpHighest) s->rtpHighest = index;
  s->rtpStarted = true;
  return true;
}

// RFC 3711 §3.3: index estimate, replay check (window kRtpReplayWindow), authentication, then
// decryption; the state of an SSRC changes only for a packet that authenticated, so forged
// packets neither move the ROC nor fill the stream table.
bool SrtpSession::unprotectRtp(uint8_t* buf, size_t& len) noexcept {
  if (buf == nullptr || !intLength(len, kRtpHeaderMin + inbound_->rtpTrailer())) return false;
  const size_t header = rtpHeaderLength(buf, len - inbound_->rtpTrailer());
  if (header == 0) return false;
  const uint32_t ssrc = readBe32(buf + 8);
  InboundStream* s = findInbound(ssrc);
  InboundStream& state = s != nullptr ? *s : resetProbe(ssrc);
  const uint16_t seq = static_cast<uint16_t>(buf[2] << 8 | buf[3]);
  const uint64_t index = estimateSrtpIndex(state.rtp.highest(), seq);
  if (!state.rtp.fresh(index) || !inbound_->unprotectRtp(buf, header, len, index)) return false;
  state.rtp.accept(index);
  return s != nullptr || addInbound(probe_) != nullptr;
}

// RFC 3711 §3.4: the SRTCP index counts per SSRC from 1, E flag always set.
bool SrtpSession::protectRtcp(uint8_t* buf, size_t& len, size_t capacity) noexcept {
  if (buf == nullptr || !roomToProtect(len, capacity, kRtcpHeaderMin)) return false;
  OutboundStream* s = outbound(readBe32(buf + 4));
  if (s == nullptr || s->rtcpIndex >= kMaxSrtcpIndex) return false;
  if (!outbound_->protectRtcp(buf, len, s->rtcpIndex + 1)) return false;
  ++s->rtcpIndex;
  return true;
}

bool SrtpSession::unprotectRtcp(uint8_t* buf, size_t& len) noexcept {
  uint32_t word = 0;
  if (buf == nullptr || !intLength(len, kRtcpHeaderMin) ||
      !inbound_->readSrtcpIndexWord(buf, len, word)) {
    return false;
  }
  const uint32_t ssrc = readBe32(buf + 4);
  InboundStream* s = findInbound(ssrc);
  InboundStream& state = s != nullptr ? *s : resetProbe(ssrc);
  const uint64_t index = word & kMaxSrtcpIndex;
  if (!state.rtcp.fresh(index) || !inbound_->unprotectRtcp(buf, len)) return false;
  state.rtcp.accept(index);
  return s != nullptr || addInbound(probe_) != nullptr;
}

}  // namespace rc::crypto
