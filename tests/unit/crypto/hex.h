// Test vectors written as hex text: every non-hex character (spaces, line breaks) is ignored.
#pragma once

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdint>
#include <string>
#include <vector>

namespace rc::crypto::testing {

inline std::vector<uint8_t> hex(const std::string& text) {
  std::string digits;
  for (char c : text) {
    if (std::isxdigit(static_cast<unsigned char>(c))) digits.push_back(c);
  }
  std::vector<uint8_t> out;
  for (size_t i = 0; i + 1 < digits.size(); i += 2) {
    out.push_back(static_cast<uint8_t>(std::stoi(digits.substr(i, 2), nullptr, 16)));
  }
  return out;
}

// The first N bytes of `text` (zero-filled when shorter).
template <size_t N>
std::array<uint8_t, N> hexArray(const std::string& text) {
  auto bytes = hex(text);
  std::array<uint8_t, N> out{};
  std::copy_n(bytes.begin(), std::min(N, bytes.size()), out.begin());
  return out;
}

}  // namespace rc::crypto::testing
