// The protobuf-JSON mapping (https://protobuf.dev/programming-guides/json/) of the LiveKit
// messages ringcast speaks (livekit_models.proto Room, ParticipantInfo, TrackInfo,
// ParticipantPermission; livekit_webhook.proto WebhookEvent): lowerCamelCase names, enums as
// their names, 64-bit integers as decimal strings, default values omitted. Request bodies
// are read the way protobuf JSON parsers read them: both the JSON name and the proto field
// name are accepted, 32/64-bit integers as numbers or decimal strings, null as the default,
// unknown fields ignored (Twirp servers discard them).
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "api/media_engine.h"

namespace rc::api::lkjson {

nlohmann::json toJson(const TrackInfo& t);
nlohmann::json toJson(const ParticipantPermission& p);
nlohmann::json toJson(const ParticipantInfo& p);
nlohmann::json toJson(const RoomInfo& r);
// WebhookEvent {event, room, participant?, track?, id, createdAt (unix seconds)}.
nlohmann::json toJson(const RoomEvent& e, const std::string& id, int64_t createdAtSec);

// A request body that cannot be used. `field` names the offending field ("" for the body
// itself); `malformed` is true when the JSON does not decode (bad syntax or a wrong type),
// false when a decoded value is unacceptable (Twirp invalid_argument).
class BodyError : public std::runtime_error {
 public:
  BodyError(std::string field, const std::string& message, bool malformed)
      : std::runtime_error(message), field_(std::move(field)), malformed_(malformed) {}
  const std::string& field() const { return field_; }
  bool malformed() const { return malformed_; }

 private:
  std::string field_;
  bool malformed_;
};

// A decoded JSON object. Field getters take the JSON (camelCase) name and the proto
// (snake_case) name; they throw BodyError naming the field on a wrong type.
class JsonBody {
 public:
  // Throws BodyError when `text` is not a JSON object (an empty body is an empty object, as
  // protobuf JSON treats it).
  static JsonBody parse(std::string_view text);

  std::optional<std::string> optString(std::string_view camel, std::string_view snake) const;
  // A required non-empty string: BodyError (invalid_argument) when missing or empty.
  std::string requireString(std::string_view camel, std::string_view snake) const;
  std::optional<bool> optBool(std::string_view camel, std::string_view snake) const;
  std::optional<uint32_t> optUint32(std::string_view camel, std::string_view snake) const;
  std::optional<int64_t> optInt64(std::string_view camel, std::string_view snake) const;
  std::vector<std::string> stringList(std::string_view camel, std::string_view snake) const;
  std::optional<JsonBody> optObject(std::string_view camel, std::string_view snake) const;
  // A repeated message field; elements are named "field[i]." in errors.
  std::vector<JsonBody> objectList(std::string_view camel, std::string_view snake) const;

 private:
  JsonBody(nlohmann::json value, std::string prefix)
      : value_(std::move(value)), prefix_(std::move(prefix)) {}
  // The value under either name (nullopt when absent or null) and the name it was found as.
  const nlohmann::json* find(std::string_view camel, std::string_view snake) const;
  [[noreturn]] void wrongType(std::string_view camel, const char* expected) const;
  std::string fieldName(std::string_view camel) const { return prefix_ + std::string(camel); }

  nlohmann::json value_;
  std::string prefix_;  // "permission." for nested objects
};

// ParticipantPermission from its JSON object; absent booleans are false (proto3 defaults).
ParticipantPermission parsePermission(const JsonBody& body);

}  // namespace rc::api::lkjson
