#include "crypto/jwt.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <array>

namespace rc::crypto {
namespace {

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

int decodeChar(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '-') return 62;
  if (c == '_') return 63;
  return -1;
}

struct Segments {
  std::string_view header, payload, signature;
};

// RFC 7515 §7.1: BASE64URL(header) '.' BASE64URL(payload) '.' BASE64URL(signature).
std::optional<Segments> splitToken(std::string_view token) {
  size_t a = token.find('.');
  if (a == std::string_view::npos) return std::nullopt;
  size_t b = token.find('.', a + 1);
  if (b == std::string_view::npos || token.find('.', b + 1) != std::string_view::npos) {
    return std::nullopt;
  }
  return Segments{token.substr(0, a), token.substr(a + 1, b - a - 1), token.substr(b + 1)};
}

std::optional<nlohmann::json> decodeJsonObject(std::string_view segment) {
  auto raw = base64UrlDecode(segment);
  if (!raw) return std::nullopt;
  auto json = nlohmann::json::parse(*raw, nullptr, /*allow_exceptions=*/false);
  if (!json.is_object()) return std::nullopt;
  return json;
}

}  // namespace

std::string base64UrlEncode(std::span<const uint8_t> bytes) {
  std::string out;
  out.reserve((bytes.size() * 4 + 2) / 3);
  size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    uint32_t v = (uint32_t{bytes[i]} << 16) | (uint32_t{bytes[i + 1]} << 8) | bytes[i + 2];
    for (int shift = 18; shift >= 0; shift -= 6) out.push_back(kAlphabet[(v >> shift) & 63]);
  }
  size_t rest = bytes.size() - i;
  if (rest == 1) {
    uint32_t v = uint32_t{bytes[i]} << 16;
    out.push_back(kAlphabet[(v >> 18) & 63]);
    out.push_back(kAlphabet[(v >> 12) & 63]);
  } else if (rest == 2) {
    uint32_t v = (uint32_t{bytes[i]} << 16) | (uint32_t{bytes[i + 1]} << 8);
    out.push_back(kAlphabet[(v >> 18) & 63]);
    out.push_back(kAlphabet[(v >> 12) & 63]);
    out.push_back(kAlphabet[(v >> 6) & 63]);
  }
  return out;
}

std::string base64UrlEncode(std::string_view bytes) {
  return base64UrlEncode(
      std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()));
}

std::optional<std::string> base64UrlDecode(std::string_view text) {
  if (text.size() % 4 == 1) return std::nullopt;
  std::string out;
  out.reserve(text.size() * 3 / 4);
  uint32_t acc = 0;
  int bits = 0;
  for (char c : text) {
    int v = decodeChar(c);
    if (v < 0) return std::nullopt;
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((acc >> bits) & 0xff));
    }
  }
  // RFC 4648 §3.5: leftover bits must be zero in a canonical encoding.
  if (bits > 0 && (acc & ((1u << bits) - 1)) != 0) return std::nullopt;
  return out;
}

std::string hmacSha256(std::string_view key, std::string_view data) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> mac{};
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), mac.data(), &len);
  return std::string(reinterpret_cast<const char*>(mac.data()), len);
}

bool constantTimeEqual(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string signHs256(const nlohmann::json& claims, std::string_view secret) {
  static const std::string kHeader =
      base64UrlEncode(std::string_view(R"({"alg":"HS256","typ":"JWT"})"));
  std::string input = kHeader + "." + base64UrlEncode(claims.dump());
  return input + "." + base64UrlEncode(hmacSha256(secret, input));
}

const char* jwtErrorText(JwtError e) {
  switch (e) {
    case JwtError::kMalformed:
      return "malformed token";
    case JwtError::kBadAlgorithm:
      return "unsupported token algorithm (HS256 required)";
    case JwtError::kBadSignature:
      return "invalid token signature";
  }
  return "invalid token";
}

std::optional<nlohmann::json> decodeUnverifiedClaims(std::string_view token) {
  auto seg = splitToken(token);
  if (!seg) return std::nullopt;
  return decodeJsonObject(seg->payload);
}

JwtVerifyResult verifyHs256(std::string_view token, std::string_view secret) {
  JwtVerifyResult result;
  auto seg = splitToken(token);
  if (!seg) return result;
  auto header = decodeJsonObject(seg->header);
  auto claims = decodeJsonObject(seg->payload);
  auto signature = base64UrlDecode(seg->signature);
  if (!header || !claims || !signature) return result;
  // RFC 8725 §3.1: the algorithm is fixed by the verifier, never taken from the token.
  auto alg = header->find("alg");
  if (alg == header->end() || !alg->is_string() || *alg != "HS256") {
    result.error = JwtError::kBadAlgorithm;
    return result;
  }
  size_t signedLen = seg->header.size() + 1 + seg->payload.size();
  std::string expected = hmacSha256(secret, token.substr(0, signedLen));
  if (!constantTimeEqual(expected, *signature)) {
    result.error = JwtError::kBadSignature;
    return result;
  }
  result.claims = std::move(claims);
  return result;
}

}  // namespace rc::crypto
