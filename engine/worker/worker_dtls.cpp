// The DTLS session after its handshake. WebRTC without data channels uses DTLS only to agree
// on SRTP keys, yet an OpenSSL session keeps ~60 KiB (record buffers, the handshake buffer
// kept for retransmissions, certificates). Once the peer has proved it holds the keys (an
// SRTP or SRTCP packet from it authenticated, so it has our last flight and will not
// retransmit), or once no DTLS datagram came from it for 10 s after the handshake (a peer
// missing our last flight retransmits its own after 1, 3 and 7 s, RFC 6347 §4.2.4.1), the
// session is freed; its close_notify is sealed first and sent at close.
#include "engine/room/down_track.h"
#include "engine/room/engine.h"
#include "engine/transport/transport.h"
#include "engine/worker/worker.h"

namespace rc::engine {
namespace {

// A peer alert after the release is most likely its close_notify; it is encrypted, so it
// cannot be checked. The transport closes only if nothing else authenticated or STUN came
// from the peer for this long after it: a spoofed alert cannot end a live session.
constexpr int64_t kGoodbyeQuietUs = 2'000'000;

// RFC 6347 §4.1: the record header's first byte is the content type; 21 = alert.
constexpr uint8_t kContentTypeAlert = 21;

constexpr int64_t kDtlsQuietBeforeReleaseUs = 10'000'000;

}  // namespace

void Worker::releaseFinishedDtls(int64_t nowUs) noexcept {
  for (Transport* t : owned_) {
    if (!t->dtls || !t->srtp || t->closed || !t->dtls->connected()) continue;
    if (!t->peerHasKeys && nowUs - t->lastDtlsInUs < kDtlsQuietBeforeReleaseUs) continue;
    size_t n = t->dtls->sealCloseNotify(t->closeNotify);
    if (n == 0) continue;  // did not fit: keep the session, it can still close itself
    t->closeNotifyLen = static_cast<uint8_t>(n);
    t->dtls.reset();
    counters_.add(counters_.dtlsReleased);
  }
}

void Worker::onDtlsAfterRelease(Transport* t, std::span<const uint8_t> data) noexcept {
  if (t->closeNotifyLen == 0 || data.empty() || data[0] != kContentTypeAlert) return;
  if (t->peerAlertUs == 0) t->peerAlertUs = nowMicros();
}

bool Worker::peerSaidGoodbye(const Transport* t, int64_t nowUs) const noexcept {
  return t->peerAlertUs != 0 && t->lastReceiveUs < t->peerAlertUs &&
         nowUs - t->peerAlertUs >= kGoodbyeQuietUs;
}

void Worker::sendGoodbye(Transport* t) noexcept {
  if (t->dtls && t->dtls->connected()) {
    t->dtls->close([this, t](std::span<const uint8_t> out) { sendRaw(t, out); });
  } else if (t->closeNotifyLen != 0) {
    sendRaw(t, {t->closeNotify.data(), t->closeNotifyLen});
    t->closeNotifyLen = 0;
  }
}

}  // namespace rc::engine
