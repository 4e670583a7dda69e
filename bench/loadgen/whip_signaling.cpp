// WHIP (RFC 9725) publish and WHEP play against ringcast, with LiveKit-format access tokens.
#include <stdexcept>

#include "api/token.h"
#include "bench/loadgen/http_client.h"
#include "bench/loadgen/signaling.h"

namespace rc::bench {
namespace {

constexpr int64_t kTokenTtlSec = 6 * 3600;

class WhipSignaling final : public Signaling {
 public:
  WhipSignaling(std::string baseUrl, std::string apiKey, std::string apiSecret)
      : base_(std::move(baseUrl)), key_(std::move(apiKey)), secret_(std::move(apiSecret)) {
    while (!base_.empty() && base_.back() == '/') base_.pop_back();
    parseHttpUrl(base_);  // fails early on a bad URL
  }

  Negotiation publish(const std::string& room, const std::string& identity,
                      const std::string& offerSdp) override {
    return post("/whip/" + room, room, identity, offerSdp);
  }

  Negotiation subscribe(const std::string& room, const std::string& identity,
                        const std::string& offerSdp) override {
    return post("/whep/" + room, room, identity, offerSdp);
  }

  Negotiation subscribeTo(const std::string& room, const std::string& identity,
                          const std::string& publisherIdentity,
                          const std::string& offerSdp) override {
    return post("/whep/" + room + "?participant=" + publisherIdentity, room, identity, offerSdp);
  }

  bool receivesWholeRoom() const override { return false; }

  void answer(const Negotiation&, const std::string&) override {
    throw std::runtime_error("WHIP/WHEP servers answer the client's offer; nothing to answer");
  }

  void close(const Negotiation& negotiation) noexcept override {
    if (negotiation.handle.empty()) return;
    try {
      httpRequest({"DELETE", negotiation.handle, {}, {}, {}});
    } catch (...) {
      // Never throws: a server that is gone has ended the session anyway.
    }
  }

 private:
  std::string token(const std::string& room, const std::string& identity) const {
    api::AccessClaims claims;
    claims.identity = identity;
    claims.video.roomJoin = true;
    claims.video.room = room;
    return api::issueToken(key_, secret_, claims, kTokenTtlSec);
  }

  Negotiation post(const std::string& path, const std::string& room, const std::string& identity,
                   const std::string& offerSdp) {
    HttpCall call{"POST",
                  base_ + path,
                  {{"Authorization", "Bearer " + token(room, identity)}},
                  offerSdp,
                  "application/sdp"};
    HttpResult res = httpRequest(call);
    if (res.status != 201) {
      throw std::runtime_error("POST " + path + ": HTTP " + std::to_string(res.status) + ": " +
                               res.body.substr(0, 300));
    }
    std::string location = res.header("Location");
    if (location.empty()) throw std::runtime_error("POST " + path + ": no Location header");
    Negotiation n;
    n.handle = location.rfind("http", 0) == 0 ? location : base_ + location;
    n.remoteSdp = std::move(res.body);
    return n;
  }

  std::string base_, key_, secret_;
};

}  // namespace

std::unique_ptr<Signaling> makeWhipSignaling(const std::string& baseUrl, const std::string& apiKey,
                                             const std::string& apiSecret) {
  return std::make_unique<WhipSignaling>(baseUrl, apiKey, apiSecret);
}

}  // namespace rc::bench
