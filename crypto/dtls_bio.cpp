#include "crypto/dtls_bio.h"

#include <openssl/bio.h>

#include <algorithm>
#include <cstring>
#include <mutex>

namespace rc::crypto::detail {
namespace {

DatagramIo* ioOf(BIO* bio) {
  return static_cast<DatagramIo*>(BIO_get_data(bio));
}

// Hands the whole pending datagram to OpenSSL in one read; DTLS always offers a buffer of
// the maximum record size, a larger (bogus) datagram is truncated and fails record parsing.
int bioRead(BIO* bio, char* out, int outLen) {
  BIO_clear_retry_flags(bio);
  DatagramIo* io = ioOf(bio);
  if (io == nullptr || io->inbound.empty() || outLen <= 0) {
    BIO_set_retry_read(bio);
    return -1;
  }
  size_t n = std::min(io->inbound.size(), static_cast<size_t>(outLen));
  std::memcpy(out, io->inbound.data(), n);
  io->inbound = {};
  return static_cast<int>(n);
}

// Each write is one datagram (OpenSSL buffers a flight and flushes at most one MTU at a
// time). Without a sink the datagram is dropped; the retransmission timer recovers.
int bioWrite(BIO* bio, const char* data, int len) {
  BIO_clear_retry_flags(bio);
  DatagramIo* io = ioOf(bio);
  if (len <= 0) return 0;
  if (io != nullptr && io->send != nullptr && *io->send) {
    try {
      (*io->send)(std::span(reinterpret_cast<const uint8_t*>(data), static_cast<size_t>(len)));
    } catch (...) {
      // A throwing sink is treated as a lost datagram; never unwind through OpenSSL.
    }
  }
  return len;
}

long bioCtrl(BIO* bio, int cmd, long num, void* ptr) {
  switch (cmd) {
    case BIO_CTRL_FLUSH:
      return 1;
    case BIO_CTRL_DGRAM_GET_MTU_OVERHEAD:  // we deal in UDP payloads: no overhead
    case BIO_CTRL_DGRAM_QUERY_MTU:         // never queried (SSL_OP_NO_QUERY_MTU)
    case BIO_CTRL_WPENDING:
    case BIO_CTRL_PENDING:
    default:
      return 0;
  }
}

int bioCreate(BIO* bio) {
  BIO_set_init(bio, 1);
  BIO_set_data(bio, nullptr);
  return 1;
}

int bioDestroy(BIO* bio) {
  if (bio == nullptr) return 0;
  BIO_set_data(bio, nullptr);
  return 1;
}

BIO_METHOD* datagramMethod() {
  static BIO_METHOD* method = nullptr;
  static std::once_flag once;
  std::call_once(once, [] {
    BIO_METHOD* m = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK, "rc datagram");
    if (m == nullptr) return;
    BIO_meth_set_read(m, bioRead);
    BIO_meth_set_write(m, bioWrite);
    BIO_meth_set_ctrl(m, bioCtrl);
    BIO_meth_set_create(m, bioCreate);
    BIO_meth_set_destroy(m, bioDestroy);
    method = m;  // process lifetime, never freed
  });
  return method;
}

}  // namespace

BIO* newDatagramBio(DatagramIo* io) {
  BIO_METHOD* method = datagramMethod();
  if (method == nullptr) return nullptr;
  BIO* bio = BIO_new(method);
  if (bio != nullptr) BIO_set_data(bio, io);
  return bio;
}

}  // namespace rc::crypto::detail
