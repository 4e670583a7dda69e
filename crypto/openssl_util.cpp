#include "crypto/openssl_util.h"

#include <openssl/err.h>

namespace rc::crypto::detail {

std::string opensslError(const std::string& what) {
  std::string out = what;
  char buf[256];
  bool first = true;
  while (unsigned long code = ERR_get_error()) {
    ERR_error_string_n(code, buf, sizeof(buf));
    out += first ? ": " : "; ";
    out += buf;
    first = false;
  }
  return out;
}

}  // namespace rc::crypto::detail
