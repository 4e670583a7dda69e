#include "api/egress_json.h"

namespace rc::api::egressjson {
namespace {

using lkjson::BodyError;
using lkjson::JsonBody;
using nlohmann::json;

// Only S3 (or the configured default when none is given) is a destination ringcast has.
std::optional<S3Output> uploadOf(const JsonBody& output, const std::string& field) {
  for (const auto& [camel, snake] :
       {std::pair{"gcp", "gcp"}, {"azure", "azure"}, {"aliOSS", "aliOSS"}}) {
    if (output.optObject(camel, snake)) {
      throw BodyError(
          field + "." + camel,
          std::string("field '") + field + "." + camel + "': only s3 uploads are supported", false);
    }
  }
  auto s3 = output.optObject("s3", "s3");
  if (!s3) return std::nullopt;
  return parseS3Upload(*s3);
}

// EncodedFileOutput: the container follows the codecs (fragmented MP4, WebM for VP8), so
// only the default and MP4 file types are accepted; nothing is transcoded.
void readEncodedFile(const JsonBody& file, const std::string& field, EgressRequest& r) {
  std::string type = file.optString("fileType", "file_type").value_or("DEFAULT_FILETYPE");
  if (type != "DEFAULT_FILETYPE" && type != "MP4") {
    throw BodyError(field + ".fileType",
                    "field '" + field +
                        ".fileType': only DEFAULT_FILETYPE or MP4 (ringcast "
                        "records without transcoding)",
                    false);
  }
  r.filepath = file.optString("filepath", "filepath").value_or("");
  r.s3 = uploadOf(file, field);
}

void refuseNonFileOutputs(const JsonBody& body) {
  for (const auto& [camel, snake] : {std::pair{"streamOutputs", "stream_outputs"},
                                     {"segmentOutputs", "segment_outputs"},
                                     {"imageOutputs", "image_outputs"}}) {
    if (!body.objectList(camel, snake).empty()) {
      throw BodyError(camel, std::string("field '") + camel + "': only file outputs are supported",
                      false);
    }
  }
  for (const auto& [camel, snake] : {std::pair{"stream", "stream"}, {"segments", "segments"}}) {
    if (body.optObject(camel, snake)) {
      throw BodyError(camel, std::string("field '") + camel + "': only file outputs are supported",
                      false);
    }
  }
  if (body.optString("websocketUrl", "websocket_url")) {
    throw BodyError("websocketUrl", "field 'websocketUrl': only file outputs are supported", false);
  }
}

// fileOutputs (exactly one) or the deprecated `file`.
void readFileOutputs(const JsonBody& body, EgressRequest& r) {
  refuseNonFileOutputs(body);
  auto outputs = body.objectList("fileOutputs", "file_outputs");
  if (outputs.size() > 1) {
    throw BodyError("fileOutputs", "field 'fileOutputs': at most one file output", false);
  }
  if (outputs.size() == 1) return readEncodedFile(outputs[0], "fileOutputs[0]", r);
  if (auto legacy = body.optObject("file", "file")) return readEncodedFile(*legacy, "file", r);
  throw BodyError("fileOutputs", "field 'fileOutputs' is required (one file output)", false);
}

json nonEmpty(json object) {
  for (auto it = object.begin(); it != object.end();) {
    bool empty = (it->is_string() && it->get<std::string>().empty()) ||
                 (it->is_array() && it->empty()) || (it->is_object() && it->empty());
    it = empty ? object.erase(it) : std::next(it);
  }
  return object;
}

std::string int64(int64_t v) {
  return v ? std::to_string(v) : "";
}

}  // namespace

S3Output parseS3Upload(const JsonBody& s3) {
  S3Output o;
  o.bucket = s3.requireString("bucket", "bucket");
  o.accessKey = s3.optString("accessKey", "access_key").value_or("");
  o.secret = s3.optString("secret", "secret").value_or("");
  o.sessionToken = s3.optString("sessionToken", "session_token").value_or("");
  o.region = s3.optString("region", "region").value_or("");
  o.endpoint = s3.optString("endpoint", "endpoint").value_or("");
  o.forcePathStyle = s3.optBool("forcePathStyle", "force_path_style").value_or(false);
  return o;
}

EgressRequest parseParticipantEgress(const JsonBody& body) {
  EgressRequest r;
  r.kind = EgressRequest::Kind::Participant;
  r.roomName = body.requireString("roomName", "room_name");
  r.identity = body.requireString("identity", "identity");
  if (body.optBool("screenShare", "screen_share").value_or(false)) {
    throw BodyError("screenShare", "field 'screenShare': screen share egress is not supported",
                    false);
  }
  readFileOutputs(body, r);
  return r;
}

EgressRequest parseTrackCompositeEgress(const JsonBody& body) {
  EgressRequest r;
  r.kind = EgressRequest::Kind::TrackComposite;
  r.roomName = body.requireString("roomName", "room_name");
  r.audioTrackId = body.optString("audioTrackId", "audio_track_id").value_or("");
  r.videoTrackId = body.optString("videoTrackId", "video_track_id").value_or("");
  if (r.audioTrackId.empty() && r.videoTrackId.empty()) {
    throw BodyError("audioTrackId", "field 'audioTrackId' or 'videoTrackId' is required", false);
  }
  readFileOutputs(body, r);
  return r;
}

// TrackEgressRequest: DirectFileOutput {filepath, s3} in `file`.
EgressRequest parseTrackEgress(const JsonBody& body) {
  EgressRequest r;
  r.kind = EgressRequest::Kind::Track;
  r.roomName = body.requireString("roomName", "room_name");
  r.trackId = body.requireString("trackId", "track_id");
  refuseNonFileOutputs(body);
  auto file = body.optObject("file", "file");
  if (!file) throw BodyError("file", "field 'file' is required (a DirectFileOutput)", false);
  r.filepath = file->optString("filepath", "filepath").value_or("");
  r.s3 = uploadOf(*file, "file");
  return r;
}

const char* statusName(EgressStatus status) {
  switch (status) {
    case EgressStatus::Starting:
      return "EGRESS_STARTING";
    case EgressStatus::Active:
      return "EGRESS_ACTIVE";
    case EgressStatus::Ending:
      return "EGRESS_ENDING";
    case EgressStatus::Complete:
      return "EGRESS_COMPLETE";
    case EgressStatus::Failed:
      return "EGRESS_FAILED";
    case EgressStatus::Aborted:
      return "EGRESS_ABORTED";
    case EgressStatus::LimitReached:
      return "EGRESS_LIMIT_REACHED";
  }
  return "EGRESS_FAILED";
}

json toJson(const RecordedFile& f) {
  return nonEmpty({{"filename", f.filename},
                   {"startedAt", int64(f.startedAtNs)},
                   {"endedAt", int64(f.endedAtNs)},
                   {"duration", int64(f.durationNs)},
                   {"size", int64(static_cast<int64_t>(f.size))},
                   {"location", f.location}});
}

json toJson(const EgressInfo& info) {
  const EgressRequest& r = info.request;
  json out = {{"egressId", info.egressId},
              {"roomId", info.roomId},
              {"roomName", info.roomName},
              {"sourceType", "EGRESS_SOURCE_TYPE_SDK"},
              {"status", statusName(info.status)},
              {"startedAt", int64(info.startedAtNs)},
              {"endedAt", int64(info.endedAtNs)},
              {"updatedAt", int64(info.updatedAtNs)},
              {"error", info.error},
              {"manifestLocation", info.manifest}};
  switch (r.kind) {
    case EgressRequest::Kind::Participant:
      out["participant"] = {{"roomName", r.roomName}, {"identity", r.identity}};
      break;
    case EgressRequest::Kind::TrackComposite:
      out["trackComposite"] = nonEmpty({{"roomName", r.roomName},
                                        {"audioTrackId", r.audioTrackId},
                                        {"videoTrackId", r.videoTrackId}});
      break;
    case EgressRequest::Kind::Track:
      out["track"] = {{"roomName", r.roomName}, {"trackId", r.trackId}};
      break;
    case EgressRequest::Kind::Room:
      break;
  }
  json files = json::array();
  for (const auto& f : info.files) files.push_back(toJson(f));
  out["fileResults"] = files;
  if (!info.files.empty()) out["file"] = files[0];  // deprecated single-file result
  return nonEmpty(out);
}

}  // namespace rc::api::egressjson
