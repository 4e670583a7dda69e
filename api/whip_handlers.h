// HTTP routes of the daemon: WHIP (RFC 9725) publish, WHEP play, health, demo page and
// the development token endpoint.
#pragma once

#include <cstdint>
#include <functional>

#include "api/config.h"
#include "api/media_engine.h"
#include "api/router.h"
#include "api/token.h"

namespace rc::api {

class Recorder;

class WebhookNotifier;

// Everything the handlers use; all referenced objects must outlive the Router.
struct ApiContext {
  MediaEngine& engine;
  const TokenVerifier& verifier;
  const Config& config;
  std::function<int64_t()> nowSec = unixNowSec;
  const WebhookNotifier* webhooks = nullptr;  // null when no webhook URL is configured
  Recorder* recorder = nullptr;               // null: recording answers 501
};

// POST /whip/{room}, PATCH|DELETE /whip/{room}/{id}, and the same under /whep (with
// ?participant=<identity>). All with CORS.
void addWhipWhepRoutes(Router& router, const ApiContext& ctx);
// GET /healthz, GET / (demo page), GET /api/dev-token (only when config.dev).
void addServiceRoutes(Router& router, const ApiContext& ctx);
// Both of the above.
void addAllRoutes(Router& router, const ApiContext& ctx);

// true when the Content-Type value names `mediaType` (case-insensitive, parameters ignored).
bool hasMediaType(std::optional<std::string_view> contentType, std::string_view mediaType);

}  // namespace rc::api
