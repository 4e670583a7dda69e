// SDP the load generator sends (offers, and answers to server offers) and what it needs from
// the server's SDP (ICE credentials, DTLS fingerprint and role, host candidate).
#pragma once

#include <cstdint>
#include <string>

namespace rc::bench {

// What one simulated client puts in its SDP.
struct LocalMedia {
  std::string iceUfrag, icePwd;
  std::string fingerprintSha256;  // "AB:CD:.." of the tool's DTLS certificate
  std::string candidateIp = "127.0.0.1";
  uint16_t candidatePort = 0;
  bool send = false;                      // sendonly (publisher) or recvonly (subscriber)
  bool audio = true;                      // an Opus section
  bool video = true;                      // a VP8 section
  uint32_t audioSsrc = 0, videoSsrc = 0;  // sent in a=ssrc when `send`
  std::string cname;
};

inline constexpr int kVp8PayloadType = 96;
inline constexpr int kOpusPayloadType = 111;

// A BUNDLEd, rtcp-mux offer (RFC 8829 §5.2, RFC 8843): video first, then audio; setup:actpass.
std::string buildOffer(const LocalMedia& local);

// Our answer to a server offer (RFC 3264 §6): every audio/video section recvonly with the first
// offered Opus/VP8 codec (else the first codec), others rejected with port 0; setup:active.
// Throws std::runtime_error when the offer does not parse or has no media we can receive.
std::string buildAnswer(const std::string& serverOffer, const LocalMedia& local);

// The transport parameters of the server's SDP (RFC 8839 §5.4 session-level fallback).
struct RemoteEndpoint {
  std::string iceUfrag, icePwd;
  std::string fingerprintSha256;
  std::string setup;  // "passive": we are the DTLS client
  std::string ip;
  uint16_t port = 0;
  bool iceLite = false;
};

// Parses with engine/sdp; takes the first UDP host candidate of the first accepted section.
// Throws std::runtime_error naming what is missing.
RemoteEndpoint parseRemote(const std::string& sdp);

// Random ICE credential characters (RFC 8839 §5.4 ice-char), `length` of them.
std::string randomIceString(size_t length);

}  // namespace rc::bench
