// JSON Web Token primitives: base64url (RFC 4648 §5), HMAC-SHA256 (RFC 2104) and
// HS256-signed JWS compact serialization (RFC 7515 §7.1, RFC 7519).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace rc::crypto {

// RFC 4648 §5, without padding (RFC 7515 §2 "Base64url Encoding").
std::string base64UrlEncode(std::span<const uint8_t> bytes);
std::string base64UrlEncode(std::string_view bytes);
// Strict decoder: rejects characters outside the base64url alphabet, '=' padding and
// impossible lengths (len % 4 == 1). Non-zero trailing bits are rejected too.
std::optional<std::string> base64UrlDecode(std::string_view text);

// HMAC-SHA256 (RFC 2104 / FIPS 198-1), 32 raw bytes.
std::string hmacSha256(std::string_view key, std::string_view data);

// Constant-time equality for equal-length inputs (CRYPTO_memcmp); false if sizes differ.
bool constantTimeEqual(std::string_view a, std::string_view b);

// Signs `claims` as a compact JWS with header {"alg":"HS256","typ":"JWT"}.
std::string signHs256(const nlohmann::json& claims, std::string_view secret);

enum class JwtError {
  kMalformed,     // not three base64url segments, or header/payload not a JSON object
  kBadAlgorithm,  // header "alg" is not "HS256" (RFC 7518 §3.2); "none" is always refused
  kBadSignature,  // HMAC mismatch
};
const char* jwtErrorText(JwtError e);

struct JwtVerifyResult {
  std::optional<nlohmann::json> claims;  // set when the signature verified
  JwtError error = JwtError::kMalformed;
};

// Decodes the payload WITHOUT checking the signature (used to find the key by "iss").
std::optional<nlohmann::json> decodeUnverifiedClaims(std::string_view token);

// Verifies an HS256 compact JWS; returns the claims object. Does not check exp/nbf.
JwtVerifyResult verifyHs256(std::string_view token, std::string_view secret);

}  // namespace rc::crypto
