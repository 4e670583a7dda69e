#include "api/token.h"

#include <chrono>

#include <nlohmann/json.hpp>

#include "crypto/jwt.h"

namespace rc::api {
namespace {

using nlohmann::json;

TokenError unauthorized(std::string reason) {
  return TokenError{401, std::move(reason)};
}
TokenError forbidden(std::string reason) {
  return TokenError{403, std::move(reason)};
}

bool getBool(const json& obj, const char* name, bool fallback) {
  auto it = obj.find(name);
  return it != obj.end() && it->is_boolean() ? it->get<bool>() : fallback;
}

std::string getString(const json& obj, const char* name) {
  auto it = obj.find(name);
  return it != obj.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// RFC 7519 §2 NumericDate: may be an integer or a float; absent -> nullopt.
std::optional<int64_t> getTime(const json& obj, const char* name) {
  auto it = obj.find(name);
  if (it == obj.end() || !it->is_number()) return std::nullopt;
  double v = it->get<double>();
  if (!(v > -1e15 && v < 1e15)) return std::nullopt;
  return static_cast<int64_t>(v);
}

VideoGrant parseVideoGrant(const json& claims) {
  VideoGrant g;
  auto it = claims.find("video");
  if (it == claims.end() || !it->is_object()) {
    g.canPublish = g.canSubscribe = g.canPublishData = true;
    return g;
  }
  const json& v = *it;
  g.roomJoin = getBool(v, "roomJoin", false);
  g.room = getString(v, "room");
  g.canPublish = getBool(v, "canPublish", true);
  g.canSubscribe = getBool(v, "canSubscribe", true);
  g.canPublishData = getBool(v, "canPublishData", true);
  g.roomAdmin = getBool(v, "roomAdmin", false);
  g.roomCreate = getBool(v, "roomCreate", false);
  g.roomList = getBool(v, "roomList", false);
  g.roomRecord = getBool(v, "roomRecord", false);
  g.hidden = getBool(v, "hidden", false);
  g.canUpdateOwnMetadata = getBool(v, "canUpdateOwnMetadata", false);
  return g;
}

json videoGrantJson(const VideoGrant& g) {
  json v = json::object();
  if (g.roomJoin) v["roomJoin"] = true;
  if (!g.room.empty()) v["room"] = g.room;
  v["canPublish"] = g.canPublish;
  v["canSubscribe"] = g.canSubscribe;
  v["canPublishData"] = g.canPublishData;
  if (g.roomAdmin) v["roomAdmin"] = true;
  if (g.roomCreate) v["roomCreate"] = true;
  if (g.roomList) v["roomList"] = true;
  if (g.roomRecord) v["roomRecord"] = true;
  if (g.hidden) v["hidden"] = true;
  if (g.canUpdateOwnMetadata) v["canUpdateOwnMetadata"] = true;
  return v;
}

std::optional<TokenError> checkTimes(const json& claims, int64_t now, AccessClaims& out) {
  // RFC 7519 §4.1.4 / §4.1.5. LiveKit tokens always carry exp; one without it is refused.
  auto exp = getTime(claims, "exp");
  if (!exp) return unauthorized("token has no expiry (exp)");
  if (now > *exp + kTokenLeewaySec) return unauthorized("token expired");
  auto nbf = getTime(claims, "nbf");
  if (nbf && now + kTokenLeewaySec < *nbf) return unauthorized("token not valid yet (nbf)");
  out.exp = *exp;
  out.nbf = nbf.value_or(0);
  return std::nullopt;
}

std::optional<TokenError> authorizeRoom(const AccessClaims& c, std::string_view room,
                                        bool needPublish) {
  if (!c.video.roomJoin) return forbidden("token does not grant roomJoin");
  if (c.video.room != room) {
    return forbidden("token is for room '" + c.video.room + "', not '" + std::string(room) + "'");
  }
  if (c.identity.empty()) return forbidden("token has no identity (sub)");
  if (needPublish && !c.video.canPublish) return forbidden("token does not grant canPublish");
  if (!needPublish && !c.video.canSubscribe) return forbidden("token does not grant canSubscribe");
  return std::nullopt;
}

}  // namespace

TokenVerifier::TokenVerifier(std::map<std::string, std::string> keys)
    : keys_(keys.begin(), keys.end()) {}

std::variant<AccessClaims, TokenError> TokenVerifier::verify(std::string_view jwt,
                                                             int64_t nowSec) const {
  if (jwt.empty()) return unauthorized("missing access token");
  auto unverified = crypto::decodeUnverifiedClaims(jwt);
  if (!unverified) return unauthorized("malformed access token");
  std::string iss = getString(*unverified, "iss");
  if (iss.empty()) return unauthorized("token has no issuer (iss)");
  auto key = keys_.find(iss);
  if (key == keys_.end()) return unauthorized("unknown API key");
  auto result = crypto::verifyHs256(jwt, key->second);
  if (!result.claims) return unauthorized(crypto::jwtErrorText(result.error));
  const json& claims = *result.claims;
  AccessClaims out;
  if (auto err = checkTimes(claims, nowSec, out)) return *err;
  out.apiKey = iss;
  out.identity = getString(claims, "sub");
  out.name = getString(claims, "name");
  out.metadata = getString(claims, "metadata");
  out.video = parseVideoGrant(claims);
  return out;
}

std::optional<std::string_view> bearerToken(std::string_view header) {
  constexpr std::string_view kScheme = "bearer";
  if (header.size() <= kScheme.size()) return std::nullopt;
  for (size_t i = 0; i < kScheme.size(); ++i) {
    char c = header[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != kScheme[i]) return std::nullopt;
  }
  std::string_view rest = header.substr(kScheme.size());
  if (rest.front() != ' ') return std::nullopt;
  size_t b = rest.find_first_not_of(' ');
  if (b == std::string_view::npos) return std::nullopt;
  rest = rest.substr(b);
  size_t e = rest.find_last_not_of(" \t");
  return rest.substr(0, e + 1);
}

std::optional<TokenError> authorizePublish(const AccessClaims& claims, std::string_view room) {
  return authorizeRoom(claims, room, true);
}

std::optional<TokenError> authorizeSubscribe(const AccessClaims& claims, std::string_view room) {
  return authorizeRoom(claims, room, false);
}

std::string issueToken(const std::string& apiKey, const std::string& secret,
                       const AccessClaims& claims, int64_t ttlSec, int64_t nowSec) {
  json j = json::object();
  j["iss"] = apiKey;
  j["sub"] = claims.identity;
  j["jti"] = claims.identity;  // as livekit-server-sdk does
  j["nbf"] = nowSec;
  j["exp"] = nowSec + ttlSec;
  if (!claims.name.empty()) j["name"] = claims.name;
  if (!claims.metadata.empty()) j["metadata"] = claims.metadata;
  j["video"] = videoGrantJson(claims.video);
  return crypto::signHs256(j, secret);
}

std::string issueToken(const std::string& apiKey, const std::string& secret,
                       const AccessClaims& claims, int64_t ttlSec) {
  return issueToken(apiKey, secret, claims, ttlSec, unixNowSec());
}

int64_t unixNowSec() {
  using namespace std::chrono;
  return duration_cast<seconds>(system_clock::now().time_since_epoch()).count();
}

}  // namespace rc::api
