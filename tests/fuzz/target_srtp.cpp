// Fuzz target: SRTP/SRTCP unprotect (crypto/srtp_session.cpp, crypto/srtp_transform.cpp).
// Byte 0 picks the profile (bit 0) and RTP or RTCP (bit 1); the rest is a datagram.
// 1. Unprotect the datagram as received: it must fail or shrink it by the trailer.
// 2. Protect it as plaintext with a fresh pair of sessions and unprotect it on the other end:
//    whenever protect accepts it, unprotect must give back the same bytes, and a copy with
//    one flipped bit must be refused.
#include <array>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <vector>

#include "crypto/srtp_session.h"

namespace {

using rc::crypto::SrtpKeys;
using rc::crypto::SrtpProfile;
using rc::crypto::SrtpSession;

constexpr size_t kCapacity = 2048;
constexpr size_t kMaxInput = kCapacity - SrtpSession::kMaxTrailer;

void check(bool ok) {
  if (!ok) std::abort();
}

SrtpKeys keys(SrtpProfile profile, bool swap) {
  const size_t n = profile == SrtpProfile::AeadAes128Gcm ? 28 : 30;
  std::vector<uint8_t> a(n, 0x11), b(n, 0x22);
  return swap ? SrtpKeys{profile, b, a} : SrtpKeys{profile, a, b};
}

SrtpSession& receiver(SrtpProfile profile) {
  static std::unique_ptr<SrtpSession> gcm =
      SrtpSession::create(keys(SrtpProfile::AeadAes128Gcm, false));
  static std::unique_ptr<SrtpSession> cm =
      SrtpSession::create(keys(SrtpProfile::Aes128CmSha1_80, false));
  return profile == SrtpProfile::AeadAes128Gcm ? *gcm : *cm;
}

bool unprotect(SrtpSession& s, bool rtcp, uint8_t* buf, size_t& len) {
  return rtcp ? s.unprotectRtcp(buf, len) : s.unprotectRtp(buf, len);
}

void asReceived(SrtpProfile profile, bool rtcp, const uint8_t* data, size_t size) {
  std::array<uint8_t, kCapacity> buf;
  std::memcpy(buf.data(), data, size);
  size_t len = size;
  if (unprotect(receiver(profile), rtcp, buf.data(), len)) check(len < size);
}

void roundTrip(SrtpProfile profile, bool rtcp, const uint8_t* data, size_t size) {
  auto sender = SrtpSession::create(keys(profile, true));
  auto peer = SrtpSession::create(keys(profile, false));
  check(sender && peer);
  std::array<uint8_t, kCapacity> buf;
  std::memcpy(buf.data(), data, size);
  size_t len = size;
  const bool ok = rtcp ? sender->protectRtcp(buf.data(), len, buf.size())
                       : sender->protectRtp(buf.data(), len, buf.size());
  if (!ok) return;
  check(len > size && len <= size + SrtpSession::kMaxTrailer);
  std::array<uint8_t, kCapacity> flipped = buf;
  flipped[len - 1] ^= 0x01;
  size_t flippedLen = len;
  check(!unprotect(*peer, rtcp, flipped.data(), flippedLen));
  check(unprotect(*peer, rtcp, buf.data(), len));
  check(len == size && std::memcmp(buf.data(), data, size) == 0);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1 || size - 1 > kMaxInput) return 0;
  const SrtpProfile profile =
      (data[0] & 1) != 0 ? SrtpProfile::Aes128CmSha1_80 : SrtpProfile::AeadAes128Gcm;
  const bool rtcp = (data[0] & 2) != 0;
  asReceived(profile, rtcp, data + 1, size - 1);
  roundTrip(profile, rtcp, data + 1, size - 1);
  return 0;
}
