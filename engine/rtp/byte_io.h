// Big-endian loads and stores for wire parsing (network byte order, RFC 1700 / RFC 3550 §5.1).
// Callers check the length before every call; these helpers never bounds-check.
#pragma once

#include <cstdint>

namespace rc::rtp {

inline uint16_t load16(const uint8_t* p) noexcept {
  return static_cast<uint16_t>((uint32_t{p[0]} << 8) | p[1]);
}
inline uint32_t load24(const uint8_t* p) noexcept {
  return (uint32_t{p[0]} << 16) | (uint32_t{p[1]} << 8) | p[2];
}
inline uint32_t load32(const uint8_t* p) noexcept {
  return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | p[3];
}
inline uint64_t load48(const uint8_t* p) noexcept {
  return (uint64_t{load16(p)} << 32) | load32(p + 2);
}
inline void store16(uint8_t* p, uint16_t v) noexcept {
  p[0] = static_cast<uint8_t>(v >> 8);
  p[1] = static_cast<uint8_t>(v);
}
inline void store24(uint8_t* p, uint32_t v) noexcept {
  p[0] = static_cast<uint8_t>(v >> 16);
  p[1] = static_cast<uint8_t>(v >> 8);
  p[2] = static_cast<uint8_t>(v);
}
inline void store32(uint8_t* p, uint32_t v) noexcept {
  store16(p, static_cast<uint16_t>(v >> 16));
  store16(p + 2, static_cast<uint16_t>(v));
}

}  // namespace rc::rtp
