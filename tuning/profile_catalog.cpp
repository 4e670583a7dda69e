#include "tuning/profile_catalog.h"

#include <algorithm>
#include <fstream>
#include <sstream>

namespace rc::tuning {
namespace {

bool isPath(const std::string& s) {
  return s.find('/') != std::string::npos || s.ends_with(".conf");
}

std::string knownNames() {
  std::string out;
  for (const auto& p : builtinProfiles()) out += (out.empty() ? "" : ", ") + p.name;
  return out;
}

}  // namespace

std::string profileNameFromFile(std::string_view fileName) {
  std::string_view n = fileName.substr(fileName.find_last_of('/') + 1);
  if (n.starts_with("ringcast-")) n.remove_prefix(9);
  if (n.ends_with(".conf")) n.remove_suffix(5);
  return std::string(n);
}

std::vector<Profile> builtinProfiles() {
  std::vector<Profile> out;
  for (const auto& f : embeddedProfileFiles()) {
    out.push_back(parseProfile(f.text, profileNameFromFile(f.fileName),
                               "built-in " + std::string(f.fileName)));
  }
  std::sort(out.begin(), out.end(),
            [](const Profile& a, const Profile& b) { return a.name < b.name; });
  return out;
}

Profile loadProfile(const std::string& nameOrPath) {
  if (isPath(nameOrPath)) {
    std::ifstream in(nameOrPath);
    if (!in) throw ProfileError("cannot read profile file '" + nameOrPath + "'");
    std::stringstream ss;
    ss << in.rdbuf();
    return parseProfile(ss.str(), profileNameFromFile(nameOrPath), nameOrPath);
  }
  for (const auto& f : embeddedProfileFiles()) {
    if (profileNameFromFile(f.fileName) == nameOrPath) {
      return parseProfile(f.text, nameOrPath, "built-in " + std::string(f.fileName));
    }
  }
  throw ProfileError("unknown profile '" + nameOrPath + "' (known: " + knownNames() +
                     ", or a path to a .conf file)");
}

bool looksLikeProfile(const std::string& nameOrPath) {
  if (isPath(nameOrPath)) return true;
  for (const auto& f : embeddedProfileFiles()) {
    if (profileNameFromFile(f.fileName) == nameOrPath) return true;
  }
  return false;
}

}  // namespace rc::tuning
