#include "engine/stun/ice_lite.h"

#include <stun/stunagent.h>
#include <stun/usages/ice.h>

#include <cstring>
#include <vector>

namespace rc::stun {
namespace {

struct ValidationContext {
  const IceLiteResponder::Lookup* lookup;
  const Credentials* found = nullptr;
};

// libnice calls this with the USERNAME attribute; short-term credentials use our
// password as the HMAC key (RFC 8489 §9.1.2).
bool validateUsername(StunAgent*, StunMessage*, uint8_t* username, uint16_t usernameLen,
                      uint8_t** password, size_t* passwordLen, void* userData) {
  auto* ctx = static_cast<ValidationContext*>(userData);
  std::string_view name(reinterpret_cast<const char*>(username), usernameLen);
  size_t colon = name.find(':');
  if (colon == std::string_view::npos) return false;
  const Credentials* creds = (*ctx->lookup)(name.substr(0, colon));
  if (!creds) return false;
  ctx->found = creds;
  *password = reinterpret_cast<uint8_t*>(const_cast<char*>(creds->localPwd.data()));
  *passwordLen = creds->localPwd.size();
  return true;
}

StunOutcome outcomeOf(StunValidationStatus status, const ValidationContext& ctx) {
  switch (status) {
    case STUN_VALIDATION_SUCCESS:
      return StunOutcome::Response;
    case STUN_VALIDATION_NOT_STUN:
    case STUN_VALIDATION_INCOMPLETE_STUN:
      return StunOutcome::NotStun;
    case STUN_VALIDATION_UNAUTHORIZED:
      return ctx.found ? StunOutcome::BadIntegrity : StunOutcome::UnknownUser;
    case STUN_VALIDATION_UNMATCHED_RESPONSE:
      return StunOutcome::NotRequest;
    default:
      return StunOutcome::BadRequest;
  }
}

}  // namespace

IceLiteResponder::IceLiteResponder() : agent_(new StunAgent{}) {
  static const uint16_t kKnownAttributes[] = {
      STUN_ATTRIBUTE_USERNAME,        STUN_ATTRIBUTE_MESSAGE_INTEGRITY,
      STUN_ATTRIBUTE_FINGERPRINT,     STUN_ATTRIBUTE_PRIORITY,
      STUN_ATTRIBUTE_USE_CANDIDATE,   STUN_ATTRIBUTE_ICE_CONTROLLED,
      STUN_ATTRIBUTE_ICE_CONTROLLING, 0};
  stun_agent_init(agent_, kKnownAttributes, STUN_COMPATIBILITY_RFC5389,
                  static_cast<StunAgentUsageFlags>(STUN_AGENT_USAGE_SHORT_TERM_CREDENTIALS |
                                                   STUN_AGENT_USAGE_USE_FINGERPRINT));
}

IceLiteResponder::~IceLiteResponder() {
  delete agent_;
}

StunResult IceLiteResponder::handle(std::span<const uint8_t> request, const io::SocketAddress& from,
                                    const Lookup& lookup, std::span<uint8_t> out) noexcept {
  StunResult result;
  if (request.size() < 20 || request.size() > 1500) return result;
  // libnice takes a mutable pointer but does not modify a request it validates.
  uint8_t copy[1500];
  std::memcpy(copy, request.data(), request.size());
  StunMessage req{};
  ValidationContext ctx{&lookup};
  StunValidationStatus status =
      stun_agent_validate(agent_, &req, copy, request.size(), validateUsername, &ctx);
  result.outcome = outcomeOf(status, ctx);
  result.credentials = ctx.found;
  if (result.outcome != StunOutcome::Response) return result;
  if (stun_message_get_class(&req) != STUN_REQUEST ||
      stun_message_get_method(&req) != STUN_BINDING) {
    result.outcome = stun_message_get_class(&req) == STUN_REQUEST ? StunOutcome::BadRequest
                                                                  : StunOutcome::NotRequest;
    return result;
  }
  result.useCandidate =
      stun_message_find_flag(&req, STUN_ATTRIBUTE_USE_CANDIDATE) == STUN_MESSAGE_RETURN_SUCCESS;
  StunMessage msg{};
  size_t len = out.size();
  bool controlling = false;  // ICE-lite agents are always controlled (RFC 8445 §6.1.1)
  StunUsageIceReturn r = stun_usage_ice_conncheck_create_reply(
      agent_, &req, &msg, out.data(), &len, &from.storage, from.length, &controlling, 0,
      STUN_USAGE_ICE_COMPATIBILITY_RFC5245);
  if (r != STUN_USAGE_ICE_RETURN_SUCCESS || len == 0) {
    result.outcome = StunOutcome::BadRequest;
    return result;
  }
  result.responseLength = len;
  return result;
}

}  // namespace rc::stun
