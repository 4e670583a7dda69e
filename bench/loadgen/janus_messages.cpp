// Janus HTTP API messages and reply checks (Janus 1.1 "RESTful, HTTP/JSON" API and the
// videoroom plugin's requests). No I/O here: janus_signaling.cpp sends what this builds.
#include <stdexcept>

#include "bench/loadgen/janus_signaling.h"

namespace rc::bench::janus {
namespace {

using nlohmann::json;

// Janus's ids are 64-bit numbers (JSON integers), or strings with string_ids in the plugin.
std::string idText(const json& id) {
  if (id.is_number_unsigned()) return std::to_string(id.get<uint64_t>());
  if (id.is_number_integer()) return std::to_string(id.get<int64_t>());
  if (id.is_string()) return id.get<std::string>();
  throw std::runtime_error("janus: id is neither a number nor a string: " + id.dump());
}

[[noreturn]] void failJanusError(const json& reply) {
  const json& error = reply.value("error", json::object());
  throw std::runtime_error("janus error " + std::to_string(error.value("code", 0)) + ": " +
                           error.value("reason", std::string("(no reason)")));
}

void checkNotJanusError(const json& reply) {
  if (!reply.is_object()) throw std::runtime_error("janus: reply is not a JSON object");
  if (reply.value("janus", std::string()) == "error") failJanusError(reply);
}

bool isTolerated(int code, const std::vector<int>& tolerated) {
  for (int t : tolerated) {
    if (t == code) return true;
  }
  return false;
}

}  // namespace

std::string formatHandle(const HandleRef& ref) {
  return ref.session + "/" + ref.handle;
}

HandleRef parseHandle(const std::string& text) {
  size_t slash = text.find('/');
  if (slash == std::string::npos || slash == 0 || slash + 1 == text.size() ||
      text.find('/', slash + 1) != std::string::npos) {
    throw std::runtime_error("janus: not a <session>/<handle> reference: " + text);
  }
  return {text.substr(0, slash), text.substr(slash + 1)};
}

json envelope(const std::string& verb, const std::string& transaction) {
  return {{"janus", verb}, {"transaction", transaction}};
}

json pluginMessage(const json& body, const std::string& transaction, const json& jsepBody) {
  json message = envelope("message", transaction);
  message["body"] = body;
  if (!jsepBody.is_null()) message["jsep"] = jsepBody;
  return message;
}

json jsep(const std::string& type, const std::string& sdp) {
  // trickle=false: our SDP already holds every candidate; Janus need not wait for more.
  return {{"type", type}, {"sdp", sdp}, {"trickle", false}};
}

std::string offerAsDtlsClient(std::string sdp) {
  const std::string from = "a=setup:actpass", to = "a=setup:active";
  for (size_t at = sdp.find(from); at != std::string::npos; at = sdp.find(from, at + to.size())) {
    sdp.replace(at, from.size(), to);
  }
  return sdp;
}

json createRoomBody(const std::string& room) {
  return {{"request", "create"},       {"room", room},
          {"permanent", false},        {"publishers", 100000},
          {"bitrate", 20000000},       {"videocodec", "vp8"},
          {"audiocodec", "opus"},      {"notify_joining", false},
          {"audiolevel_event", false}, {"is_private", true}};
}

json publishBody(const std::string& room, const std::string& identity) {
  // joinandconfigure = the publisher "join" and the "configure" carrying the offer, in one.
  return {{"request", "joinandconfigure"},
          {"ptype", "publisher"},
          {"room", room},
          {"id", identity},
          {"display", identity}};
}

json subscribeBody(const std::string& room, const std::vector<std::string>& feeds) {
  json streams = json::array();
  for (const auto& feed : feeds) streams.push_back({{"feed", feed}});
  return {{"request", "join"}, {"ptype", "subscriber"}, {"room", room}, {"streams", streams}};
}

std::string createdId(const json& reply) {
  checkNotJanusError(reply);
  const json* id = nullptr;
  if (auto data = reply.find("data"); data != reply.end() && data->is_object()) {
    if (auto found = data->find("id"); found != data->end()) id = &*found;
  }
  if (!id) throw std::runtime_error("janus: no data.id in " + reply.dump().substr(0, 200));
  return idText(*id);
}

json pluginData(const json& reply, const std::vector<int>& tolerated) {
  checkNotJanusError(reply);
  auto plugin = reply.find("plugindata");
  if (plugin == reply.end() || !plugin->is_object() || !plugin->contains("data") ||
      !(*plugin)["data"].is_object()) {
    throw std::runtime_error("janus: no plugindata in " + reply.dump().substr(0, 200));
  }
  const json& data = (*plugin)["data"];
  if (data.contains("error_code") || data.contains("error")) {
    int code = data.value("error_code", 0);
    if (isTolerated(code, tolerated)) return data;
    throw std::runtime_error("janus videoroom error " + std::to_string(code) + ": " +
                             data.value("error", std::string("(no message)")));
  }
  return data;
}

bool answersTransaction(const json& event, const std::string& transaction) {
  if (!event.is_object()) return false;
  auto found = event.find("transaction");
  if (found == event.end() || !found->is_string() || *found != transaction) return false;
  const std::string verb = event.value("janus", std::string());
  return verb == "event" || verb == "error";
}

std::string jsepSdp(const json& event, const std::string& type) {
  auto found = event.find("jsep");
  if (found == event.end() || !found->is_object() || found->value("type", "") != type ||
      !found->contains("sdp") || !(*found)["sdp"].is_string()) {
    throw std::runtime_error("janus: no jsep " + type + " in " + event.dump().substr(0, 300));
  }
  return (*found)["sdp"].get<std::string>();
}

std::vector<std::string> publisherIds(const json& participantsData) {
  std::vector<std::string> ids;
  auto list = participantsData.find("participants");
  if (list == participantsData.end() || !list->is_array()) return ids;
  for (const json& p : *list) {
    if (p.is_object() && p.value("publisher", false) && p.contains("id")) {
      ids.push_back(idText(p["id"]));
    }
  }
  return ids;
}

}  // namespace rc::bench::janus
