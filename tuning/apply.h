// `ringcast tune apply`: writes the profile as a sysctl.d file and applies it by writing
// the files under /proc/sys (what `sysctl -p` does), reporting each change.
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

#include "tuning/host_check.h"
#include "tuning/profile.h"

namespace rc::tuning {

inline constexpr const char* kSysctlDir = "/etc/sysctl.d";
inline constexpr const char* kSysctlFileName = "90-ringcast.conf";

struct ApplyOptions {
  std::string procRoot = kProcSys;
  std::string destDir = kSysctlDir;
};

struct ApplyResult {
  std::string filePath;            // the sysctl.d file written
  std::vector<std::string> lines;  // one human-readable line per setting
  int failures = 0;                // settings that could not be brought to the profile
};

// Permission problems and unwritable destinations; the message says what to do.
class ApplyError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The value apply aims for: the profile's, except that a min (max) rule never lowers
// (raises) a host value already beyond it, element by element (udp_mem scales with RAM).
std::string targetValue(const Setting& setting, const std::optional<std::string>& current);

// The sysctl.d file for this host: the profile text with each setting's line set to its
// target value; lines whose target is the host's own value are commented out.
std::string renderSysctlFile(const Profile& profile, const CheckReport& host);

// Needs root when procRoot is the real /proc/sys (throws ApplyError otherwise).
ApplyResult applyProfile(const Profile& profile, const ApplyOptions& options);

}  // namespace rc::tuning
