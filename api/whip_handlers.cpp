// WHIP (RFC 9725) and WHEP handlers. Both create a session on the media engine from an SDP
// offer; the session URL is /whip/{room}/{sessionId} (or /whep/...).
#include "api/whip_handlers.h"

#include "api/app_api.h"
#include "api/logging.h"
#include "api/room_service.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>

namespace rc::api {
namespace {

constexpr std::string_view kSdp = "application/sdp";                      // RFC 9725 §4.2
constexpr std::string_view kSdpFrag = "application/trickle-ice-sdpfrag";  // RFC 8840 §9

struct Auth {
  std::optional<AccessClaims> claims;
  std::optional<HttpResponse> error;
};

HttpResponse tokenError(const TokenError& e) {
  HttpResponse r = HttpResponse::error(e.status, e.reason);
  if (e.status == 401) {
    // RFC 6750 §3
    r.set("WWW-Authenticate", "Bearer realm=\"ringcast\", error=\"invalid_token\"");
  }
  return r;
}

Auth authenticate(const ApiContext& ctx, const HttpRequest& req) {
  auto header = req.header("Authorization");
  if (!header) return {std::nullopt, tokenError({401, "missing access token"})};
  auto token = bearerToken(*header);
  if (!token) return {std::nullopt, tokenError({401, "Authorization must be 'Bearer <token>'"})};
  auto result = ctx.verifier.verify(*token, ctx.nowSec());
  if (auto* err = std::get_if<TokenError>(&result)) return {std::nullopt, tokenError(*err)};
  return {std::get<AccessClaims>(std::move(result)), std::nullopt};
}

using Authorizer = std::optional<TokenError> (*)(const AccessClaims&, std::string_view);

// Session URLs (PATCH/DELETE) are capabilities: the session id is unguessable. A token, if
// the client sends one (RFC 9725 §4.3 recommends it), must still be valid for the room.
std::optional<HttpResponse> checkOptionalAuth(const ApiContext& ctx, const HttpRequest& req,
                                              Authorizer authorize) {
  if (!req.header("Authorization")) return std::nullopt;
  Auth auth = authenticate(ctx, req);
  if (auth.error) return auth.error;
  if (auto err = authorize(*auth.claims, req.param("room"))) return tokenError(*err);
  return std::nullopt;
}

ParticipantPermission permissionOf(const AccessClaims& c) {
  return {c.video.canSubscribe, c.video.canPublish, c.video.canPublishData};
}

std::string etagFor(const std::string& sessionId) {
  return "\"" + percentEncode(sessionId) + "\"";
}

HttpResponse errorFromEngine(int status, const std::string& message, const char* fallback) {
  if (status < 400 || status > 599) {
    spdlog::error("engine returned unexpected status {}: {}", status, message);
    status = 500;
  }
  return HttpResponse::error(status, message.empty() ? fallback : message);
}

HttpResponse offerResponse(std::string_view prefix, const std::string& room,
                           const OfferOutcome& out) {
  if (out.status < 200 || out.status >= 300) {
    return errorFromEngine(out.status, out.error, "offer rejected");
  }
  if (out.sessionId.empty()) return HttpResponse::error(500, "engine returned no session");
  HttpResponse r;
  r.status = 201;  // RFC 9725 §4.2: 201 Created with the session URL in Location
  r.set("Content-Type", std::string(kSdp));
  r.set("Location", std::string(prefix) + percentEncode(room) + "/" + percentEncode(out.sessionId));
  r.set("ETag", etagFor(out.sessionId));
  r.body = out.answerSdp;
  return r;
}

template <typename Call>
HttpResponse handleOffer(const ApiContext& ctx, const HttpRequest& req, Authorizer authorize,
                         Call call) {
  Auth auth = authenticate(ctx, req);
  if (auth.error) return *auth.error;
  if (auto err = authorize(*auth.claims, req.param("room"))) return tokenError(*err);
  if (!hasMediaType(req.header("Content-Type"), kSdp)) {
    return HttpResponse::error(415, "Content-Type must be application/sdp");
  }
  if (req.body.empty()) return HttpResponse::error(400, "empty SDP offer");
  return call(*auth.claims);
}

// One structured line per offer: room, participant, session and the request id that the
// http request line carries too, so a join can be followed across both.
void logOffer(std::string_view what, const HttpRequest& req, const std::string& identity,
              const OfferOutcome& out) {
  logFields(out.status >= 500 ? spdlog::level::warn : spdlog::level::info, what,
            {{"room", req.param("room")},
             {"participant", identity},
             {"session", out.sessionId},
             {"status", std::to_string(out.status)},
             {"error", out.error},
             {"request_id", req.requestId}});
}

HttpResponse whipPost(const ApiContext& ctx, const HttpRequest& req) {
  return handleOffer(ctx, req, authorizePublish, [&](const AccessClaims& c) {
    PublishRequest pr{req.param("room"), c.identity, c.name, req.body, c.metadata, permissionOf(c)};
    OfferOutcome out = ctx.engine.publish(pr);
    logOffer("whip publish", req, c.identity, out);
    return offerResponse("/whip/", pr.room, out);
  });
}

HttpResponse whepPost(const ApiContext& ctx, const HttpRequest& req) {
  return handleOffer(ctx, req, authorizeSubscribe, [&](const AccessClaims& c) {
    PlayRequest pr{req.param("room"), c.identity, req.queryParam("participant"),
                   req.body,          c.name,     c.metadata,
                   permissionOf(c)};
    if (pr.participant && pr.participant->empty()) pr.participant.reset();
    OfferOutcome out = ctx.engine.play(pr);
    logOffer("whep play", req, c.identity, out);
    return offerResponse("/whep/", pr.room, out);
  });
}

// ringcast extension: PATCH with a full SDP offer renegotiates the session's peer
// connection (tracks added in either direction) and answers 200 with the SDP answer.
HttpResponse sessionRenegotiate(const ApiContext& ctx, const HttpRequest& req) {
  if (req.body.empty()) return HttpResponse::error(400, "empty SDP offer");
  OfferOutcome out = ctx.engine.renegotiate(req.param("room"), req.param("id"), req.body);
  if (out.status != 200) return errorFromEngine(out.status, out.error, "renegotiation failed");
  HttpResponse r{200, {}, out.answerSdp};
  r.set("Content-Type", "application/sdp");
  r.set("ETag", etagFor(req.param("id")));
  return r;
}

HttpResponse sessionPatch(const ApiContext& ctx, const HttpRequest& req, Authorizer authorize) {
  if (auto err = checkOptionalAuth(ctx, req, authorize)) return *err;
  if (hasMediaType(req.header("Content-Type"), "application/sdp"))
    return sessionRenegotiate(ctx, req);
  if (!hasMediaType(req.header("Content-Type"), kSdpFrag)) {
    return HttpResponse::error(
        415,
        "Content-Type must be application/trickle-ice-sdpfrag (or application/sdp to renegotiate)");
  }
  std::string id = req.param("id");
  auto ifMatch = req.header("If-Match");  // RFC 9725 §4.3.1: 412 on an entity-tag mismatch
  if (ifMatch && *ifMatch != "*" && *ifMatch != etagFor(id)) {
    return HttpResponse::error(412, "If-Match does not match the session's ETag");
  }
  int status = ctx.engine.patch(req.param("room"), id, req.body);
  if (status >= 200 && status < 300) return HttpResponse{204, {}, {}};
  if (status == 404) return HttpResponse::error(404, "no such session");
  if (status == 400) return HttpResponse::error(400, "malformed ICE fragment");
  return errorFromEngine(status, "", "ICE fragment rejected");
}

HttpResponse sessionDelete(const ApiContext& ctx, const HttpRequest& req, Authorizer authorize) {
  if (auto err = checkOptionalAuth(ctx, req, authorize)) return *err;
  if (!ctx.engine.remove(req.param("room"), req.param("id"))) {
    return HttpResponse::error(404, "no such session");
  }
  return HttpResponse{200, {}, {}};  // RFC 9725 §4.2: 200 OK
}

void addSessionRoutes(Router& router, const ApiContext& ctx, const std::string& base,
                      Authorizer authorize) {
  RouteOptions cors{.cors = true};
  router.add(
      "PATCH", base + "/{room}/{id}",
      [ctx, authorize](const HttpRequest& r) { return sessionPatch(ctx, r, authorize); }, cors);
  router.add(
      "DELETE", base + "/{room}/{id}",
      [ctx, authorize](const HttpRequest& r) { return sessionDelete(ctx, r, authorize); }, cors);
}

}  // namespace

bool hasMediaType(std::optional<std::string_view> contentType, std::string_view mediaType) {
  if (!contentType) return false;
  std::string_view v = *contentType;
  v = v.substr(0, v.find(';'));  // RFC 9110 §8.3.1: type/subtype *( ; parameter )
  while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.remove_suffix(1);
  while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
  return v.size() == mediaType.size() &&
         std::equal(v.begin(), v.end(), mediaType.begin(), [](char a, char b) {
           return std::tolower(static_cast<unsigned char>(a)) == b;
         });
}

void addWhipWhepRoutes(Router& router, const ApiContext& ctx) {
  RouteOptions join{.cors = true, .admission = true};  // drain and rate limit apply
  router.add(
      "POST", "/whip/{room}", [ctx](const HttpRequest& r) { return whipPost(ctx, r); }, join);
  router.add(
      "POST", "/whep/{room}", [ctx](const HttpRequest& r) { return whepPost(ctx, r); }, join);
  addSessionRoutes(router, ctx, "/whip", authorizePublish);
  addSessionRoutes(router, ctx, "/whep", authorizeSubscribe);
}

void addAllRoutes(Router& router, const ApiContext& ctx) {
  addServiceRoutes(router, ctx);
  addWhipWhepRoutes(router, ctx);
  addRoomServiceRoutes(router, ctx);
  addAppApiRoutes(router, ctx);
}

}  // namespace rc::api
