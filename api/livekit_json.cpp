#include "api/livekit_json.h"

#include <charconv>
#include <limits>

namespace rc::api::lkjson {
namespace {

using nlohmann::json;

// Proto3 JSON omits fields holding their default value.
void putString(json& j, const char* name, const std::string& v) {
  if (!v.empty()) j[name] = v;
}
void putBool(json& j, const char* name, bool v) {
  if (v) j[name] = true;
}
void putUint32(json& j, const char* name, uint32_t v) {
  if (v) j[name] = v;
}
void putInt64(json& j, const char* name, int64_t v) {
  if (v) j[name] = std::to_string(v);  // int64 is a JSON string in protobuf JSON
}

template <typename T>
std::optional<T> parseDecimal(std::string_view s) {
  T v{};
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || s.empty()) return std::nullopt;
  return v;
}

template <typename T>
std::optional<T> integerValue(const json& v) {
  if (v.is_number_integer()) {
    if (v.is_number_unsigned()) {
      auto u = v.get<uint64_t>();
      if (u > static_cast<uint64_t>(std::numeric_limits<T>::max())) return std::nullopt;
      return static_cast<T>(u);
    }
    auto i = v.get<int64_t>();
    if (i < static_cast<int64_t>(std::numeric_limits<T>::min()) ||
        (i > 0 && static_cast<uint64_t>(i) > static_cast<uint64_t>(std::numeric_limits<T>::max())))
      return std::nullopt;
    return static_cast<T>(i);
  }
  if (v.is_number_float()) {  // protobuf JSON accepts 5.0 for an integer field, not 5.5
    double d = v.get<double>();
    if (d != static_cast<double>(static_cast<int64_t>(d))) return std::nullopt;
    return integerValue<T>(json(static_cast<int64_t>(d)));
  }
  if (v.is_string()) return parseDecimal<T>(v.get_ref<const std::string&>());
  return std::nullopt;
}

}  // namespace

json toJson(const TrackInfo& t) {
  json j = json::object();
  putString(j, "sid", t.sid);
  if (t.type != "AUDIO") j["type"] = t.type;  // AUDIO is the enum's zero value
  putString(j, "name", t.name);
  putBool(j, "muted", t.muted);
  if (!t.source.empty() && t.source != "UNKNOWN") j["source"] = t.source;
  putString(j, "mimeType", t.mimeType);
  putString(j, "mid", t.mid);
  return j;
}

json toJson(const ParticipantPermission& p) {
  json j = json::object();
  putBool(j, "canSubscribe", p.canSubscribe);
  putBool(j, "canPublish", p.canPublish);
  putBool(j, "canPublishData", p.canPublishData);
  return j;
}

json toJson(const ParticipantInfo& p) {
  json j = json::object();
  putString(j, "sid", p.sid);
  putString(j, "identity", p.identity);
  if (p.state != "JOINING") j["state"] = p.state;  // JOINING is the zero value
  json tracks = json::array();
  for (const auto& t : p.tracks) tracks.push_back(toJson(t));
  if (!tracks.empty()) j["tracks"] = std::move(tracks);
  putString(j, "metadata", p.metadata);
  putInt64(j, "joinedAt", p.joinedAtMs / 1000);
  putInt64(j, "joinedAtMs", p.joinedAtMs);
  putString(j, "name", p.name);
  j["permission"] = toJson(p.permission);
  putBool(j, "isPublisher", p.isPublisher);
  return j;
}

json toJson(const RoomInfo& r) {
  json j = json::object();
  putString(j, "sid", r.sid);
  putString(j, "name", r.name);
  putUint32(j, "emptyTimeout", r.emptyTimeout);
  putUint32(j, "maxParticipants", r.maxParticipants);
  putInt64(j, "creationTime", r.creationTimeMs / 1000);
  putInt64(j, "creationTimeMs", r.creationTimeMs);
  putString(j, "metadata", r.metadata);
  putUint32(j, "numParticipants", r.numParticipants);
  putUint32(j, "numPublishers", r.numPublishers);
  return j;
}

json toJson(const RoomEvent& e, const std::string& id, int64_t createdAtSec) {
  json j = json::object();
  j["event"] = e.event;
  j["room"] = toJson(e.room);
  if (e.participant) j["participant"] = toJson(*e.participant);
  if (e.track) j["track"] = toJson(*e.track);
  j["id"] = id;
  putInt64(j, "createdAt", createdAtSec);
  return j;
}

JsonBody JsonBody::parse(std::string_view text) {
  if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) return {json::object(), ""};
  json v = json::parse(text, nullptr, false);
  if (v.is_discarded()) throw BodyError("", "request body is not valid JSON", true);
  if (!v.is_object()) throw BodyError("", "request body must be a JSON object", true);
  return {std::move(v), ""};
}

const json* JsonBody::find(std::string_view camel, std::string_view snake) const {
  for (std::string_view name : {camel, snake}) {
    auto it = value_.find(name);
    if (it != value_.end() && !it->is_null()) return &*it;
  }
  return nullptr;
}

void JsonBody::wrongType(std::string_view camel, const char* expected) const {
  throw BodyError(fieldName(camel), "field '" + fieldName(camel) + "' must be " + expected, true);
}

std::optional<std::string> JsonBody::optString(std::string_view camel,
                                               std::string_view snake) const {
  const json* v = find(camel, snake);
  if (!v) return std::nullopt;
  if (!v->is_string()) wrongType(camel, "a string");
  return v->get<std::string>();
}

std::string JsonBody::requireString(std::string_view camel, std::string_view snake) const {
  auto v = optString(camel, snake);
  if (!v || v->empty()) {
    throw BodyError(fieldName(camel), "field '" + fieldName(camel) + "' is required", false);
  }
  return *v;
}

std::optional<bool> JsonBody::optBool(std::string_view camel, std::string_view snake) const {
  const json* v = find(camel, snake);
  if (!v) return std::nullopt;
  if (!v->is_boolean()) wrongType(camel, "true or false");
  return v->get<bool>();
}

std::optional<uint32_t> JsonBody::optUint32(std::string_view camel, std::string_view snake) const {
  const json* v = find(camel, snake);
  if (!v) return std::nullopt;
  auto n = integerValue<uint32_t>(*v);
  if (!n) wrongType(camel, "an unsigned 32-bit integer");
  return n;
}

std::optional<int64_t> JsonBody::optInt64(std::string_view camel, std::string_view snake) const {
  const json* v = find(camel, snake);
  if (!v) return std::nullopt;
  auto n = integerValue<int64_t>(*v);
  if (!n) wrongType(camel, "a 64-bit integer (number or decimal string)");
  return n;
}

std::vector<std::string> JsonBody::stringList(std::string_view camel,
                                              std::string_view snake) const {
  const json* v = find(camel, snake);
  if (!v) return {};
  if (!v->is_array()) wrongType(camel, "an array of strings");
  std::vector<std::string> out;
  for (const auto& item : *v) {
    if (!item.is_string()) wrongType(camel, "an array of strings");
    out.push_back(item.get<std::string>());
  }
  return out;
}

std::optional<JsonBody> JsonBody::optObject(std::string_view camel, std::string_view snake) const {
  const json* v = find(camel, snake);
  if (!v) return std::nullopt;
  if (!v->is_object()) wrongType(camel, "an object");
  return JsonBody(*v, fieldName(camel) + ".");
}

std::vector<JsonBody> JsonBody::objectList(std::string_view camel, std::string_view snake) const {
  const json* v = find(camel, snake);
  if (!v) return {};
  if (!v->is_array()) wrongType(camel, "an array of objects");
  std::vector<JsonBody> out;
  for (size_t i = 0; i < v->size(); ++i) {
    if (!(*v)[i].is_object()) wrongType(camel, "an array of objects");
    out.push_back(JsonBody((*v)[i], fieldName(camel) + "[" + std::to_string(i) + "]."));
  }
  return out;
}

ParticipantPermission parsePermission(const JsonBody& body) {
  ParticipantPermission p;
  p.canSubscribe = body.optBool("canSubscribe", "can_subscribe").value_or(false);
  p.canPublish = body.optBool("canPublish", "can_publish").value_or(false);
  p.canPublishData = body.optBool("canPublishData", "can_publish_data").value_or(false);
  return p;
}

}  // namespace rc::api::lkjson
