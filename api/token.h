// LiveKit-format access tokens: HS256 JWTs whose claims are
//   iss = API key, sub = participant identity, name, metadata, nbf, exp, jti,
//   video = { roomJoin, room, canPublish, canSubscribe, canPublishData, roomAdmin,
//             roomCreate, roomList, roomRecord, hidden, canUpdateOwnMetadata }.
// Tokens minted by livekit-server-sdk's AccessToken are accepted as they are.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

namespace rc::api {

struct VideoGrant {
  bool roomJoin = false;
  std::string room;
  // LiveKit: absent canPublish / canSubscribe mean true; absent canPublishData means true.
  bool canPublish = true;
  bool canSubscribe = true;
  bool canPublishData = true;
  bool roomAdmin = false;
  bool roomCreate = false;
  bool roomList = false;
  bool roomRecord = false;
  bool hidden = false;
  bool canUpdateOwnMetadata = false;
};

struct AccessClaims {
  std::string identity;  // "sub"
  std::string name;
  std::string metadata;
  VideoGrant video;
  int64_t exp = 0;  // seconds since the epoch
  int64_t nbf = 0;
  std::string apiKey;  // "iss"; filled in by TokenVerifier::verify
};

struct TokenError {
  int status = 401;
  std::string reason;
};

// Allowed clock skew between the token issuer and this server, applied to both exp and nbf.
// LiveKit tolerates small skews; 10 s covers NTP-synchronised hosts without extending a
// token's life noticeably.
inline constexpr int64_t kTokenLeewaySec = 10;

class TokenVerifier {
 public:
  explicit TokenVerifier(std::map<std::string, std::string> keys);  // API key -> secret
  // 401 for a missing, malformed, wrongly signed, unknown-key, expired or not-yet-valid token.
  std::variant<AccessClaims, TokenError> verify(std::string_view jwt, int64_t nowSec) const;
  bool empty() const { return keys_.empty(); }

 private:
  std::map<std::string, std::string, std::less<>> keys_;
};

// Extracts the token from an "Authorization: Bearer <token>" header value (RFC 6750 §2.1).
std::optional<std::string_view> bearerToken(std::string_view authorizationHeader);

// Checks that the claims allow a WHIP publish (roomJoin, room == `room`, canPublish) or a WHEP
// play (roomJoin, room == `room`, canSubscribe). Returns a 403 TokenError when not.
std::optional<TokenError> authorizePublish(const AccessClaims& claims, std::string_view room);
std::optional<TokenError> authorizeSubscribe(const AccessClaims& claims, std::string_view room);

// Mints a LiveKit-compatible token: nbf = now, exp = now + ttlSec (claims.exp/nbf ignored).
std::string issueToken(const std::string& apiKey, const std::string& secret,
                       const AccessClaims& claims, int64_t ttlSec, int64_t nowSec);
std::string issueToken(const std::string& apiKey, const std::string& secret,
                       const AccessClaims& claims, int64_t ttlSec);

int64_t unixNowSec();

}  // namespace rc::api
