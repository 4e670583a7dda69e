#include <cstdlib>
#include <stdexcept>
#include <string_view>

#include "io/io_backend.h"

namespace rc::io {

BackendKind parseBackendKind(const std::string& name) {
  if (name.empty() || name == "auto") return BackendKind::Auto;
  if (name == "io_uring" || name == "uring") return BackendKind::IoUring;
  if (name == "mmsg" || name == "recvmmsg") return BackendKind::Mmsg;
  throw std::invalid_argument("unknown io backend '" + name + "' (auto, io_uring, mmsg)");
}

bool udpGsoWanted() noexcept {
  const char* v = std::getenv("RINGCAST_UDP_GSO");
  if (!v) return true;
  std::string_view s(v);
  return !(s == "0" || s == "off" || s == "false" || s == "no");
}

std::unique_ptr<IoBackend> createIoBackend(BackendKind kind, int fd, std::string* why) {
  if (kind == BackendKind::Mmsg) return createMmsgBackend(fd);
  std::string error;
  auto uring = createUringBackend(fd, &error);
  if (uring) return uring;
  if (kind == BackendKind::IoUring) throw std::runtime_error("io_uring unavailable: " + error);
  if (why) *why = "io_uring unavailable (" + error + "), using recvmmsg/sendmmsg";
  return createMmsgBackend(fd);
}

}  // namespace rc::io
