#include "bench/loadgen/rtp_source.h"

#include <time.h>

#include <algorithm>
#include <cstring>

namespace rc::bench {
namespace {

void putU16(uint8_t* p, uint16_t v) {
  p[0] = static_cast<uint8_t>(v >> 8);
  p[1] = static_cast<uint8_t>(v);
}

void putU32(uint8_t* p, uint32_t v) {
  for (int i = 0; i < 4; ++i) p[i] = static_cast<uint8_t>(v >> (24 - 8 * i));
}

void putU64(uint8_t* p, uint64_t v) {
  for (int i = 0; i < 8; ++i) p[i] = static_cast<uint8_t>(v >> (56 - 8 * i));
}

// RFC 7741 §4.2: X=1, S on the first packet of the frame, PID 0; I=1 with a 15-bit PictureID.
size_t writeVp8Descriptor(uint8_t* p, bool start, uint16_t pictureId) {
  p[0] = static_cast<uint8_t>(0x80 | (start ? 0x10 : 0x00));
  p[1] = 0x80;
  putU16(p + 2, static_cast<uint16_t>(0x8000 | (pictureId & 0x7fff)));
  return 4;
}

// RFC 6386 §9.1: 3-byte frame tag (key frame bit 0 = 0, version 0, show_frame, first
// partition size), and for key frames the start code and 1280x720 dimensions.
size_t writeVp8FrameHeader(uint8_t* p, bool key, size_t frameBytes) {
  uint32_t firstPartition = static_cast<uint32_t>(std::min<size_t>(frameBytes / 4, 0x7ffff));
  uint32_t tag = (key ? 0u : 1u) | (1u << 4) | (firstPartition << 5);
  p[0] = static_cast<uint8_t>(tag);
  p[1] = static_cast<uint8_t>(tag >> 8);
  p[2] = static_cast<uint8_t>(tag >> 16);
  if (!key) return 3;
  p[3] = 0x9d;
  p[4] = 0x01;
  p[5] = 0x2a;
  p[6] = 1280 & 0xff;
  p[7] = 1280 >> 8;
  p[8] = 720 & 0xff;
  p[9] = 720 >> 8;
  return 10;
}

}  // namespace

uint64_t monotonicNs() noexcept {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<uint64_t>(ts.tv_sec) * 1'000'000'000u + static_cast<uint64_t>(ts.tv_nsec);
}

void writeRtpHeader(uint8_t* p, int payloadType, bool marker, uint16_t seq, uint32_t timestamp,
                    uint32_t ssrc) noexcept {
  p[0] = 0x80;
  p[1] = static_cast<uint8_t>((marker ? 0x80 : 0x00) | (payloadType & 0x7f));
  putU16(p + 2, seq);
  putU32(p + 4, timestamp);
  putU32(p + 8, ssrc);
}

VideoSource::VideoSource(uint32_t ssrc, int payloadType, int kbps, uint64_t seed)
    : ssrc_(ssrc), payloadType_(payloadType), rng_(static_cast<uint32_t>(seed | 1)) {
  // Average over a keyframe period: (59 deltas + 1 key of factor k) * d = 60 * average.
  size_t average = static_cast<size_t>(kbps) * 1000 / 8 / 30;
  averageFrameBytes_ =
      average * kFramesPerKeyframe / (kFramesPerKeyframe - 1 + kKeyframeSizeFactor);
  seq_ = static_cast<uint16_t>(rng_());
  timestamp_ = static_cast<uint32_t>(rng_());
}

size_t VideoSource::frameSize(bool key) noexcept {
  if (key) return averageFrameBytes_ * kKeyframeSizeFactor;
  // +-20 % around the delta-frame size.
  size_t spread = averageFrameBytes_ * 2 / 5;
  size_t low = averageFrameBytes_ - averageFrameBytes_ / 5;
  return std::max<size_t>(64, low + (spread ? rng_() % spread : 0));
}

size_t VideoSource::nextFrame(std::span<PacketSlot> slots, uint64_t nowNs) noexcept {
  bool key = frame_ == 0 || frame_ - lastKeyframeFrame_ >= kFramesPerKeyframe ||
             (keyframeRequested_ && frame_ - lastKeyframeFrame_ >= 15);
  if (key) {
    lastKeyframeFrame_ = frame_;
    keyframeRequested_ = false;
    ++keyframes_;
  }
  size_t frameBytes = frameSize(key);
  constexpr size_t kPerPacket = kMaxRtpPayload - 4;  // room for the payload descriptor
  size_t packets = std::min(slots.size(), (frameBytes + kPerPacket - 1) / kPerPacket);
  size_t share = frameBytes / packets;  // equal sizes, as libwebrtc's packetizer aims for
  for (size_t i = 0; i < packets; ++i) {
    PacketSlot& slot = slots[i];
    size_t body = i + 1 == packets ? frameBytes - share * i : share;
    body = std::max(body, kSendTimeOffset + 8);
    size_t length = kRtpHeaderSize + 4 + body;
    if (length > slot.capacity) return i;
    writeRtpHeader(slot.data, payloadType_, i + 1 == packets, seq_++, timestamp_, ssrc_);
    uint8_t* payload = slot.data + kRtpHeaderSize;
    size_t used = writeVp8Descriptor(payload, i == 0, pictureId_);
    if (i == 0) used += writeVp8FrameHeader(payload + used, key, frameBytes);
    std::memset(payload + used, 0x5a, 4 + body - used);
    putU64(payload + kSendTimeOffset, nowNs);
    slot.length = length;
  }
  timestamp_ += 90000 / 30;
  pictureId_ = static_cast<uint16_t>((pictureId_ + 1) & 0x7fff);
  ++frame_;
  return packets;
}

AudioSource::AudioSource(uint32_t ssrc, int payloadType, uint64_t seed)
    : ssrc_(ssrc), payloadType_(payloadType), rng_(static_cast<uint32_t>(seed | 1)) {
  seq_ = static_cast<uint16_t>(rng_());
  timestamp_ = static_cast<uint32_t>(rng_());
}

size_t AudioSource::nextPacket(PacketSlot& slot, uint64_t nowNs) noexcept {
  size_t body = 80 + rng_() % 41;  // 80..120 bytes, a 20 ms Opus frame at ~32-48 kbit/s
  size_t length = kRtpHeaderSize + body;
  if (length > slot.capacity) return 0;
  writeRtpHeader(slot.data, payloadType_, false, seq_++, timestamp_, ssrc_);
  uint8_t* payload = slot.data + kRtpHeaderSize;
  payload[0] = 0x78;  // RFC 6716 §3.1 TOC: config 15 (CELT FB 20 ms), mono, one frame
  std::memset(payload + 1, 0x33, body - 1);
  putU64(payload + kSendTimeOffset, nowNs);
  timestamp_ += 960;
  slot.length = length;
  return length;
}

}  // namespace rc::bench
