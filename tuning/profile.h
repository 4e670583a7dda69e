// Tuning profiles: sysctl.d files annotated for `ringcast tune check` (tuning/README.md).
// A setting line is `key = value`; a leading "-" marks it optional (systemd-sysctl's
// syntax: absent on some kernels). The comment block right above a setting may hold
//   # why: <one line>          the reason shown in the check table
//   # check: min|exact|max     how the host value is compared with the profile value
// and the file header may hold `# description: <one line>`.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace rc::tuning {

// min: the host may hold more (limits, buffers); max: the host may hold less; exact: equal.
// Multi-value settings (net.ipv4.udp_mem) are compared element by element.
enum class Rule { Min, Exact, Max };

struct Setting {
  std::string key;    // dotted sysctl name, e.g. net.core.rmem_max
  std::string value;  // as written in the profile, whitespace normalised to single spaces
  Rule rule = Rule::Exact;
  std::string why;
  bool optional = false;
  int line = 0;
};

struct Profile {
  std::string name;
  std::string description;
  std::string source;  // file path, or "built-in" for embedded profiles
  std::string text;    // the whole file, as written
  std::vector<Setting> settings;
};

class ProfileError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Parses a profile file; throws ProfileError ("<source>:<line>: ...") on malformed lines,
// unknown check rules, duplicate keys or a profile without settings.
Profile parseProfile(std::string_view text, const std::string& name, const std::string& source);

// Values are lists of integers for every setting the profiles use; nullopt when a value is
// not such a list (then only exact string comparison applies).
std::optional<std::vector<int64_t>> parseIntegers(std::string_view value);

// "  4096\t87380  " -> "4096 87380"
std::string normaliseValue(std::string_view value);

const char* ruleName(Rule rule);    // "min", "exact", "max"
const char* ruleSymbol(Rule rule);  // ">=", "=", "<="

}  // namespace rc::tuning
