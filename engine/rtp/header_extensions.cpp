#include "engine/rtp/header_extensions.h"

#include <cstring>

#include "engine/rtp/byte_io.h"

namespace rc::rtp {

namespace {
constexpr uint64_t kUsPerSecond = 1'000'000;
constexpr uint32_t kAbsSendTimeMask = 0xFFFFFF;
constexpr int kAbsSendTimeFractionBits = 18;
}  // namespace

uint32_t absSendTimeFromUs(int64_t steadyUs) noexcept {
  const uint64_t us = steadyUs < 0 ? 0 : static_cast<uint64_t>(steadyUs);
  const uint64_t seconds = us / kUsPerSecond;
  const uint64_t rem = us % kUsPerSecond;
  // Rounded fraction; split so the shift cannot overflow for any clock value.
  const uint64_t fraction = ((rem << kAbsSendTimeFractionBits) + kUsPerSecond / 2) / kUsPerSecond;
  return static_cast<uint32_t>((seconds << kAbsSendTimeFractionBits) + fraction) & kAbsSendTimeMask;
}

int64_t absSendTimeToUs(uint32_t value) noexcept {
  const uint64_t v = value & kAbsSendTimeMask;
  return static_cast<int64_t>((v * kUsPerSecond + (1u << 17)) >> kAbsSendTimeFractionBits);
}

int64_t absSendTimeDeltaUs(uint32_t later, uint32_t earlier) noexcept {
  uint32_t diff = (later - earlier) & kAbsSendTimeMask;
  int64_t signedDiff = diff;
  if (diff & 0x800000) signedDiff -= int64_t{1} << 24;
  return signedDiff * static_cast<int64_t>(kUsPerSecond) / (1 << kAbsSendTimeFractionBits);
}

std::optional<uint32_t> parseAbsSendTime(std::span<const uint8_t> value) noexcept {
  if (value.size() < kAbsSendTimeSize) return std::nullopt;
  return load24(value.data());
}

size_t writeAbsSendTime(std::span<uint8_t> out, uint32_t value) noexcept {
  if (out.size() < kAbsSendTimeSize) return 0;
  store24(out.data(), value & kAbsSendTimeMask);
  return kAbsSendTimeSize;
}

std::optional<uint16_t> parseTransportSequence(std::span<const uint8_t> value) noexcept {
  if (value.size() < kTransportSeqSize) return std::nullopt;
  return load16(value.data());
}

size_t writeTransportSequence(std::span<uint8_t> out, uint16_t seq) noexcept {
  if (out.size() < kTransportSeqSize) return 0;
  store16(out.data(), seq);
  return kTransportSeqSize;
}

std::optional<AudioLevel> parseAudioLevel(std::span<const uint8_t> value) noexcept {
  if (value.empty()) return std::nullopt;  // RFC 6464 §3: one byte (two-byte form may pad)
  return AudioLevel{(value[0] & 0x80) != 0, static_cast<uint8_t>(value[0] & 0x7F)};
}

size_t writeAudioLevel(std::span<uint8_t> out, AudioLevel level) noexcept {
  if (out.empty()) return 0;
  out[0] = static_cast<uint8_t>((level.voiceActivity ? 0x80 : 0) | (level.levelDbov & 0x7F));
  return 1;
}

std::optional<std::string_view> parseStringValue(std::span<const uint8_t> value) noexcept {
  size_t n = value.size();
  while (n > 0 && value[n - 1] == 0) --n;
  if (n == 0) return std::nullopt;
  return std::string_view(reinterpret_cast<const char*>(value.data()), n);
}

size_t writeStringValue(std::span<uint8_t> out, std::string_view s) noexcept {
  if (s.empty() || s.size() > 255 || out.size() < s.size()) return 0;
  std::memcpy(out.data(), s.data(), s.size());
  return s.size();
}

}  // namespace rc::rtp
