// Fuzz target: what a client can send into the DTLS/SRTP layer of a transport.
// Byte 0 picks the path; the rest is split into datagrams by 2-byte big-endian
// length prefixes:
//   0: datagrams into a server-role DtlsSession (RFC 6347 records through our
//      per-datagram BIO adapter into OpenSSL)
//   1: SRTP unprotect (RFC 3711 §3.3, AEAD_AES_128_GCM keys, RFC 7714)
//   2: SRTCP unprotect (RFC 3711 §3.4)
#include <cstdint>
#include <cstring>
#include <span>
#include <vector>

#include "crypto/certificate.h"
#include "crypto/dtls.h"
#include "crypto/srtp_session.h"

namespace {

std::vector<std::span<const uint8_t>> splitDatagrams(std::span<const uint8_t> in) {
  std::vector<std::span<const uint8_t>> out;
  while (in.size() >= 2 && out.size() < 16) {
    size_t n = (size_t(in[0]) << 8) | in[1];
    in = in.subspan(2);
    if (n > in.size()) n = in.size();
    out.push_back(in.first(n));
    in = in.subspan(n);
  }
  return out;
}

rc::crypto::DtlsContext& context() {
  static rc::crypto::DtlsContext ctx(rc::crypto::Certificate::generateEcdsaP256());
  return ctx;
}

rc::crypto::SrtpSession& srtp() {
  static std::unique_ptr<rc::crypto::SrtpSession> s = [] {
    rc::crypto::initSrtpLibrary();
    rc::crypto::SrtpKeys keys{rc::crypto::SrtpProfile::AeadAes128Gcm,
                              std::vector<uint8_t>(28, 0x11), std::vector<uint8_t>(28, 0x22)};
    return rc::crypto::SrtpSession::create(keys);
  }();
  return *s;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  auto datagrams = splitDatagrams({data + 1, size - 1});
  if (data[0] % 3 == 0) {
    rc::crypto::DtlsSession session(context(), rc::crypto::DtlsRole::Server, "");
    auto send = [](std::span<const uint8_t>) {};
    for (auto d : datagrams) session.handleDatagram(d, send);
    return 0;
  }
  for (auto d : datagrams) {
    uint8_t buf[2048];
    if (d.size() > sizeof(buf)) continue;
    std::memcpy(buf, d.data(), d.size());
    size_t len = d.size();
    if (data[0] % 3 == 1) {
      srtp().unprotectRtp(buf, len);
    } else {
      srtp().unprotectRtcp(buf, len);
    }
  }
  return 0;
}
