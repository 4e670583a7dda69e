// The protobuf-JSON form of LiveKit's egress.proto messages ringcast speaks: the
// ParticipantEgressRequest, TrackCompositeEgressRequest and TrackEgressRequest bodies
// (file outputs to S3 only: EncodedFileOutput / DirectFileOutput with S3Upload), and
// EgressInfo with FileInfo results (enums as names, int64 as strings).
#pragma once

#include <nlohmann/json.hpp>

#include "api/livekit_json.h"
#include "api/recorder.h"

namespace rc::api::egressjson {

// Throw lkjson::BodyError naming the field (missing room, unsupported output, ...).
EgressRequest parseParticipantEgress(const lkjson::JsonBody& body);
EgressRequest parseTrackCompositeEgress(const lkjson::JsonBody& body);
EgressRequest parseTrackEgress(const lkjson::JsonBody& body);
// S3Upload {accessKey, secret, sessionToken, region, endpoint, bucket, forcePathStyle}.
S3Output parseS3Upload(const lkjson::JsonBody& s3);

const char* statusName(EgressStatus status);  // "EGRESS_ACTIVE", ...
nlohmann::json toJson(const RecordedFile& file);
nlohmann::json toJson(const EgressInfo& info);

}  // namespace rc::api::egressjson
