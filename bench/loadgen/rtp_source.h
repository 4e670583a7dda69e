// Synthetic media of one publisher: VP8 video at 30 fps whose frame sizes average the target
// bitrate, with a keyframe every 2 s several times bigger, packetised into <= 1200-byte
// payloads (RFC 7741 §4.2 payload descriptor, marker on the last packet of a frame); Opus at
// 50 packets/s of 80-120 bytes (RFC 7587). Every payload carries the send time.
#pragma once

#include <cstddef>
#include <cstdint>
#include <random>
#include <span>

namespace rc::bench {

// Byte offset of the 8-byte CLOCK_MONOTONIC send time (ns, big endian) in every RTP payload.
inline constexpr size_t kSendTimeOffset = 16;
inline constexpr size_t kMaxRtpPayload = 1200;
inline constexpr size_t kRtpHeaderSize = 12;
inline constexpr int64_t kVideoFrameIntervalNs = 1'000'000'000 / 30;
inline constexpr int64_t kAudioPacketIntervalNs = 20'000'000;
inline constexpr int kFramesPerKeyframe = 60;  // 2 s at 30 fps
inline constexpr int kKeyframeSizeFactor = 5;

uint64_t monotonicNs() noexcept;

// One RTP packet written into a caller's buffer.
struct PacketSlot {
  uint8_t* data;
  size_t capacity;
  size_t length = 0;
};

class VideoSource {
 public:
  VideoSource(uint32_t ssrc, int payloadType, int kbps, uint64_t seed);
  // Writes the next frame's packets into `slots` (at most slots.size()); returns how many.
  size_t nextFrame(std::span<PacketSlot> slots, uint64_t nowNs) noexcept;
  void requestKeyframe() noexcept { keyframeRequested_ = true; }
  uint64_t keyframes() const noexcept { return keyframes_; }

 private:
  size_t frameSize(bool key) noexcept;

  uint32_t ssrc_;
  int payloadType_;
  size_t averageFrameBytes_;
  uint16_t seq_;
  uint32_t timestamp_;
  uint16_t pictureId_ = 0;
  uint64_t frame_ = 0;
  uint64_t keyframes_ = 0;
  bool keyframeRequested_ = false;
  uint64_t lastKeyframeFrame_ = 0;
  std::minstd_rand rng_;
};

class AudioSource {
 public:
  AudioSource(uint32_t ssrc, int payloadType, uint64_t seed);
  // Writes one Opus packet; returns its length (0 when `slot` is too small).
  size_t nextPacket(PacketSlot& slot, uint64_t nowNs) noexcept;

 private:
  uint32_t ssrc_;
  int payloadType_;
  uint16_t seq_;
  uint32_t timestamp_;
  std::minstd_rand rng_;
};

// RFC 3550 §5.1 fixed header; no CSRCs, no extension.
void writeRtpHeader(uint8_t* p, int payloadType, bool marker, uint16_t seq, uint32_t timestamp,
                    uint32_t ssrc) noexcept;

}  // namespace rc::bench
