// A fresh temporary folder per test, removed afterwards.
#pragma once

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

namespace rc::record::test {

inline std::string makeTempDir() {
  std::string tmpl = (std::filesystem::temp_directory_path() / "rc_store_XXXXXX").string();
  return mkdtemp(tmpl.data());
}

inline std::string readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

struct TempDir {
  std::string path = makeTempDir();
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
};

}  // namespace rc::record::test
