#include "bench/loadgen/ice_controller.h"

#include <stun/stunagent.h>
#include <stun/usages/ice.h>

#include <cstring>
#include <random>

namespace rc::bench {
namespace {

// RFC 8445 §5.1.2.1: host candidate, local preference 65535, component 1; a peer-reflexive
// priority is what we would be learned as (type preference 110).
constexpr uint32_t kPrflxPriority = (110u << 24) | (65535u << 8) | (256u - 1u);

struct PasswordLookup {
  const std::string* localUfrag;
  const std::string* localPwd;
};

// Requests from the server carry USERNAME "ourUfrag:theirUfrag" keyed with our password
// (RFC 8445 §7.2.2).
bool validateUsername(StunAgent*, StunMessage*, uint8_t* username, uint16_t usernameLen,
                      uint8_t** password, size_t* passwordLen, void* userData) {
  auto* lookup = static_cast<PasswordLookup*>(userData);
  std::string_view name(reinterpret_cast<const char*>(username), usernameLen);
  if (name.substr(0, name.find(':')) != *lookup->localUfrag) return false;
  *password = reinterpret_cast<uint8_t*>(const_cast<char*>(lookup->localPwd->data()));
  *passwordLen = lookup->localPwd->size();
  return true;
}

}  // namespace

IceController::IceController(std::string localUfrag, std::string localPwd, std::string remoteUfrag,
                             std::string remotePwd)
    : agent_(std::make_unique<StunAgent>()),
      localUfrag_(std::move(localUfrag)),
      localPwd_(std::move(localPwd)),
      username_(remoteUfrag + ":" + localUfrag_),
      remotePwd_(std::move(remotePwd)) {
  static const uint16_t kKnownAttributes[] = {STUN_ATTRIBUTE_USERNAME,
                                              STUN_ATTRIBUTE_MESSAGE_INTEGRITY,
                                              STUN_ATTRIBUTE_FINGERPRINT,
                                              STUN_ATTRIBUTE_PRIORITY,
                                              STUN_ATTRIBUTE_USE_CANDIDATE,
                                              STUN_ATTRIBUTE_ICE_CONTROLLED,
                                              STUN_ATTRIBUTE_ICE_CONTROLLING,
                                              STUN_ATTRIBUTE_XOR_MAPPED_ADDRESS,
                                              0};
  stun_agent_init(agent_.get(), kKnownAttributes, STUN_COMPATIBILITY_RFC5389,
                  static_cast<StunAgentUsageFlags>(STUN_AGENT_USAGE_SHORT_TERM_CREDENTIALS |
                                                   STUN_AGENT_USAGE_USE_FINGERPRINT));
  static thread_local std::mt19937_64 rng{std::random_device{}()};
  tieBreaker_ = rng();
}

IceController::~IceController() = default;

size_t IceController::buildCheck(std::span<uint8_t> out, bool nominate) noexcept {
  if (pending_) stun_agent_forget_transaction(agent_.get(), pendingId_);
  StunMessage msg{};
  size_t len = stun_usage_ice_conncheck_create(
      agent_.get(), &msg, out.data(), out.size(),
      reinterpret_cast<const uint8_t*>(username_.data()), username_.size(),
      reinterpret_cast<const uint8_t*>(remotePwd_.data()), remotePwd_.size(), nominate,
      /*controlling=*/true, kPrflxPriority, tieBreaker_, nullptr,
      STUN_USAGE_ICE_COMPATIBILITY_RFC5245);
  if (len == 0) return 0;
  stun_message_id(&msg, pendingId_);
  pending_ = true;
  pendingCheckLength_ = len <= pendingCheck_.size() ? len : 0;
  std::memcpy(pendingCheck_.data(), out.data(), pendingCheckLength_);
  return len;
}

size_t IceController::retransmitCheck(std::span<uint8_t> out) const noexcept {
  if (!pending_ || pendingCheckLength_ == 0 || out.size() < pendingCheckLength_) return 0;
  std::memcpy(out.data(), pendingCheck_.data(), pendingCheckLength_);
  return pendingCheckLength_;
}

IceController::Outcome IceController::handle(std::span<uint8_t> datagram,
                                             const sockaddr_storage& from, socklen_t fromLength,
                                             std::span<uint8_t> reply,
                                             size_t& replyLength) noexcept {
  replyLength = 0;
  StunMessage msg{};
  PasswordLookup lookup{&localUfrag_, &localPwd_};
  StunValidationStatus status = stun_agent_validate(agent_.get(), &msg, datagram.data(),
                                                    datagram.size(), validateUsername, &lookup);
  if (status != STUN_VALIDATION_SUCCESS) return Outcome::Ignored;
  if (stun_message_get_method(&msg) != STUN_BINDING) return Outcome::Ignored;
  switch (stun_message_get_class(&msg)) {
    case STUN_RESPONSE:
      pending_ = false;
      return Outcome::Success;
    case STUN_ERROR:
      pending_ = false;
      return Outcome::Failure;
    case STUN_REQUEST: {
      StunMessage response{};
      size_t len = reply.size();
      bool controlling = true;
      StunUsageIceReturn r = stun_usage_ice_conncheck_create_reply(
          agent_.get(), &msg, &response, reply.data(), &len,
          reinterpret_cast<const sockaddr_storage*>(&from), fromLength, &controlling, tieBreaker_,
          STUN_USAGE_ICE_COMPATIBILITY_RFC5245);
      if ((r != STUN_USAGE_ICE_RETURN_SUCCESS && r != STUN_USAGE_ICE_RETURN_ROLE_CONFLICT) ||
          len == 0)
        return Outcome::Ignored;
      replyLength = len;
      return Outcome::Reply;
    }
    default:
      return Outcome::Ignored;
  }
}

}  // namespace rc::bench
