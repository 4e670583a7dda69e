// ICE-lite responder (RFC 8445 §2.5, §7.3): answers STUN Binding requests with
// short-term credentials (RFC 8489 §9.1) using libnice's STUN codec. The server is
// always the controlled agent and never sends checks of its own.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>

#include "io/socket_address.h"

struct stun_agent_t;

namespace rc::stun {

// Local credentials of one transport, looked up by our ufrag (the part of the
// USERNAME before ':' in a request, RFC 8445 §7.2.2).
struct Credentials {
  std::string localUfrag;
  std::string localPwd;
  void* owner = nullptr;  // the transport these belong to
};

enum class StunOutcome {
  Response,      // a success response was written
  NotStun,       // not a STUN message
  NotRequest,    // a response or indication: ignored
  UnknownUser,   // no transport for this ufrag
  BadIntegrity,  // MESSAGE-INTEGRITY or FINGERPRINT wrong
  BadRequest,    // malformed, missing USERNAME, role conflict we cannot answer
};

struct StunResult {
  StunOutcome outcome = StunOutcome::NotStun;
  size_t responseLength = 0;
  bool useCandidate = false;  // USE-CANDIDATE present (RFC 8445 §7.3.1.5)
  const Credentials* credentials = nullptr;
};

class IceLiteResponder {
 public:
  using Lookup = std::function<const Credentials*(std::string_view localUfrag)>;

  IceLiteResponder();
  ~IceLiteResponder();
  IceLiteResponder(const IceLiteResponder&) = delete;
  IceLiteResponder& operator=(const IceLiteResponder&) = delete;

  // Validates `request` against the credentials returned by `lookup`, and writes a
  // Binding success response with XOR-MAPPED-ADDRESS = `from`, MESSAGE-INTEGRITY
  // and FINGERPRINT into `out`.
  StunResult handle(std::span<const uint8_t> request, const io::SocketAddress& from,
                    const Lookup& lookup, std::span<uint8_t> out) noexcept;

 private:
  stun_agent_t* agent_;
};

}  // namespace rc::stun
