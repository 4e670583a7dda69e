#include "crypto/srtp_session.h"

#include <openssl/crypto.h>
#include <srtp2/srtp.h>

#include <climits>
#include <cstring>
#include <mutex>

namespace rc::crypto {
namespace {

constexpr size_t kRtpHeaderMin = 12;           // RFC 3550 §5.1 fixed header
constexpr size_t kRtcpHeaderMin = 8;           // RFC 3550 §6.4.1: header + sender SSRC
constexpr unsigned long kReplayWindow = 1024;  // RFC 3711 §3.3.2 (min 64); NACK-friendly

// Without MKI libsrtp appends at most the auth tag to SRTP, and tag + 4-byte E||index to
// SRTCP (RFC 3711 §3.4, RFC 7714 §9).
static_assert(SrtpSession::kMaxTrailer >= SRTP_MAX_TAG_LEN + 4);

void setCryptoPolicy(srtp_policy_t& policy, SrtpProfile profile) {
  if (profile == SrtpProfile::AeadAes128Gcm) {  // RFC 7714 §14.2
    srtp_crypto_policy_set_aes_gcm_128_16_auth(&policy.rtp);
    srtp_crypto_policy_set_aes_gcm_128_16_auth(&policy.rtcp);
  } else {  // RFC 5764 §4.1.2 SRTP_AES128_CM_HMAC_SHA1_80
    srtp_crypto_policy_set_rtp_default(&policy.rtp);
    srtp_crypto_policy_set_rtcp_default(&policy.rtcp);
  }
}

// `key` must stay alive until srtp_create() returns (libsrtp copies it into its schedule).
srtp_t createContext(SrtpProfile profile, srtp_ssrc_type_t direction, std::vector<uint8_t>& key) {
  srtp_policy_t policy;
  std::memset(&policy, 0, sizeof(policy));
  setCryptoPolicy(policy, profile);
  policy.ssrc.type = direction;
  policy.key = key.data();
  policy.window_size = kReplayWindow;
  // We resend packets with the same sequence number and payload for NACK (RFC 4585 §6.2.1);
  // libsrtp would otherwise refuse them as replays on the sending side.
  policy.allow_repeat_tx = direction == ssrc_any_outbound ? 1 : 0;
  policy.next = nullptr;
  srtp_t ctx = nullptr;
  if (srtp_create(&ctx, &policy) != srtp_err_status_ok) return nullptr;
  return ctx;
}

bool validKeyLength(const SrtpKeys& keys) {
  size_t want = srtpMasterKeyLength(keys.profile) + srtpMasterSaltLength(keys.profile);
  return keys.localMasterKeySalt.size() == want && keys.remoteMasterKeySalt.size() == want;
}

bool roomToProtect(size_t len, size_t capacity, size_t minLen) {
  return len >= minLen && capacity >= len && capacity - len >= SrtpSession::kMaxTrailer &&
         len + SrtpSession::kMaxTrailer <= static_cast<size_t>(INT_MAX);
}

bool intLength(size_t len, size_t minLen) {
  return len >= minLen && len <= static_cast<size_t>(INT_MAX);
}

}  // namespace

bool initSrtpLibrary() {
  static std::once_flag once;
  static bool ok = false;
  std::call_once(once, [] { ok = srtp_init() == srtp_err_status_ok; });
  return ok;
}

std::unique_ptr<SrtpSession> SrtpSession::create(const SrtpKeys& keys) {
  if (!initSrtpLibrary() || !validKeyLength(keys)) return nullptr;
  // srtp_policy_t::key is non-const; work on copies and wipe them afterwards.
  std::vector<uint8_t> local = keys.localMasterKeySalt;
  std::vector<uint8_t> remote = keys.remoteMasterKeySalt;
  std::unique_ptr<SrtpSession> session(new SrtpSession(keys.profile));
  session->inbound_ = createContext(keys.profile, ssrc_any_inbound, remote);
  session->outbound_ = createContext(keys.profile, ssrc_any_outbound, local);
  OPENSSL_cleanse(local.data(), local.size());
  OPENSSL_cleanse(remote.data(), remote.size());
  if (session->inbound_ == nullptr || session->outbound_ == nullptr) return nullptr;
  return session;
}

SrtpSession::~SrtpSession() {
  if (inbound_ != nullptr) srtp_dealloc(inbound_);
  if (outbound_ != nullptr) srtp_dealloc(outbound_);
}

// RFC 3711 §3.3
bool SrtpSession::protectRtp(uint8_t* buf, size_t& len, size_t capacity) noexcept {
  if (buf == nullptr || !roomToProtect(len, capacity, kRtpHeaderMin)) return false;
  int n = static_cast<int>(len);
  if (srtp_protect(outbound_, buf, &n) != srtp_err_status_ok) return false;
  len = static_cast<size_t>(n);
  return true;
}

// RFC 3711 §3.3: authentication and replay check (window kReplayWindow) before decryption.
bool SrtpSession::unprotectRtp(uint8_t* buf, size_t& len) noexcept {
  if (buf == nullptr || !intLength(len, kRtpHeaderMin)) return false;
  int n = static_cast<int>(len);
  if (srtp_unprotect(inbound_, buf, &n) != srtp_err_status_ok) return false;
  len = static_cast<size_t>(n);
  return true;
}

// RFC 3711 §3.4
bool SrtpSession::protectRtcp(uint8_t* buf, size_t& len, size_t capacity) noexcept {
  if (buf == nullptr || !roomToProtect(len, capacity, kRtcpHeaderMin)) return false;
  int n = static_cast<int>(len);
  if (srtp_protect_rtcp(outbound_, buf, &n) != srtp_err_status_ok) return false;
  len = static_cast<size_t>(n);
  return true;
}

bool SrtpSession::unprotectRtcp(uint8_t* buf, size_t& len) noexcept {
  if (buf == nullptr || !intLength(len, kRtcpHeaderMin)) return false;
  int n = static_cast<int>(len);
  if (srtp_unprotect_rtcp(inbound_, buf, &n) != srtp_err_status_ok) return false;
  len = static_cast<size_t>(n);
  return true;
}

}  // namespace rc::crypto
