// The interface the control plane (app API /start-recording..., Twirp Egress) uses to
// drive recordings. Implemented by record/recorder.cpp; a fake is used by the API
// unit tests. Names follow LiveKit's egress.proto where the meaning matches.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace rc::api {

enum class EgressStatus { Starting, Active, Ending, Complete, Failed, Aborted, LimitReached };

// Where a file goes. Empty bucket: the configured default (S3 or the local folder).
struct S3Output {
  std::string bucket, region, endpoint, accessKey, secret, sessionToken;
  bool forcePathStyle = false;
};

struct EgressRequest {
  enum class Kind { Room, Participant, Track, TrackComposite } kind = Kind::Participant;
  std::string roomName;
  std::string identity;                    // Participant
  std::string audioTrackId, videoTrackId;  // TrackComposite
  std::string trackId;                     // Track
  std::string filepath;                    // optional key template ({room_name}, {time}, ...)
  std::optional<S3Output> s3;
};

struct RecordedFile {
  std::string filename;  // object key or local path
  std::string location;  // s3://bucket/key or file:// URL
  uint64_t size = 0;
  int64_t startedAtNs = 0, endedAtNs = 0, durationNs = 0;
};

struct EgressInfo {
  std::string egressId;  // "EG_..."
  std::string roomId, roomName;
  EgressRequest request;
  EgressStatus status = EgressStatus::Starting;
  int64_t startedAtNs = 0, endedAtNs = 0, updatedAtNs = 0;
  std::string error;
  std::vector<RecordedFile> files;
  std::string manifest;  // room recordings: key of the JSON manifest
};

struct RecordingListing {
  std::string key;
  uint64_t size = 0;
  int64_t lastModifiedMs = 0;
  std::string url;  // time-limited download URL (presigned GET, or a local /recordings/ path)
  int64_t startedAtNs = 0, durationNs = 0;  // 0 when the recorder no longer knows the file
};

template <typename T>
struct RecorderResult {
  int status = 200;  // HTTP-like: 200, 400 invalid, 404 not found, 409 conflict, 503
  std::string error;
  T value{};
};

using EgressEventSink = std::function<void(const char* event, const EgressInfo&)>;

class Recorder {
 public:
  virtual ~Recorder() = default;
  virtual RecorderResult<EgressInfo> start(const EgressRequest& request) = 0;
  virtual RecorderResult<EgressInfo> stop(const std::string& egressId) = 0;
  virtual std::vector<EgressInfo> list(const std::string& roomName, const std::string& egressId,
                                       bool activeOnly) = 0;
  virtual RecorderResult<std::vector<RecordingListing>> listRecordings(const std::string& roomName,
                                                                       int urlTtlSec) = 0;
  // egress_started / egress_updated / egress_ended, delivered like room events.
  virtual void setEventSink(EgressEventSink sink) = 0;
};

}  // namespace rc::api
