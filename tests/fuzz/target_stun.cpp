// Fuzz target: the ICE-lite responder (RFC 8489 message parsing and integrity
// checks through libnice's codec, RFC 8445 §7.3 response building) with fixed
// credentials, so inputs that carry the right USERNAME reach the HMAC check.
#include <cstdint>
#include <cstdlib>
#include <span>

#include "engine/stun/ice_lite.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static rc::stun::IceLiteResponder responder;
  static const rc::stun::Credentials creds{"fuzzufrg", "fuzz-password-0123456789", nullptr};
  static const rc::stun::IceLiteResponder::Lookup lookup =
      [](std::string_view ufrag) -> const rc::stun::Credentials* {
    return ufrag == creds.localUfrag ? &creds : nullptr;
  };
  static const auto from = rc::io::SocketAddress::ipv4("127.0.0.1", 5000);
  uint8_t out[512];
  auto r = responder.handle({data, size}, from, lookup, out);
  if (r.outcome == rc::stun::StunOutcome::Response &&
      (r.responseLength == 0 || r.responseLength > sizeof(out))) {
    std::abort();
  }
  return 0;
}
