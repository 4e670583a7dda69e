#include "crypto/reference/libsrtp_session.h"

#include <openssl/crypto.h>
#include <srtp2/srtp.h>

#include <climits>
#include <cstring>
#include <mutex>
#include <vector>

#include "crypto/srtp_session.h"

namespace rc::crypto::reference {
namespace {

constexpr unsigned long kReplayWindow = SrtpSession::kRtpReplayWindow;

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
  policy.allow_repeat_tx = direction == ssrc_any_outbound ? 1 : 0;
  policy.next = nullptr;
  srtp_t ctx = nullptr;
  if (srtp_create(&ctx, &policy) != srtp_err_status_ok) return nullptr;
  return ctx;
}

bool fits(size_t len, size_t capacity) {
  return capacity >= len && capacity - len >= SrtpSession::kMaxTrailer &&
         len + SrtpSession::kMaxTrailer <= static_cast<size_t>(INT_MAX);
}

template <typename Fn>
bool call(Fn fn, srtp_t ctx, uint8_t* buf, size_t& len) {
  if (buf == nullptr || len > static_cast<size_t>(INT_MAX)) return false;
  int n = static_cast<int>(len);
  if (fn(ctx, buf, &n) != srtp_err_status_ok) return false;
  len = static_cast<size_t>(n);
  return true;
}

}  // namespace

bool initLibSrtp() {
  static std::once_flag once;
  static bool ok = false;
  std::call_once(once, [] { ok = srtp_init() == srtp_err_status_ok; });
  return ok;
}

std::unique_ptr<LibSrtpSession> LibSrtpSession::create(const SrtpKeys& keys) {
  if (!initLibSrtp()) return nullptr;
  std::vector<uint8_t> local = keys.localMasterKeySalt;
  std::vector<uint8_t> remote = keys.remoteMasterKeySalt;
  std::unique_ptr<LibSrtpSession> session(new LibSrtpSession());
  session->inbound_ = createContext(keys.profile, ssrc_any_inbound, remote);
  session->outbound_ = createContext(keys.profile, ssrc_any_outbound, local);
  OPENSSL_cleanse(local.data(), local.size());
  OPENSSL_cleanse(remote.data(), remote.size());
  if (session->inbound_ == nullptr || session->outbound_ == nullptr) return nullptr;
  return session;
}

LibSrtpSession::~LibSrtpSession() {
  if (inbound_ != nullptr) srtp_dealloc(inbound_);
  if (outbound_ != nullptr) srtp_dealloc(outbound_);
}

bool LibSrtpSession::protectRtp(uint8_t* buf, size_t& len, size_t capacity) noexcept {
  return fits(len, capacity) && call(srtp_protect, outbound_, buf, len);
}
bool LibSrtpSession::unprotectRtp(uint8_t* buf, size_t& len) noexcept {
  return call(srtp_unprotect, inbound_, buf, len);
}
bool LibSrtpSession::protectRtcp(uint8_t* buf, size_t& len, size_t capacity) noexcept {
  return fits(len, capacity) && call(srtp_protect_rtcp, outbound_, buf, len);
}
bool LibSrtpSession::unprotectRtcp(uint8_t* buf, size_t& len) noexcept {
  return call(srtp_unprotect_rtcp, inbound_, buf, len);
}

}  // namespace rc::crypto::reference
