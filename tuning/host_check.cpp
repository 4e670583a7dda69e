#include "tuning/host_check.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "tuning/profile_catalog.h"

namespace rc::tuning {
namespace {

Status compareNumbers(Rule rule, const std::vector<int64_t>& want,
                      const std::vector<int64_t>& have) {
  if (want.size() != have.size()) return Status::Differs;
  for (size_t i = 0; i < want.size(); ++i) {
    if (rule == Rule::Min && have[i] < want[i]) return Status::Low;
    if (rule == Rule::Max && have[i] > want[i]) return Status::High;
    if (rule == Rule::Exact && have[i] != want[i]) return Status::Differs;
  }
  return Status::Ok;
}

const char* relation(Status status) {
  switch (status) {
    case Status::Low:
      return "<";
    case Status::High:
      return ">";
    default:
      return "!=";
  }
}

std::string describeDifference(const Finding& f) {
  if (f.status == Status::Missing) return f.setting.key + " unavailable";
  return f.setting.key + " " + *f.current + " " + relation(f.status) + " " + f.setting.value;
}

void appendRow(std::ostringstream& out, const std::vector<std::string>& cells,
               const std::vector<size_t>& widths) {
  for (size_t i = 0; i < cells.size(); ++i) {
    out << cells[i];
    if (i + 1 < cells.size()) out << std::string(widths[i] - cells[i].size() + 2, ' ');
  }
  out << "\n";
}

}  // namespace

int CheckReport::differing() const {
  return static_cast<int>(std::count_if(findings.begin(), findings.end(),
                                        [](const Finding& f) { return isDifference(f.status); }));
}

bool isDifference(Status status) {
  return status != Status::Ok && status != Status::Absent;
}

const char* statusName(Status status) {
  switch (status) {
    case Status::Ok:
      return "ok";
    case Status::Low:
      return "LOW";
    case Status::High:
      return "HIGH";
    case Status::Differs:
      return "DIFFERS";
    case Status::Missing:
      return "MISSING";
    case Status::Absent:
      return "absent";
  }
  return "?";
}

std::string sysctlPath(const std::string& procRoot, const std::string& key) {
  std::string rel = key;
  std::replace(rel.begin(), rel.end(), '.', '/');
  return procRoot + "/" + rel;
}

std::optional<std::string> readSysctl(const std::string& procRoot, const std::string& key) {
  std::string path = sysctlPath(procRoot, key);
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) return std::nullopt;
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  std::string value = normaliseValue(ss.str());
  if (!in || value.empty()) return std::nullopt;  // unreadable (EACCES, EIO)
  return value;
}

Status compareValue(const Setting& setting, const std::string& current) {
  auto want = parseIntegers(setting.value);
  auto have = parseIntegers(current);
  if (want && have) return compareNumbers(setting.rule, *want, *have);
  if (want) return Status::Differs;  // the host holds something that is not a number list
  return normaliseValue(current) == setting.value ? Status::Ok : Status::Differs;
}

CheckReport checkHost(const Profile& profile, const std::string& procRoot) {
  CheckReport report;
  report.profileName = profile.name;
  report.procRoot = procRoot;
  for (const Setting& s : profile.settings) {
    Finding f{.setting = s, .current = readSysctl(procRoot, s.key)};
    if (!f.current) {
      f.status = s.optional ? Status::Absent : Status::Missing;
    } else {
      f.status = compareValue(s, *f.current);
    }
    report.findings.push_back(std::move(f));
  }
  return report;
}

std::string formatReport(const CheckReport& report) {
  std::vector<std::vector<std::string>> rows = {
      {"SETTING", "CURRENT", "RULE", "PROFILE", "STATUS", "WHY IT MATTERS"}};
  for (const Finding& f : report.findings) {
    rows.push_back({f.setting.key, f.current.value_or("(unavailable)"), ruleSymbol(f.setting.rule),
                    f.setting.value, statusName(f.status), f.setting.why});
  }
  std::vector<size_t> widths(rows[0].size(), 0);
  for (const auto& row : rows) {
    for (size_t i = 0; i < row.size(); ++i) widths[i] = std::max(widths[i], row[i].size());
  }
  std::ostringstream out;
  for (const auto& row : rows) appendRow(out, row, widths);
  int n = report.differing();
  if (n == 0) {
    out << "The host matches profile " << report.profileName << ".\n";
  } else {
    out << n << " of " << report.findings.size() << " settings differ from profile "
        << report.profileName << "; 'sudo ringcast tune apply --profile " << report.profileName
        << "' fixes them.\n";
  }
  return out.str();
}

std::string summarise(const CheckReport& report, size_t listed) {
  int n = report.differing();
  if (n == 0) return {};
  std::string list;
  size_t shown = 0;
  for (const Finding& f : report.findings) {
    if (!isDifference(f.status)) continue;
    if (shown++ == listed) {
      list += ", ...";
      break;
    }
    list += (list.empty() ? "" : ", ") + describeDifference(f);
  }
  return std::to_string(n) + (n == 1 ? " setting differs" : " settings differ") + " from profile " +
         report.profileName + " (" + list + ")";
}

std::optional<std::string> startupWarning(const std::string& profileName,
                                          const std::string& procRoot) {
  if (profileName.empty() || profileName == "off") return std::nullopt;
  try {
    CheckReport report = checkHost(loadProfile(profileName), procRoot);
    if (report.matches()) return std::nullopt;
    return "tuning: " + summarise(report) + "; run 'ringcast tune check --profile " + profileName +
           "'";
  } catch (const ProfileError& e) {
    return std::string("tuning: cannot check the host: ") + e.what();
  }
}

}  // namespace rc::tuning
