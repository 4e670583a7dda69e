// Compares the running kernel's sysctl values (files under /proc/sys, or a fake tree for
// tests) with a tuning profile: `ringcast tune check` and the daemon's start-up warning.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "tuning/profile.h"

namespace rc::tuning {

inline constexpr const char* kProcSys = "/proc/sys";

enum class Status {
  Ok,       // matches the rule
  Low,      // below a min rule
  High,     // above a max rule
  Differs,  // exact rule not met, or the values do not have the profile's shape
  Missing,  // the file is absent or unreadable (counts as a difference)
  Absent,   // absent but optional in the profile (kernel without it): not a difference
};

struct Finding {
  Setting setting;
  std::optional<std::string> current;  // normalised; nullopt when it could not be read
  Status status = Status::Ok;
};

struct CheckReport {
  std::string profileName;
  std::string procRoot;
  std::vector<Finding> findings;

  int differing() const;
  bool matches() const { return differing() == 0; }
};

bool isDifference(Status status);
const char* statusName(Status status);  // "ok", "LOW", "HIGH", "DIFFERS", "MISSING", "absent"

// net.core.rmem_max -> <procRoot>/net/core/rmem_max
std::string sysctlPath(const std::string& procRoot, const std::string& key);
// The file's content, whitespace normalised; nullopt when it cannot be read.
std::optional<std::string> readSysctl(const std::string& procRoot, const std::string& key);

// Applies the setting's rule to a current value (numbers compared numerically, element by
// element for lists such as udp_mem; a different element count is Differs).
Status compareValue(const Setting& setting, const std::string& current);

CheckReport checkHost(const Profile& profile, const std::string& procRoot = kProcSys);

// The check table: SETTING, CURRENT, RULE, PROFILE, STATUS, WHY (one row per setting) and a
// closing line saying how many settings differ.
std::string formatReport(const CheckReport& report);

// "3 settings differ from profile sfu (net.core.rmem_max 212992 < 4194304, ...)"; at most
// `listed` settings are named. Empty when the host matches.
std::string summarise(const CheckReport& report, size_t listed = 3);

// The daemon's one-line start-up warning for `tuning.profile` ("off" disables); nullopt when
// the host matches. An unknown profile or unreadable tree is itself reported in the line.
std::optional<std::string> startupWarning(const std::string& profileName,
                                          const std::string& procRoot = kProcSys);

}  // namespace rc::tuning
