// One ICE connectivity check answered by the ICE-lite responder (engine/stun): validate
// MESSAGE-INTEGRITY/FINGERPRINT of a browser-style Binding request and write the
// success response. The request is built once with libnice's ICE usage.
#include <benchmark/benchmark.h>
#include <stun/stunagent.h>
#include <stun/usages/ice.h>

#include <string>

#include "engine/stun/ice_lite.h"

namespace rc::bench {
namespace {

size_t bindingRequest(uint8_t* buf, size_t cap, const std::string& user, const std::string& pwd) {
  StunAgent agent{};
  stun_agent_init(&agent, STUN_ALL_KNOWN_ATTRIBUTES, STUN_COMPATIBILITY_RFC5389,
                  static_cast<StunAgentUsageFlags>(STUN_AGENT_USAGE_SHORT_TERM_CREDENTIALS |
                                                   STUN_AGENT_USAGE_USE_FINGERPRINT));
  StunMessage msg{};
  return stun_usage_ice_conncheck_create(
      &agent, &msg, buf, cap, reinterpret_cast<const uint8_t*>(user.data()), user.size(),
      reinterpret_cast<const uint8_t*>(pwd.data()), pwd.size(), true, true, 12345,
      0x1122334455667788ull, nullptr, STUN_USAGE_ICE_COMPATIBILITY_RFC5245);
}

void BM_StunBindingRequest(benchmark::State& state) {
  stun::IceLiteResponder responder;
  stun::Credentials creds{"srvufrag", "server-password-0123456789", nullptr};
  stun::IceLiteResponder::Lookup lookup = [&](std::string_view u) -> const stun::Credentials* {
    return u == creds.localUfrag ? &creds : nullptr;
  };
  auto from = io::SocketAddress::ipv4("127.0.0.1", 40000);
  uint8_t req[512], resp[512];
  size_t n = bindingRequest(req, sizeof(req), "srvufrag:cli", creds.localPwd);
  for (auto _ : state) {
    auto r = responder.handle({req, n}, from, lookup, resp);
    if (r.outcome != stun::StunOutcome::Response) {
      state.SkipWithError("request not answered");
      break;
    }
    benchmark::DoNotOptimize(r);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_StunBindingRequest);

}  // namespace
}  // namespace rc::bench
