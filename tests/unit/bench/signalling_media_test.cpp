// The load generator's SDP and ICE against ringcast's own answer builder and ICE-lite responder.
#include <gtest/gtest.h>

#include <cstring>

#include "bench/loadgen/ice_controller.h"
#include "bench/loadgen/sdp_offer.h"
#include "engine/sdp/negotiation.h"
#include "engine/sdp/session_description.h"
#include "engine/stun/ice_lite.h"

namespace rc::bench {
namespace {

LocalMedia publisherMedia() {
  LocalMedia l;
  l.iceUfrag = "abcd";
  l.icePwd = randomIceString(24);
  l.fingerprintSha256 = "AB:CD:EF";
  l.candidatePort = 40000;
  l.send = true;
  l.audioSsrc = 111;
  l.videoSsrc = 222;
  l.cname = "pub-0";
  return l;
}

sdp::SessionDescription parsed(const std::string& text) {
  auto r = sdp::parse(text);
  if (auto* e = std::get_if<sdp::ParseError>(&r)) ADD_FAILURE() << e->line << ": " << e->reason;
  return std::get<sdp::SessionDescription>(r);
}

TEST(LoadgenSdp, OfferNegotiatesWithRingcastAndTheAnswerParsesBack) {
  sdp::SessionDescription offer = parsed(buildOffer(publisherMedia()));
  ASSERT_EQ(offer.media.size(), 2u);
  EXPECT_EQ(offer.media[0].kind, "video");
  EXPECT_EQ(offer.media[0].direction, sdp::Direction::SendOnly);
  EXPECT_EQ(offer.media[0].ssrcs(), std::vector<uint32_t>{222});
  EXPECT_TRUE(offer.media[1].rtcpMux);
  sdp::LocalParams server;
  server.iceUfrag = "srvu";
  server.icePwd = "serverpasswordserverpass";
  server.fingerprintSha256 = "01:02:03";
  server.candidateIp = "127.0.0.1";
  server.candidatePort = 7882;
  sdp::AnswerResult answer = sdp::negotiate(offer, server, {});
  ASSERT_TRUE(answer.error.empty()) << answer.error;
  EXPECT_TRUE(answer.weAreDtlsClient == false);
  RemoteEndpoint remote = parseRemote(answer.answer.serialize());
  EXPECT_EQ(remote.iceUfrag, "srvu");
  EXPECT_EQ(remote.icePwd, server.icePwd);
  EXPECT_EQ(remote.fingerprintSha256, "01:02:03");
  EXPECT_EQ(remote.setup, "passive");
  EXPECT_EQ(remote.ip, "127.0.0.1");
  EXPECT_EQ(remote.port, 7882);
}

TEST(LoadgenSdp, AnswersAServerOfferRecvonlyAndRejectsTheRest) {
  std::string serverOffer = buildOffer(publisherMedia()) +
                            "m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\n"
                            "c=IN IP4 0.0.0.0\r\na=mid:2\r\n";
  LocalMedia me = publisherMedia();
  me.send = false;
  sdp::SessionDescription answer = parsed(buildAnswer(serverOffer, me));
  ASSERT_EQ(answer.media.size(), 3u);
  EXPECT_EQ(answer.media[0].direction, sdp::Direction::RecvOnly);
  EXPECT_EQ(answer.media[0].codecs.at(0).name, "VP8");
  EXPECT_EQ(answer.media[1].codecs.at(0).name, "opus");
  EXPECT_EQ(sdp::effectiveTransport(answer, answer.media[0]).setup, "active");
  EXPECT_EQ(answer.media[2].port, 0);
  EXPECT_THROW(buildAnswer("v=0\r\nnot sdp", me), std::runtime_error);
}

TEST(LoadgenIce, ChecksAreAcceptedByRingcastsIceLiteResponder) {
  const std::string serverUfrag = "srvu", serverPwd = "serverpasswordserverpass";
  IceController ice("cliu", "clientpasswordclientpass", serverUfrag, serverPwd);
  uint8_t request[512];
  size_t len = ice.buildCheck(request, true);
  ASSERT_GT(len, 20u);

  stun::Credentials creds{serverUfrag, serverPwd, nullptr};
  stun::IceLiteResponder responder;
  io::SocketAddress from = io::SocketAddress::ipv4("127.0.0.1", 40000);
  uint8_t response[512];
  stun::StunResult r = responder.handle(
      {request, len}, from,
      [&](std::string_view ufrag) { return ufrag == serverUfrag ? &creds : nullptr; }, response);
  ASSERT_EQ(r.outcome, stun::StunOutcome::Response);
  EXPECT_TRUE(r.useCandidate);

  size_t replyLength = 0;
  uint8_t reply[512];
  EXPECT_EQ(ice.handle({response, r.responseLength}, from.storage, from.length, reply, replyLength),
            IceController::Outcome::Success);
  // A response replayed after it was consumed no longer matches a transaction.
  EXPECT_EQ(ice.handle({response, r.responseLength}, from.storage, from.length, reply, replyLength),
            IceController::Outcome::Ignored);
}

TEST(LoadgenIce, WrongServerPasswordIsNotAccepted) {
  IceController ice("cliu", "clientpasswordclientpass", "srvu", "wrongpasswordwrongpasswo");
  uint8_t request[512];
  size_t len = ice.buildCheck(request, true);
  stun::Credentials creds{"srvu", "serverpasswordserverpass", nullptr};
  stun::IceLiteResponder responder;
  uint8_t response[512];
  stun::StunResult r = responder.handle(
      {request, len}, io::SocketAddress::ipv4("127.0.0.1", 1),
      [&](std::string_view) { return &creds; }, response);
  EXPECT_EQ(r.outcome, stun::StunOutcome::BadIntegrity);
}

}  // namespace
}  // namespace rc::bench
