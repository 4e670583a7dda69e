// SRTP key derivation, RFC 3711 §4.3 (AES-CM PRF, key derivation rate 0 as DTLS-SRTP uses,
// RFC 5764 §4.1.2), also for AEAD_AES_128_GCM (RFC 7714 §11).
#pragma once

#include <array>
#include <cstdint>
#include <span>

namespace rc::crypto {

// RFC 3711 §4.3.2 (and §4.3.1: label 0x00..0x05).
enum class SrtpLabel : uint8_t {
  RtpCipher = 0x00,
  RtpAuth = 0x01,
  RtpSalt = 0x02,
  RtcpCipher = 0x03,
  RtcpAuth = 0x04,
  RtcpSalt = 0x05,
};

constexpr size_t kSrtpKdfSaltLength = 14;  // 112-bit master salt field of RFC 3711 §4.3.1

// PRF_n(k_master, x) with x = (label || r) XOR master_salt, r = 0: AES-128 in counter mode,
// IV = x * 2^16. `masterSalt` is 14 bytes (AES-CM) or 12 (GCM, RFC 7714 §11: the 96-bit salt
// fills the leading octets of the field and the rest is zero, as libsrtp does). `out` gets
// out.size() bytes. False when OpenSSL fails or the lengths are wrong (key must be 16 bytes).
// Runs once per session at keying time; allocates.
bool deriveSrtpKey(std::span<const uint8_t> masterKey, std::span<const uint8_t> masterSalt,
                   SrtpLabel label, std::span<uint8_t> out);

}  // namespace rc::crypto
