// Fuzz target "http": bytes -> Beast request parser -> router -> WHIP/WHEP handlers (fake
// engine), and the same bytes as an access token to the verifier. Corpus files for the token
// path are plain JWT strings; the HTTP path gets every input too. Every request also goes
// through the operations layer twice: once serving (request ids, per-IP rate limit -> 429,
// /readyz, /metrics) and once draining (admission routes -> 503).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <spdlog/spdlog.h>

#include "api/http_server.h"
#include "api/ops_routes.h"
#include "api/token.h"
#include "api/whip_handlers.h"

namespace {

using namespace rc::api;

// Key and clock shared with the seed corpus (tokens in corpus/http were made with them).
constexpr int64_t kFuzzNow = 1'700'000'000;

class FuzzEngine : public MediaEngine {
 public:
  OfferOutcome publish(const PublishRequest& r) override { return outcome(r.offerSdp); }
  OfferOutcome play(const PlayRequest& r) override { return outcome(r.offerSdp); }
  int patch(const std::string&, const std::string& id, const std::string& f) override {
    return id == "s1" ? (f.empty() ? 400 : 204) : 404;
  }
  bool remove(const std::string&, const std::string& id) override { return id == "s1"; }
  OfferOutcome renegotiate(const std::string&, const std::string& id,
                           const std::string& sdp) override {
    if (id != "s1") return {404, "no such session", "", ""};
    OfferOutcome out = outcome(sdp);
    if (out.status == 201) out.status = 200;
    return out;
  }
  EngineStats stats() const override { return {}; }
  void stop() override {}

 private:
  static OfferOutcome outcome(const std::string& sdp) {
    if (sdp.rfind("v=0", 0) != 0) return {400, "not an SDP offer", "", ""};
    return {201, "", "v=0\r\n", "s1/\"x y"};  // odd characters exercise URL/ETag encoding
  }
};

Config fuzzConfig() {
  Config c;
  c.keys = {{"APIfuzz", "fuzzsecret"}};
  c.dev = true;
  c.limits.joinPerMinutePerIp = 4;  // reached quickly: the 429 path is exercised
  return c;
}

struct Harness {
  Harness() {
    spdlog::set_level(spdlog::level::off);  // handlers log every session
    ApiContext ctx{engine, verifier, config, [] { return kFuzzNow; }};
    addAllRoutes(router, ctx);
    for (auto* r : {&serving, &draining}) {
      auto& ops = r == &serving ? servingOps : drainingOps;
      addServiceRoutes(*r, ctx, ops);
      addWhipWhepRoutes(*r, ctx);
      installOpsHooks(*r, ops);
    }
    drainingOps->drain.begin(std::chrono::steady_clock::now());
  }
  Config config = fuzzConfig();
  FuzzEngine engine;
  TokenVerifier verifier{{{"APIfuzz", "fuzzsecret"}}};
  Router router, serving, draining;
  std::shared_ptr<OpsState> servingOps = std::make_shared<OpsState>(config);
  std::shared_ptr<OpsState> drainingOps = std::make_shared<OpsState>(config);
};

void checkResponse(const std::string& response) {
  if (response.rfind("HTTP/1.1 ", 0) != 0 && response.rfind("HTTP/1.0 ", 0) != 0) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static Harness* h = new Harness();
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  checkResponse(serveRawRequest(h->router, bytes, 64 * 1024));
  checkResponse(serveRawRequest(h->serving, bytes, 64 * 1024));
  std::string drained = serveRawRequest(h->draining, bytes, 64 * 1024);
  checkResponse(drained);
  // Draining never admits: a WHIP/WHEP POST is refused before it reaches the engine.
  if (drained.find("\r\nLocation: ") != std::string::npos) __builtin_trap();
  auto result = h->verifier.verify(bytes, kFuzzNow);
  if (auto* claims = std::get_if<AccessClaims>(&result)) {
    (void)authorizePublish(*claims, claims->video.room);
    (void)authorizeSubscribe(*claims, "room");
  }
  (void)bearerToken(bytes);
  return 0;
}
