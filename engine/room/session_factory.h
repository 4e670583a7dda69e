// Building blocks shared by the WHIP/WHEP session code and renegotiation.
#pragma once

#include <memory>
#include <string>
#include <variant>

#include "api/media_engine.h"
#include "engine/room/down_track.h"
#include "engine/room/published_track.h"
#include "engine/sdp/negotiation.h"
#include "engine/sdp/session_description.h"
#include "engine/transport/transport.h"

namespace rc::engine {

std::string randomToken(size_t n);  // [A-Za-z0-9]{n} from OpenSSL's CSPRNG
uint32_t randomU32();               // never 0
api::OfferOutcome badRequest(std::string why);
std::variant<sdp::SessionDescription, std::string> parseOffer(const std::string& text);
bool weReceive(const sdp::NegotiatedMedia& m);
bool weSend(const sdp::NegotiatedMedia& m);
std::shared_ptr<PublishedTrack> makeTrack(const sdp::NegotiatedMedia& m, Transport* t,
                                          const std::string& identity);
InboundStream makeInbound(PublishedTrack* track);
std::unique_ptr<DownTrack> makeDownTrack(Transport* t, const sdp::NegotiatedMedia& m,
                                         const sdp::OutgoingTrack& out);
sdp::OutgoingTrack newOutgoingTrack(const std::string& room, const sdp::MediaSection& m);

}  // namespace rc::engine
