// Fuzz target "janus_reply": bytes -> JSON -> every check ringcast-bench's Janus client applies
// to a Janus reply or event (bench/loadgen/janus_messages.cpp). Errors must be exceptions of
// std::runtime_error (or nlohmann's json exceptions for wrongly typed fields), nothing else.
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>

#include "bench/loadgen/janus_signaling.h"

namespace {

using nlohmann::json;
namespace janus = rc::bench::janus;

template <typename Call>
void guarded(Call call) {
  try {
    call();
  } catch (const std::runtime_error&) {
  } catch (const json::exception&) {
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  json reply = json::parse(text, nullptr, false);
  guarded([&] { janus::parseHandle(text); });
  guarded([&] { (void)janus::offerAsDtlsClient(text); });
  if (reply.is_discarded()) return 0;
  guarded([&] { janus::createdId(reply); });
  guarded([&] { janus::pluginData(reply, {janus::kRoomExists}); });
  guarded([&] { janus::answersTransaction(reply, "rcb1"); });
  guarded([&] { janus::jsepSdp(reply, "answer"); });
  guarded([&] { janus::jsepSdp(reply, "offer"); });
  guarded([&] {
    if (reply.is_object())
      janus::publisherIds(reply.value("plugindata", json::object()).value("data", json::object()));
  });
  return 0;
}
