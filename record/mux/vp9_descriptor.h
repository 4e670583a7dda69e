// The VP9 RTP payload descriptor (RFC 9628 §4.2) and its scalability structure (§4.2.1).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

namespace rc::record {

struct Vp9Descriptor {
  size_t size = 0;              // bytes before the VP9 payload
  bool interPredicted = false;  // P: the frame uses inter-picture prediction
  bool flexible = false;        // F
  bool beginsFrame = false;     // B: first packet of a (layer) frame
  bool endsFrame = false;       // E: last packet of a (layer) frame
  bool hasLayers = false;       // L
  int pictureId = -1;           // 7 or 15 bits, -1 when absent
  uint8_t temporalId = 0, spatialId = 0;
  bool interLayerDependent = false;  // D
  uint8_t numRefs = 0;               // flexible mode P_DIFF count (at most 3)
  // Scalability structure (V): spatial layer count and, with Y, the resolution of each.
  uint8_t numSpatialLayers = 0;  // 0 = no SS in this packet
  uint16_t width[8] = {}, height[8] = {};
  bool hasResolutions = false;
};

// nullopt when a field runs past the payload or the descriptor leaves no VP9 payload.
std::optional<Vp9Descriptor> parseVp9Descriptor(std::span<const uint8_t> p) noexcept;

}  // namespace rc::record
