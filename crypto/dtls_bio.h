// Internal: an OpenSSL BIO that carries exactly one datagram per read and per write, so DTLS
// record boundaries survive without sockets (BIO_s_dgram_mem only exists from OpenSSL 3.2).
#pragma once

#include <openssl/types.h>

#include <cstdint>
#include <functional>
#include <span>

namespace rc::crypto::detail {

struct DatagramIo {
  std::span<const uint8_t> inbound;  // datagram waiting to be read by OpenSSL (one read)
  const std::function<void(std::span<const uint8_t>)>* send = nullptr;  // outbound sink
};

// New BIO reading from / writing to `io` (not owned; must outlive the BIO). nullptr on failure.
BIO* newDatagramBio(DatagramIo* io);

}  // namespace rc::crypto::detail
