#include "tuning/apply.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace rc::tuning {
namespace {

std::string joinNumbers(const std::vector<int64_t>& v) {
  std::string out;
  for (int64_t x : v) out += (out.empty() ? "" : " ") + std::to_string(x);
  return out;
}

const Finding* findingAtLine(const CheckReport& host, int line) {
  for (const Finding& f : host.findings) {
    if (f.setting.line == line) return &f;
  }
  return nullptr;
}

std::string renderLine(const Finding& f) {
  std::string target = targetValue(f.setting, f.current);
  std::string key = (f.setting.optional ? "-" : "") + f.setting.key;
  if (target == f.setting.value) return key + " = " + target;
  if (f.current && target == *f.current) {
    return "# not lowered, the host already has " + target + ":\n# " + key + " = " +
           f.setting.value;
  }
  return "# profile " + f.setting.value + " merged with the host's " + f.current.value_or("") +
         ":\n" + key + " = " + target;
}

void writeFileAtomically(const std::string& path, const std::string& text) {
  std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << text;
    if (!out.flush()) throw ApplyError("cannot write '" + tmp + "': " + std::strerror(errno));
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) throw ApplyError("cannot write '" + path + "': " + ec.message());
}

// Writes one /proc/sys file; returns an error message, empty on success.
std::string writeSysctl(const std::string& procRoot, const std::string& key,
                        const std::string& value) {
  std::ofstream out(sysctlPath(procRoot, key));
  if (!out) return std::strerror(errno);
  out << value << "\n";
  if (!out.flush()) return std::strerror(errno);  // EINVAL: the kernel refused the value
  return {};
}

std::string applyOne(const Finding& f, const std::string& procRoot, int& failures) {
  const std::string& key = f.setting.key;
  if (!f.current) {
    if (f.setting.optional) return "absent    " + key + " (this kernel has no such setting)";
    ++failures;
    return "FAILED    " + key + ": unavailable on this host";
  }
  std::string target = targetValue(f.setting, f.current);
  if (target == *f.current) return "unchanged " + key + " = " + target;
  std::string error = writeSysctl(procRoot, key, target);
  std::optional<std::string> now = readSysctl(procRoot, key);
  if (error.empty() && now && compareValue(f.setting, *now) == Status::Ok) {
    return "changed   " + key + ": " + *f.current + " -> " + *now;
  }
  ++failures;
  return "FAILED    " + key + ": wanted " + target + ", host has " + now.value_or("?") +
         (error.empty() ? "" : " (" + error + ")");
}

bool isRealProcSys(const std::string& procRoot) {
  std::error_code ec;
  return procRoot == kProcSys || std::filesystem::equivalent(procRoot, kProcSys, ec);
}

}  // namespace

std::string targetValue(const Setting& setting, const std::optional<std::string>& current) {
  auto want = parseIntegers(setting.value);
  auto have = current ? parseIntegers(*current) : std::nullopt;
  if (setting.rule == Rule::Exact || !want || !have || want->size() != have->size()) {
    return setting.value;
  }
  for (size_t i = 0; i < want->size(); ++i) {
    bool keepHost = setting.rule == Rule::Min ? (*have)[i] > (*want)[i] : (*have)[i] < (*want)[i];
    if (keepHost) (*want)[i] = (*have)[i];
  }
  return joinNumbers(*want);
}

std::string renderSysctlFile(const Profile& profile, const CheckReport& host) {
  std::ostringstream out;
  out << "# Written by 'ringcast tune apply --profile " << profile.name << "' from "
      << profile.source << ".\n# Re-run it rather than editing this file; "
      << "'ringcast tune check' compares the host with the profile.\n\n";
  std::istringstream in(profile.text);
  std::string line;
  for (int no = 1; std::getline(in, line); ++no) {
    const Finding* f = findingAtLine(host, no);
    out << (f ? renderLine(*f) : line) << "\n";
  }
  return out.str();
}

ApplyResult applyProfile(const Profile& profile, const ApplyOptions& options) {
  if (isRealProcSys(options.procRoot) && geteuid() != 0) {
    throw ApplyError("tune apply must run as root: it writes " + options.destDir +
                     " and /proc/sys (try: sudo ringcast tune apply --profile " + profile.name +
                     ")");
  }
  std::error_code ec;
  if (!std::filesystem::is_directory(options.destDir, ec)) {
    throw ApplyError("'" + options.destDir + "' is not a directory");
  }
  CheckReport host = checkHost(profile, options.procRoot);
  ApplyResult result;
  result.filePath = options.destDir + "/" + kSysctlFileName;
  writeFileAtomically(result.filePath, renderSysctlFile(profile, host));
  result.lines.push_back("wrote     " + result.filePath + " (profile " + profile.name + ")");
  for (const Finding& f : host.findings) {
    result.lines.push_back(applyOne(f, options.procRoot, result.failures));
  }
  return result;
}

}  // namespace rc::tuning
