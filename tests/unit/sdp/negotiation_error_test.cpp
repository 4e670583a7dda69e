// Offers ringcast refuses, with the reason that becomes an HTTP 400.
#include <gtest/gtest.h>

#include "tests/unit/sdp/sdp_test_util.h"

namespace rc::sdp::test {
namespace {

std::string refusal(const std::string& offerText) {
  AnswerResult r = negotiate(parseOk(offerText), localParams(), {});
  EXPECT_NE(r.error, "");
  EXPECT_TRUE(r.media.empty());
  return r.error;
}

const std::string& publish() {
  static const std::string text = loadOffer("chrome_publish.sdp");
  return text;
}

TEST(SdpNegotiateError, NoMediaSections) {
  EXPECT_NE(refusal("v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n").find("no m= sections"),
            std::string::npos);
}

TEST(SdpNegotiateError, MissingFingerprint) {
  EXPECT_NE(refusal(removeLines(publish(), "a=fingerprint")).find("sha-256 a=fingerprint"),
            std::string::npos);
}

TEST(SdpNegotiateError, OnlySha1Fingerprint) {
  EXPECT_NE(refusal(replaceAll(publish(), "a=fingerprint:sha-256", "a=fingerprint:sha-1"))
                .find("sha-256"),
            std::string::npos);
}

TEST(SdpNegotiateError, MissingIceCredentials) {
  EXPECT_NE(refusal(removeLines(publish(), "a=ice-pwd")).find("a=ice-ufrag/a=ice-pwd"),
            std::string::npos);
  EXPECT_NE(refusal(removeLines(publish(), "a=ice-ufrag")).find("a=ice-ufrag/a=ice-pwd"),
            std::string::npos);
}

TEST(SdpNegotiateError, MissingRtcpMux) {
  SessionDescription offer = parseOk(publish());
  offer.media[1].rtcpMux = false;
  AnswerResult r = negotiate(offer, localParams(), {});
  EXPECT_NE(r.error.find("mid 1"), std::string::npos) << r.error;
  EXPECT_NE(r.error.find("a=rtcp-mux"), std::string::npos) << r.error;
}

TEST(SdpNegotiateError, MissingBundle) {
  EXPECT_NE(refusal(removeLines(publish(), "a=group:BUNDLE")).find("BUNDLE"), std::string::npos);
  // A group that leaves an accepted section out is not enough either.
  EXPECT_NE(refusal(replaceAll(publish(), "a=group:BUNDLE 0 1", "a=group:BUNDLE 0")).find("BUNDLE"),
            std::string::npos);
}

TEST(SdpNegotiateError, UnsupportedSetup) {
  EXPECT_NE(refusal(replaceAll(publish(), "a=setup:actpass", "a=setup:holdconn")).find("holdconn"),
            std::string::npos);
}

TEST(SdpNegotiateError, NothingAcceptable) {
  std::string dataOnly =
      "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0\r\n"
      "m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\na=mid:0\r\na=ice-ufrag:u\r\n"
      "a=ice-pwd:p\r\na=fingerprint:sha-256 AA\r\na=setup:actpass\r\na=sctp-port:5000\r\n";
  std::string err = refusal(dataOnly);
  EXPECT_NE(err.find("no m= section could be accepted"), std::string::npos) << err;
  EXPECT_NE(err.find("application"), std::string::npos) << err;

  std::string g711 = replaceAll(replaceAll(publish(), "opus/48000/2", "x-opus/48000/2"),
                                "red/48000/2", "x-red/48000/2");
  AnswerResult r = negotiate(parseOk(g711), localParams(), {});
  EXPECT_EQ(r.error, "");  // video still accepted
  EXPECT_EQ(r.media[0].rejectReason, "no supported codec offered");
}

}  // namespace
}  // namespace rc::sdp::test
