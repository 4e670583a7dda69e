// How ringcast-bench reaches a server's signalling: WHIP/WHEP for ringcast, the videoroom
// plugin's HTTP API for Janus. Each simulated client calls one of these once; the media
// (ICE, DTLS, SRTP, RTP) is the same for every server and lives beside this file.
#pragma once

#include <memory>
#include <string>

namespace rc::bench {

// One signalling exchange. When the server answers the client's offer (WHIP, WHEP, Janus
// publisher), `remoteSdp` is the answer and `remoteIsOffer` is false. When the server offers
// (Janus subscriber), `remoteSdp` is its offer, `remoteIsOffer` is true, and the client must
// call Signaling::answer() with its answer on the same handle.
struct Negotiation {
  std::string handle;  // opaque: WHIP/WHEP resource URL, or Janus handle id
  std::string remoteSdp;
  bool remoteIsOffer = false;
};

class Signaling {
 public:
  virtual ~Signaling() = default;
  // Publishes into `room` as `identity`. `offerSdp` is the client's sendonly offer.
  virtual Negotiation publish(const std::string& room, const std::string& identity,
                              const std::string& offerSdp) = 0;
  // Subscribes to the publishers of `room`. `offerSdp` is the client's recvonly offer; servers
  // that offer themselves (Janus) ignore it and return their own offer.
  virtual Negotiation subscribe(const std::string& room, const std::string& identity,
                                const std::string& offerSdp) = 0;
  // Completes a server-offered negotiation (remoteIsOffer == true).
  virtual void answer(const Negotiation& negotiation, const std::string& answerSdp) = 0;
  // Ends the session (WHIP/WHEP DELETE, Janus detach). Never throws.
  virtual void close(const Negotiation& negotiation) noexcept = 0;

  // Subscribes to the one publisher `publisherIdentity` of `room` (WHEP: ?participant=).
  // The default subscribes to every publisher: for servers whose subscribe() receives the
  // whole room in one negotiation (Janus multistream); see receivesWholeRoom().
  virtual Negotiation subscribeTo(const std::string& room, const std::string& identity,
                                  const std::string& publisherIdentity,
                                  const std::string& offerSdp) {
    (void)publisherIdentity;
    return subscribe(room, identity, offerSdp);
  }
  // True when one subscribe() receives every publisher of the room; the scenarios then make one
  // subscription per subscriber instead of one per (subscriber, publisher) pair.
  virtual bool receivesWholeRoom() const { return true; }
};

// Throws std::runtime_error with the server's status and message on any signalling failure.
std::unique_ptr<Signaling> makeWhipSignaling(const std::string& baseUrl, const std::string& apiKey,
                                             const std::string& apiSecret);
std::unique_ptr<Signaling> makeJanusSignaling(const std::string& baseUrl);

}  // namespace rc::bench
