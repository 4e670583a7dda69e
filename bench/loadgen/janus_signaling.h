// The Janus side of ringcast-bench's signalling: the videoroom plugin over Janus's HTTP REST API
// (janus.plugin.videoroom, Janus 1.1). makeJanusSignaling() (signaling.h) returns a client built
// from the pieces below; they are declared here so that the unit tests and the fuzz target can
// reach the message building and the reply checking without a server.
//
// Each publish or subscribe gets its own Janus session with one videoroom handle, so the events
// of a long poll (GET /janus/<session>) belong to that negotiation alone. The Negotiation handle
// is "<session id>/<handle id>".
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace rc::bench::janus {

// Videoroom error code for "room already exists" (janus_videoroom.c,
// JANUS_VIDEOROOM_ERROR_ROOM_EXISTS): harmless when two clients create the same room.
constexpr int kRoomExists = 427;

struct HandleRef {
  std::string session;  // Janus session id, as the decimal text Janus uses in paths
  std::string handle;   // videoroom plugin handle id
};

// "<session>/<handle>" and back; parseHandle throws std::runtime_error on anything else.
std::string formatHandle(const HandleRef& ref);
HandleRef parseHandle(const std::string& text);

// Janus API envelopes ({"janus": ..., "transaction": ...}).
nlohmann::json envelope(const std::string& verb, const std::string& transaction);
nlohmann::json pluginMessage(const nlohmann::json& body, const std::string& transaction,
                             const nlohmann::json& jsep = nullptr);
nlohmann::json jsep(const std::string& type, const std::string& sdp);

// The client's offer as Janus gets it: a=setup:actpass becomes a=setup:active. The load
// generator is always the DTLS client, and Janus answers actpass with active (it prefers the
// client role itself); offering active makes it take passive. RFC 8842 §5.2 asks an offerer for
// actpass; a bench client that can only be the client says so instead, which Janus accepts.
std::string offerAsDtlsClient(std::string sdp);

// Videoroom request bodies. Rooms use string ids (the bench's videoroom config sets
// string_ids = true) so that room and participant names are the same for both servers.
nlohmann::json createRoomBody(const std::string& room);
nlohmann::json publishBody(const std::string& room, const std::string& identity);
nlohmann::json subscribeBody(const std::string& room, const std::vector<std::string>& feeds);

// The "data" of a reply's "id" ({"janus":"success","data":{"id":N}}) as text. Throws
// std::runtime_error with Janus's reason when the reply is an error or has no id.
std::string createdId(const nlohmann::json& reply);
// The plugin's data of a synchronous reply or an event; throws on a Janus error, a videoroom
// error (error_code/error) or a missing plugindata. A videoroom error whose code is in
// `tolerated` is returned instead.
nlohmann::json pluginData(const nlohmann::json& reply, const std::vector<int>& tolerated = {});
// True when `event` is the asynchronous reply to `transaction` (not a keepalive, webrtcup, ...).
bool answersTransaction(const nlohmann::json& event, const std::string& transaction);
// The SDP of the event's jsep of the given type ("answer" or "offer"); throws when absent.
std::string jsepSdp(const nlohmann::json& event, const std::string& type);
// The ids of the publishers in a listparticipants reply's data.
std::vector<std::string> publisherIds(const nlohmann::json& participantsData);

}  // namespace rc::bench::janus
