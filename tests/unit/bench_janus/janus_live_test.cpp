// Publish and subscribe negotiations against a real Janus 1.1 (videoroom). Runs only under
// `bench/compare-janus --serve` (tests/unit/bench/CMakeLists.txt), which starts Janus in a
// network namespace on 127.0.0.2 and sets JANUS_URL; skipped otherwise.
#include <gtest/gtest.h>

#include <cstdlib>
#include <random>
#include <string>

#include "bench/loadgen/signaling.h"

namespace rc::bench {
namespace {

// A sendonly VP8 + Opus offer as a browser would send it, without trickle (RFC 8829 §5.2).
// The fingerprint is syntactically valid; no DTLS happens in this test.
std::string handmadeOffer() {
  const std::string fp =
      "sha-256 6A:1F:3C:55:0B:9E:4D:21:88:C7:30:EE:51:AF:92:04:7B:16:D9:63:2A:F0:CE:41:"
      "35:B8:0D:7E:99:12:6C:AB";
  auto section = [&](const std::string& m, const std::string& mid, const std::string& rtpmap) {
    return m + "\r\nc=IN IP4 127.0.0.1\r\na=mid:" + mid +
           "\r\na=sendonly\r\na=rtcp-mux\r\na=ice-ufrag:bnch\r\na=ice-pwd:"
           "abcdefghijklmnopqrstuv\r\na=fingerprint:" +
           fp + "\r\na=setup:actpass\r\n" + rtpmap + "a=ssrc:" + (mid == "0" ? "1111" : "2222") +
           " cname:bench\r\n"
           "a=candidate:1 1 udp 2130706431 127.0.0.1 40000 typ host\r\na=end-of-candidates\r\n";
  };
  return "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0 1\r\n"
         "a=msid-semantic: WMS\r\n" +
         section("m=audio 40000 UDP/TLS/RTP/SAVPF 111", "0", "a=rtpmap:111 opus/48000/2\r\n") +
         section("m=video 40000 UDP/TLS/RTP/SAVPF 96", "1", "a=rtpmap:96 VP8/90000\r\n");
}

const char* janusUrl() {
  return std::getenv("JANUS_URL");
}

std::string freshRoom() {
  return "rcb-test-" + std::to_string(std::random_device{}());
}

TEST(JanusLive, PublisherGetsAnAnswerWithCandidatesOnTheNamespaceAddress) {
  if (!janusUrl()) GTEST_SKIP() << "JANUS_URL not set (run under bench/compare-janus --serve)";
  auto signaling = makeJanusSignaling(janusUrl());
  Negotiation pub = signaling->publish(freshRoom(), "pub", handmadeOffer());
  EXPECT_FALSE(pub.remoteIsOffer);
  EXPECT_NE(pub.remoteSdp.find("a=ice-lite"), std::string::npos) << pub.remoteSdp;
  EXPECT_NE(pub.remoteSdp.find("a=candidate:"), std::string::npos) << pub.remoteSdp;
  EXPECT_NE(pub.remoteSdp.find(" 127.0.0.2 "), std::string::npos) << pub.remoteSdp;
  EXPECT_NE(pub.remoteSdp.find("VP8/90000"), std::string::npos) << pub.remoteSdp;
  EXPECT_NE(pub.remoteSdp.find("a=recvonly"), std::string::npos) << pub.remoteSdp;
  EXPECT_NE(pub.remoteSdp.find("a=setup:passive"), std::string::npos) << pub.remoteSdp;
  signaling->close(pub);
}

// Janus lists a publisher for subscription only once its PeerConnection is up, which this
// handmade offer never brings about (no ICE/DTLS here); `ringcast-bench run --kind janus`
// exercises the subscriber path end to end.
TEST(JanusLive, SubscriberWaitsForAConnectedPublisher) {
  if (!janusUrl()) GTEST_SKIP() << "JANUS_URL not set (run under bench/compare-janus --serve)";
  auto signaling = makeJanusSignaling(janusUrl());
  std::string room = freshRoom();
  Negotiation pub = signaling->publish(room, "pub", handmadeOffer());
  try {
    signaling->subscribe(room, "viewer", "");
    ADD_FAILURE() << "subscribed to a publisher that never connected";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("no connected publisher"), std::string::npos) << e.what();
  }
  signaling->close(pub);
}

TEST(JanusLive, SubscribingToAnEmptyRoomFails) {
  if (!janusUrl()) GTEST_SKIP() << "JANUS_URL not set (run under bench/compare-janus --serve)";
  auto signaling = makeJanusSignaling(janusUrl());
  EXPECT_THROW(signaling->subscribe(freshRoom(), "viewer", ""), std::runtime_error);
}

}  // namespace
}  // namespace rc::bench
