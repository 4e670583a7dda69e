// Object keys and the room manifest of recordings.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "api/recorder.h"
#include "record/mux/track_spec.h"

namespace rc::record {

// "2026-11-22T105512" (UTC, no colons: safe in S3 keys and file names).
std::string keyTime(int64_t unixNs);

// The object key of one participant's file. `filepath` (EgressRequest.filepath) may use
// {room_name}, {room_id}, {publisher_identity}, {track_id} and {time}; empty: the default
// "<room>/<identity>-<time>". A trailing "/" is a folder for the default name; the
// extension is appended unless the template already ends with it.
struct KeyFields {
  std::string room, roomId, identity, trackId;
  int64_t unixNs = 0;
};
std::string recordingKey(const std::string& filepath, const KeyFields& fields,
                         const std::string& extension);

// Characters outside [A-Za-z0-9._-] become '_' (identities and room names are user input).
std::string keySafe(const std::string& text);

struct ManifestEntry {
  std::string identity, key;
  int64_t startOffsetMs = 0, durationMs = 0;
  std::vector<TrackSpec> tracks;
};
// The room recording manifest (JSON): room, egress id, start/end, and per participant its
// file, tracks with codecs and its start offset from the room recording's start.
std::string roomManifest(const api::EgressInfo& info, const std::vector<ManifestEntry>& entries);

const char* codecName(MediaCodec codec);

}  // namespace rc::record
