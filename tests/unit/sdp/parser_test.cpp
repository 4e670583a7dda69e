// Parser and serializer tests (RFC 8866) on Chromium/Firefox-style offers.
#include <gtest/gtest.h>

#include "tests/unit/sdp/sdp_test_util.h"

namespace rc::sdp::test {
namespace {

TEST(SdpParse, ChromePublishOfferSessionLevel) {
  SessionDescription s = loadParsed("chrome_publish.sdp");
  EXPECT_EQ(s.origin, "- 4215775240449105457 2 IN IP4 127.0.0.1");
  EXPECT_EQ(s.sessionName, "-");
  EXPECT_EQ(s.timing, "0 0");
  ASSERT_EQ(s.bundleGroups.size(), 1u);
  EXPECT_EQ(s.bundleGroups[0], (std::vector<std::string>{"0", "1"}));
  EXPECT_EQ(s.msidSemantic, std::string("WMS ") + kStream);
  EXPECT_FALSE(s.iceLite);
  ASSERT_EQ(s.otherAttributes.size(), 1u);
  EXPECT_EQ(s.otherAttributes[0], (Attribute{"extmap-allow-mixed", ""}));
  ASSERT_EQ(s.media.size(), 2u);
}

TEST(SdpParse, ChromePublishOfferAudioSection) {
  const MediaSection a = loadParsed("chrome_publish.sdp").media[0];
  EXPECT_EQ(a.kind, "audio");
  EXPECT_EQ(a.port, 9);
  EXPECT_EQ(a.proto, "UDP/TLS/RTP/SAVPF");
  EXPECT_EQ(a.formats.size(), 8u);
  EXPECT_EQ(a.connection, "IN IP4 0.0.0.0");
  EXPECT_EQ(a.mid, "0");
  EXPECT_EQ(a.direction, Direction::SendOnly);
  EXPECT_EQ(a.iceUfrag, "Xq3b");
  EXPECT_EQ(a.icePwd, "3ZkQJ6aOlf8cO2gOqQ1vXb8m");
  ASSERT_TRUE(a.fingerprint.has_value());
  EXPECT_EQ(a.fingerprint->algorithm, "sha-256");
  EXPECT_EQ(a.fingerprint->value.size(), 95u);
  EXPECT_EQ(a.setup, "actpass");
  EXPECT_TRUE(a.rtcpMux && a.rtcpRsize);
  EXPECT_EQ(a.msid, std::string(kStream) + " " + kAudioTrack);
  ASSERT_EQ(a.codecs.size(), 8u);
  EXPECT_EQ(a.codecs[0],
            (Codec{111, "opus", 48000, 2, "minptime=10;useinbandfec=1", {"transport-cc"}}));
  EXPECT_EQ(a.codecs[1], (Codec{63, "red", 48000, 2, "111/111", {}}));
  ASSERT_EQ(a.extmaps.size(), 4u);
  EXPECT_EQ(a.extmaps[0].id, 1);
  EXPECT_EQ(a.extmaps[0].uri, "urn:ietf:params:rtp-hdrext:ssrc-audio-level");
  EXPECT_EQ(a.ssrcs(), (std::vector<uint32_t>{1122334455u}));
  ASSERT_EQ(a.ssrcAttrs.size(), 2u);
  EXPECT_EQ(a.ssrcAttrs[0], (SsrcAttr{1122334455u, "cname", "r7Jk2LmQpZx9Vb4T"}));
  EXPECT_EQ(a.otherAttributes,
            (std::vector<Attribute>{{"rtcp", "9 IN IP4 0.0.0.0"}, {"ice-options", "trickle"}}));
}

TEST(SdpParse, ChromePublishOfferVideoSection) {
  const MediaSection v = loadParsed("chrome_publish.sdp").media[1];
  EXPECT_EQ(v.kind, "video");
  EXPECT_EQ(v.formats.front(), "96");
  const Codec* vp8 = v.findCodec(96);
  ASSERT_NE(vp8, nullptr);
  EXPECT_EQ(vp8->name, "VP8");
  EXPECT_EQ(vp8->clockRate, 90000);
  EXPECT_EQ(vp8->rtcpFb,
            (std::vector<std::string>{"goog-remb", "transport-cc", "ccm fir", "nack", "nack pli"}));
  ASSERT_NE(v.findCodec(97), nullptr);
  EXPECT_EQ(v.findCodec(97)->fmtp, "apt=96");
  EXPECT_EQ(v.findCodec(45)->name, "AV1");
  EXPECT_EQ(v.extmaps.size(), 11u);
  ASSERT_EQ(v.ssrcGroups.size(), 1u);
  EXPECT_EQ(v.ssrcGroups[0], (SsrcGroup{"FID", {2233445566u, 3344556677u}}));
  EXPECT_EQ(v.ssrcs(), (std::vector<uint32_t>{2233445566u, 3344556677u}));
}

TEST(SdpParse, SimulcastRidsAndDatachannel) {
  const MediaSection v = loadParsed("chrome_simulcast.sdp").media[0];
  EXPECT_EQ(v.rids, (std::vector<Rid>{{"q", "send", ""}, {"h", "send", ""}, {"f", "send", ""}}));
  EXPECT_EQ(v.simulcast, "send q;h;f");
  EXPECT_TRUE(v.ssrcs().empty());

  const MediaSection d = loadParsed("chrome_datachannel.sdp").media[2];
  EXPECT_EQ(d.kind, "application");
  EXPECT_EQ(d.proto, "UDP/DTLS/SCTP");
  EXPECT_EQ(d.formats, (std::vector<std::string>{"webrtc-datachannel"}));
  EXPECT_EQ(d.sctpPort, "5000");
  EXPECT_EQ(d.maxMessageSize, "262144");
}

TEST(SdpParse, SessionLevelTransportAndBundleOnly) {
  SessionDescription s = loadParsed("firefox_bundle_only.sdp");
  ASSERT_TRUE(s.fingerprint.has_value());
  EXPECT_EQ(s.msidSemantic, "WMS *");
  const MediaSection& video = s.media[1];
  EXPECT_EQ(video.port, 0);
  EXPECT_TRUE(video.bundleOnly);
  EXPECT_FALSE(video.fingerprint.has_value());
  TransportAttributes t = effectiveTransport(s, s.media[0]);
  EXPECT_EQ(t.iceUfrag, "7f3e2d1c");
  EXPECT_EQ(t.setup, "actpass");
  ASSERT_TRUE(t.fingerprint.has_value());
  EXPECT_EQ(t.fingerprint->algorithm, "sha-256");
  // A codec's a=fmtp may come before its a=rtpmap.
  EXPECT_EQ(*s.media[0].findCodec(109),
            (Codec{109, "opus", 48000, 2, "maxplaybackrate=48000;stereo=1;useinbandfec=1", {}}));
}

TEST(SdpParse, AcceptsLfLineEndings) {
  SessionDescription s = loadParsed("chrome_h264_first_lf.sdp");
  ASSERT_EQ(s.media.size(), 1u);
  EXPECT_EQ(s.media[0].formats.front(), "104");
  EXPECT_EQ(s.media[0].findCodec(104)->fmtp,
            "level-asymmetry-allowed=1;packetization-mode=0;profile-level-id=42001f");
}

TEST(SdpParse, SessionDirectionAppliesToSectionsWithoutOne) {  // RFC 8866 §6.7
  SessionDescription s = parseOk(
      "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\na=recvonly\r\n"
      "m=audio 9 RTP/SAVPF 0\r\nm=audio 9 RTP/SAVPF 0\r\na=inactive\r\n");
  EXPECT_EQ(s.media[0].direction, Direction::RecvOnly);
  EXPECT_EQ(s.media[1].direction, Direction::Inactive);
}

class SdpRoundTrip : public testing::TestWithParam<const char*> {};

TEST_P(SdpRoundTrip, ParseSerializeParseIsStable) {
  SessionDescription first = loadParsed(GetParam());
  std::string text = first.serialize();
  SessionDescription second = parseOk(text);
  EXPECT_EQ(first, second);
  EXPECT_EQ(second.serialize(), text);
  EXPECT_TRUE(text.starts_with("v=0\r\no="));
  EXPECT_EQ(text.find('\n'), text.find("\r\n") + 1);  // CRLF line endings (RFC 8866 §5)
}

INSTANTIATE_TEST_SUITE_P(Corpus, SdpRoundTrip,
                         testing::Values("chrome_publish.sdp", "whep_recvonly.sdp",
                                         "chrome_simulcast.sdp", "chrome_datachannel.sdp",
                                         "chrome_h264_first_lf.sdp", "firefox_bundle_only.sdp"));

TEST(SdpSerialize, DefaultModelFollowsRfc8866Order) {
  SessionDescription s;
  s.otherLines = {{'b', "AS:100"}, {'i', "info"}};
  s.connection = "IN IP4 192.0.2.1";
  EXPECT_EQ(s.serialize(),
            "v=0\r\no=- 0 0 IN IP4 0.0.0.0\r\ns=-\r\ni=info\r\nc=IN IP4 192.0.2.1\r\nb=AS:100\r\n"
            "t=0 0\r\n");
}

TEST(SdpSerialize, KeepsUnknownAttributesAndLines) {
  std::string text =
      "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\na=x-session:1\r\n"
      "m=video 9 UDP/TLS/RTP/SAVPF 96\r\nb=AS:2000\r\na=mid:v\r\na=sendrecv\r\n"
      "a=rtpmap:96 VP8/90000\r\na=rtcp-fb:* nack\r\na=x-foo\r\n";
  SessionDescription s = parseOk(text);
  EXPECT_EQ(s.otherAttributes, (std::vector<Attribute>{{"x-session", "1"}}));
  EXPECT_EQ(s.media[0].otherLines, (std::vector<OtherLine>{{'b', "AS:2000"}}));
  EXPECT_EQ(s.media[0].otherAttributes,
            (std::vector<Attribute>{{"rtcp-fb", "* nack"}, {"x-foo", ""}}));
  EXPECT_EQ(parseOk(s.serialize()), s);
  EXPECT_NE(s.serialize().find("a=x-foo\r\n"), std::string::npos);
}

TEST(SdpModel, SsrcsAreDistinctInOrder) {
  MediaSection m;
  m.ssrcAttrs = {{5, "cname", "a"}, {5, "msid", "s t"}, {7, "cname", "a"}};
  m.ssrcGroups = {{"FID", {5, 9}}, {"FID", {7, 11}}};
  EXPECT_EQ(m.ssrcs(), (std::vector<uint32_t>{5, 7, 9, 11}));
}

}  // namespace
}  // namespace rc::sdp::test
