// Fuzz target: the load generator's handling of server SDP (parseRemote, buildAnswer). Both may
// throw std::runtime_error for bad input; nothing else may go wrong.
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>

#include "bench/loadgen/sdp_offer.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  try {
    rc::bench::parseRemote(text);
  } catch (const std::runtime_error&) {
  }
  rc::bench::LocalMedia local;
  local.iceUfrag = "fuzz";
  local.icePwd = "fuzzfuzzfuzzfuzzfuzzfuzz";
  local.fingerprintSha256 = "00:11";
  try {
    rc::bench::buildAnswer(text, local);
  } catch (const std::runtime_error&) {
  }
  return 0;
}
