// A temporary directory standing in for /proc/sys (or /etc/sysctl.d) in tuning tests.
#pragma once

#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "tuning/host_check.h"
#include "tuning/profile.h"

namespace rc::tuning::test {

class TempDir {
 public:
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "rc_tuning_XXXXXX").string();
    path_ = mkdtemp(tmpl.data());
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

class FakeProcSys : public TempDir {
 public:
  void set(const std::string& key, const std::string& value) const {
    std::filesystem::path p = sysctlPath(path(), key);
    std::filesystem::create_directories(p.parent_path());
    std::ofstream(p) << value << "\n";
  }
  // Every setting of the profile at exactly the profile's value.
  void setAll(const Profile& profile) const {
    for (const auto& s : profile.settings) set(s.key, s.value);
  }
  std::string get(const std::string& key) const {
    std::ifstream in(sysctlPath(path(), key));
    std::stringstream ss;
    ss << in.rdbuf();
    return normaliseValue(ss.str());
  }
};

inline Setting makeSetting(const std::string& key, const std::string& value, Rule rule) {
  Setting s;
  s.key = key;
  s.value = value;
  s.rule = rule;
  return s;
}

inline std::string readText(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace rc::tuning::test
