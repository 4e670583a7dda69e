#include "record/mux/vp9_descriptor.h"

namespace rc::record {
namespace {

constexpr uint8_t kI = 0x80, kP = 0x40, kL = 0x20, kF = 0x10, kB = 0x08, kE = 0x04, kV = 0x02;

// Reads one byte at `pos` and advances, or fails when the payload is too short.
struct Reader {
  std::span<const uint8_t> p;
  size_t pos = 0;
  bool ok = true;
  uint8_t byte() noexcept {
    if (pos >= p.size()) {
      ok = false;
      return 0;
    }
    return p[pos++];
  }
  uint16_t be16() noexcept {
    uint16_t hi = byte();
    return static_cast<uint16_t>((hi << 8) | byte());
  }
};

// §4.2: M|PICTURE ID (7 bits), or 15 bits when M is set.
void readPictureId(Reader& r, Vp9Descriptor& d) noexcept {
  uint8_t b = r.byte();
  d.pictureId = b & 0x7f;
  if (b & 0x80) d.pictureId = (d.pictureId << 8) | r.byte();
}

// §4.2: TID (3) | U (1) | SID (3) | D (1), then TL0PICIDX in non-flexible mode.
void readLayerIndices(Reader& r, Vp9Descriptor& d) noexcept {
  uint8_t b = r.byte();
  d.temporalId = b >> 5;
  d.spatialId = (b >> 1) & 0x07;
  d.interLayerDependent = (b & 0x01) != 0;
  if (!d.flexible) r.byte();  // TL0PICIDX
}

// §4.2, flexible mode: up to 3 P_DIFF (7) | N (1) bytes, N set when another follows.
void readReferences(Reader& r, Vp9Descriptor& d) noexcept {
  for (;;) {
    uint8_t b = r.byte();
    if (!r.ok) return;
    if (++d.numRefs > 3) {
      r.ok = false;
      return;
    }
    if (!(b & 0x01)) return;
  }
}

// §4.2.1: N_S (3) | Y | G | -, then N_S+1 resolutions (Y), N_G (G) and the picture group:
// TID (3) | U | R (2) | - - followed by R P_DIFF bytes, N_G times.
void readScalabilityStructure(Reader& r, Vp9Descriptor& d) noexcept {
  uint8_t b = r.byte();
  d.numSpatialLayers = static_cast<uint8_t>((b >> 5) + 1);
  d.hasResolutions = (b & 0x10) != 0;
  if (d.hasResolutions) {
    for (int i = 0; i < d.numSpatialLayers; ++i) {
      d.width[i] = r.be16();
      d.height[i] = r.be16();
    }
  }
  if (!(b & 0x08)) return;
  uint8_t groups = r.byte();
  for (int g = 0; g < groups && r.ok; ++g) {
    uint8_t refs = (r.byte() >> 2) & 0x03;
    for (int k = 0; k < refs; ++k) r.byte();
  }
}

}  // namespace

std::optional<Vp9Descriptor> parseVp9Descriptor(std::span<const uint8_t> p) noexcept {
  Reader r{p};
  uint8_t first = r.byte();
  Vp9Descriptor d;
  d.interPredicted = (first & kP) != 0;
  d.hasLayers = (first & kL) != 0;
  d.flexible = (first & kF) != 0;
  d.beginsFrame = (first & kB) != 0;
  d.endsFrame = (first & kE) != 0;
  if (first & kI) readPictureId(r, d);
  if (d.hasLayers) readLayerIndices(r, d);
  if (d.flexible && d.interPredicted) readReferences(r, d);
  if (first & kV) readScalabilityStructure(r, d);
  if (!r.ok || r.pos >= p.size()) return std::nullopt;
  d.size = r.pos;
  return d;
}

}  // namespace rc::record
