#include "record/store/spool.h"

#include <fcntl.h>
#include <openssl/rand.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "record/store/local_store.h"

namespace rc::record {
namespace {

std::string randomId() {
  unsigned char b[8];
  RAND_bytes(b, sizeof b);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string id;
  for (unsigned char x : b) {
    id.push_back(kHex[x >> 4]);
    id.push_back(kHex[x & 15]);
  }
  return id;
}

bool writeAll(int fd, const uint8_t* p, size_t n, std::string& error, const std::string& what) {
  while (n > 0) {
    ssize_t w = ::write(fd, p, n);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) {
      error = errnoText(what);
      return false;
    }
    p += w;
    n -= static_cast<size_t>(w);
  }
  return true;
}

}  // namespace

std::string errnoText(const std::string& what) {
  return what + ": " + std::strerror(errno);
}

std::unique_ptr<Spool> Spool::create(const std::string& dir, const JournalState& meta,
                                     std::string& error) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  std::unique_ptr<Spool> s(new Spool());
  std::string base = dir + "/" + randomId();
  s->spoolPath_ = base + ".spool";
  s->journalPath_ = base + ".journal";
  s->spoolFd_ = ::open(s->spoolPath_.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
  if (s->spoolFd_ < 0) {
    error = errnoText("open " + s->spoolPath_);
    return nullptr;
  }
  s->journalFd_ =
      ::open(s->journalPath_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_APPEND | O_CLOEXEC, 0640);
  if (s->journalFd_ < 0) {
    error = errnoText("open " + s->journalPath_);
    return nullptr;
  }
  if (!s->note(journalHeader(meta), true, error)) return nullptr;
  // The new directory entries must survive a crash too.
  int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0) {
    ::fsync(dfd);
    ::close(dfd);
  }
  return s;
}

std::unique_ptr<Spool> Spool::reopen(const std::string& journalPath, std::string& error) {
  std::unique_ptr<Spool> s(new Spool());
  s->journalPath_ = journalPath;
  s->spoolPath_ = journalPath.substr(0, journalPath.size() - 8) + ".spool";
  s->spoolFd_ = ::open(s->spoolPath_.c_str(), O_RDWR | O_CLOEXEC);
  s->journalFd_ = ::open(journalPath.c_str(), O_WRONLY | O_APPEND | O_CLOEXEC);
  if (s->spoolFd_ < 0 || s->journalFd_ < 0) {
    error = errnoText("reopen " + journalPath);
    return nullptr;
  }
  struct stat st {};
  ::fstat(s->spoolFd_, &st);
  s->size_ = static_cast<uint64_t>(st.st_size);
  return s;
}

Spool::~Spool() {
  if (spoolFd_ >= 0) ::close(spoolFd_);
  if (journalFd_ >= 0) ::close(journalFd_);
}

bool Spool::append(std::span<const uint8_t> bytes, std::string& error) {
  if (::lseek(spoolFd_, static_cast<off_t>(size_), SEEK_SET) < 0) {
    error = errnoText("seek " + spoolPath_);
    return false;
  }
  if (!writeAll(spoolFd_, bytes.data(), bytes.size(), error, "write " + spoolPath_)) {
    // Drop a partial write so the spool never holds a torn fragment past size_.
    if (::ftruncate(spoolFd_, static_cast<off_t>(size_)) != 0) error += " (and truncate failed)";
    return false;
  }
  size_ += bytes.size();
  return true;
}

bool Spool::syncAndNote(const std::string& line, std::string& error) {
  if (::fdatasync(spoolFd_) != 0) {
    error = errnoText("fdatasync " + spoolPath_);
    return false;
  }
  return note(line, true, error);
}

bool Spool::note(const std::string& line, bool sync, std::string& error) {
  std::lock_guard lock(journalMutex_);
  if (!writeAll(journalFd_, reinterpret_cast<const uint8_t*>(line.data()), line.size(), error,
                "write " + journalPath_)) {
    return false;
  }
  if (sync && ::fsync(journalFd_) != 0) {
    error = errnoText("fsync " + journalPath_);
    return false;
  }
  return true;
}

bool Spool::read(uint64_t offset, uint64_t length, std::string& out, std::string& error) const {
  out.resize(length);
  uint64_t done = 0;
  while (done < length) {
    ssize_t r =
        ::pread(spoolFd_, out.data() + done, length - done, static_cast<off_t>(offset + done));
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) {
      error = r == 0 ? "spool " + spoolPath_ + " is shorter than its journal"
                     : errnoText("read " + spoolPath_);
      return false;
    }
    done += static_cast<uint64_t>(r);
  }
  return true;
}

bool Spool::truncate(uint64_t length, std::string& error) {
  if (::ftruncate(spoolFd_, static_cast<off_t>(length)) != 0 || ::fsync(spoolFd_) != 0) {
    error = errnoText("truncate " + spoolPath_);
    return false;
  }
  size_ = length;
  return true;
}

RecoveredSpool reopenForRecovery(const std::string& journalPath, bool local) {
  RecoveredSpool r;
  r.spool = Spool::reopen(journalPath, r.error);
  if (!r.spool) return r;
  std::ifstream in(journalPath);
  r.state = parseJournal(std::string(std::istreambuf_iterator<char>(in), {}));
  if (!r.state.valid || r.state.local != local || !isSafeKey(r.state.key)) {
    r.error = "not a " + std::string(local ? "local" : "S3") + " recording journal";
    r.spool.reset();
  }
  return r;
}

void Spool::removeFiles() {
  ::unlink(spoolPath_.c_str());
  ::unlink(journalPath_.c_str());
}

}  // namespace rc::record
