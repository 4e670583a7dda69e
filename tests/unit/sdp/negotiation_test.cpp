// Answer negotiation on Chromium-style offers (RFC 3264, RFC 8829, RFC 8843).
#include <gtest/gtest.h>

#include "tests/unit/sdp/sdp_test_util.h"

namespace rc::sdp::test {
namespace {

AnswerResult negotiateOk(const SessionDescription& offer,
                         const std::map<std::string, OutgoingTrack>& outgoing = {},
                         const LocalParams& local = localParams()) {
  AnswerResult r = negotiate(offer, local, outgoing);
  EXPECT_EQ(r.error, "");
  // Whatever we answer must parse back to the same model.
  EXPECT_EQ(parseOk(r.answer.serialize()), r.answer);
  return r;
}

std::vector<std::string> codecNames(const NegotiatedMedia& nm) {
  std::vector<std::string> names;
  for (const auto& c : nm.codecs) names.push_back(c.name + "/" + std::to_string(c.pt));
  return names;
}

TEST(SdpNegotiate, PublishOfferAudio) {
  AnswerResult r = negotiateOk(loadParsed("chrome_publish.sdp"));
  ASSERT_EQ(r.media.size(), 2u);
  const NegotiatedMedia& a = r.media[0];
  EXPECT_TRUE(a.accepted);
  EXPECT_EQ(a.mid, "0");
  EXPECT_EQ(a.ourDirection, Direction::RecvOnly);
  ASSERT_EQ(codecNames(a), (std::vector<std::string>{"opus/111"}));
  EXPECT_EQ(a.codecs[0].fmtp, "minptime=10;useinbandfec=1");
  EXPECT_EQ(a.codecs[0].channels, 2);
  EXPECT_TRUE(a.codecs[0].transportCc);
  EXPECT_EQ(a.codecs[0].rtxPt, -1);
  EXPECT_EQ(a.ext.audioLevel, 1);
  EXPECT_EQ(a.ext.absSendTime, 2);
  EXPECT_EQ(a.ext.transportCc, 3);
  EXPECT_EQ(a.ext.mid, 4);
  EXPECT_EQ(a.remoteSsrc, 1122334455u);
  EXPECT_EQ(a.remoteRtxSsrc, 0u);
  EXPECT_EQ(a.remoteStreamId, kStream);
  EXPECT_EQ(a.remoteTrackId, kAudioTrack);
  EXPECT_FALSE(a.sending.has_value());
}

TEST(SdpNegotiate, PublishOfferVideoPicksVp8WithRtx) {
  AnswerResult r = negotiateOk(loadParsed("chrome_publish.sdp"));
  const NegotiatedMedia& v = r.media[1];
  EXPECT_EQ(v.ourDirection, Direction::RecvOnly);
  ASSERT_EQ(codecNames(v), (std::vector<std::string>{"VP8/96"}));
  const NegotiatedCodec& vp8 = v.codecs[0];
  EXPECT_EQ(vp8.rtxPt, 97);
  EXPECT_TRUE(vp8.nack && vp8.pli && vp8.fir && vp8.transportCc);
  EXPECT_EQ(v.ext.mid, 4);
  EXPECT_EQ(v.ext.absSendTime, 2);
  EXPECT_EQ(v.ext.transportCc, 3);
  EXPECT_EQ(v.ext.rid, 10);
  EXPECT_EQ(v.ext.repairedRid, 11);
  EXPECT_EQ(v.ext.playoutDelay, 0);
  EXPECT_EQ(v.remoteSsrc, 2233445566u);
  EXPECT_EQ(v.remoteRtxSsrc, 3344556677u);
  EXPECT_EQ(v.remoteMsid, std::string(kStream) + " " + kVideoTrack);
  EXPECT_EQ(v.remoteTrackId, kVideoTrack);
}

TEST(SdpNegotiate, PublishAnswerSdp) {
  AnswerResult r = negotiateOk(loadParsed("chrome_publish.sdp"));
  EXPECT_EQ(r.remoteUfrag, "Xq3b");
  EXPECT_EQ(r.remotePwd, "3ZkQJ6aOlf8cO2gOqQ1vXb8m");
  EXPECT_TRUE(r.remoteFingerprintSha256.starts_with("3C:4A:9F"));
  EXPECT_FALSE(r.weAreDtlsClient);
  const SessionDescription& ans = r.answer;
  EXPECT_TRUE(ans.iceLite);
  EXPECT_EQ(ans.bundleGroups, (std::vector<std::vector<std::string>>{{"0", "1"}}));
  EXPECT_EQ(ans.msidSemantic, "WMS *");
  EXPECT_FALSE(ans.origin.starts_with("- 0 "));
  ASSERT_EQ(ans.media.size(), 2u);
  const MediaSection& v = ans.media[1];
  EXPECT_EQ(v.mid, "1");
  EXPECT_EQ(v.port, 7882);
  EXPECT_EQ(v.connection, "IN IP4 192.0.2.10");
  EXPECT_EQ(v.direction, Direction::RecvOnly);
  EXPECT_EQ(v.formats, (std::vector<std::string>{"96", "97"}));
  EXPECT_EQ(v.iceUfrag, "srvU");
  EXPECT_EQ(v.fingerprint->algorithm, "sha-256");
  EXPECT_EQ(v.fingerprint->value, localParams().fingerprintSha256);
  EXPECT_EQ(v.setup, "passive");
  EXPECT_TRUE(v.rtcpMux && v.rtcpRsize && v.endOfCandidates);
  ASSERT_EQ(v.candidates.size(), 1u);
  EXPECT_EQ(v.candidates[0].raw, "1 1 udp 2130706431 192.0.2.10 7882 typ host");
  EXPECT_TRUE(hasFb(v.codecs[0], "nack pli") && hasFb(v.codecs[0], "transport-cc"));
  EXPECT_FALSE(hasFb(v.codecs[0], "goog-remb"));
  EXPECT_EQ(v.codecs[1], (Codec{97, "rtx", 90000, 0, "apt=96", {}}));
  std::vector<std::string> uris;
  for (const auto& e : v.extmaps) uris.push_back(std::to_string(e.id) + " " + e.uri);
  EXPECT_EQ(uris.size(), 5u);  // abs-send-time, transport-cc, mid, rid, repaired-rid
  EXPECT_TRUE(v.ssrcAttrs.empty());
  std::string text = ans.serialize();
  EXPECT_NE(text.find("a=ice-lite\r\n"), std::string::npos);
  EXPECT_NE(text.find("a=group:BUNDLE 0 1\r\n"), std::string::npos);
  EXPECT_NE(text.find("a=candidate:1 1 udp 2130706431 192.0.2.10 7882 typ host\r\n"),
            std::string::npos);
  EXPECT_EQ(text.find("a=simulcast"), std::string::npos);
}

TEST(SdpNegotiate, H264PacketizationMode1ChosenOverMode0) {
  AnswerResult r = negotiateOk(loadParsed("chrome_h264_first_lf.sdp"));
  ASSERT_EQ(codecNames(r.media[0]), (std::vector<std::string>{"H264/102"}));
  EXPECT_EQ(r.media[0].codecs[0].rtxPt, 103);
  EXPECT_EQ(r.media[0].codecs[0].fmtp,
            "level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42001f");
  EXPECT_EQ(r.media[0].remoteSsrc, 11u);
  EXPECT_EQ(r.media[0].remoteRtxSsrc, 12u);
  EXPECT_EQ(r.answer.media[0].formats, (std::vector<std::string>{"102", "103"}));
}

TEST(SdpNegotiate, Vp9Profiles) {
  SessionDescription offer = loadParsed("chrome_publish.sdp");
  preferFormats(offer.media[1], {"100", "101", "98"});
  AnswerResult r = negotiateOk(offer);
  ASSERT_EQ(codecNames(r.media[1]), (std::vector<std::string>{"VP9/100"}));
  EXPECT_EQ(r.media[1].codecs[0].fmtp, "profile-id=2");
  EXPECT_EQ(r.media[1].codecs[0].rtxPt, 101);

  // profile-id=1 (4:4:4) is not forwarded: the next supported codec wins.
  for (Codec& c : offer.media[1].codecs) {
    if (c.pt == 100) c.fmtp = "profile-id=1";
  }
  r = negotiateOk(offer);
  EXPECT_EQ(codecNames(r.media[1]), (std::vector<std::string>{"VP9/98"}));
}

TEST(SdpNegotiate, Av1WhenPreferred) {
  SessionDescription offer = loadParsed("chrome_publish.sdp");
  preferFormats(offer.media[1], {"118", "116", "45"});  // ulpfec, red first: skipped
  AnswerResult r = negotiateOk(offer);
  ASSERT_EQ(codecNames(r.media[1]), (std::vector<std::string>{"AV1/45"}));
  EXPECT_EQ(r.media[1].codecs[0].rtxPt, 46);
}

TEST(SdpNegotiate, RedFirstAudioGivesRedAndOpus) {
  SessionDescription offer = loadParsed("chrome_publish.sdp");
  preferFormats(offer.media[0], {"63", "111"});
  AnswerResult r = negotiateOk(offer);
  ASSERT_EQ(codecNames(r.media[0]), (std::vector<std::string>{"red/63", "opus/111"}));
  EXPECT_EQ(r.media[0].codecs[0].fmtp, "111/111");
  EXPECT_EQ(r.answer.media[0].formats, (std::vector<std::string>{"63", "111"}));
}

TEST(SdpNegotiate, RecvOnlyOfferAnsweredSendOnlyWithAllCodecs) {
  std::map<std::string, OutgoingTrack> out = {
      {"0", {"sfu-stream", "sfu-audio", 1111, 0, "sfucname"}},
      {"1", {"sfu-stream", "sfu-video", 2222, 3333, "sfucname"}}};
  AnswerResult r = negotiateOk(loadParsed("whep_recvonly.sdp"), out);
  EXPECT_EQ(r.media[0].ourDirection, Direction::SendOnly);
  EXPECT_EQ(codecNames(r.media[0]), (std::vector<std::string>{"opus/111", "red/63"}));
  EXPECT_FALSE(r.media[0].codecs[0].transportCc);
  EXPECT_EQ(r.media[0].ext.transportCc, 0);
  EXPECT_EQ(r.media[0].ext.audioLevel, 1);
  EXPECT_EQ(r.media[0].ext.mid, 4);
  EXPECT_EQ(r.media[1].ourDirection, Direction::SendOnly);
  EXPECT_EQ(codecNames(r.media[1]),
            (std::vector<std::string>{"VP8/96", "H264/102", "H264/106", "H264/127", "AV1/45",
                                      "VP9/98", "VP9/100", "H264/112"}));
  EXPECT_EQ(r.media[1].ext.transportCc, 0);
  EXPECT_EQ(r.media[1].ext.rid, 0);
  EXPECT_EQ(r.media[1].sending, out["1"]);
  const MediaSection& v = r.answer.media[1];
  EXPECT_EQ(v.direction, Direction::SendOnly);
  EXPECT_EQ(v.formats,
            (std::vector<std::string>{"96", "97", "102", "103", "106", "107", "127", "125", "45",
                                      "46", "98", "99", "100", "101", "112", "113"}));
  EXPECT_EQ(v.codecs[0].rtcpFb, (std::vector<std::string>{"ccm fir", "nack", "nack pli"}));
  EXPECT_EQ(v.msid, "sfu-stream sfu-video");
  EXPECT_EQ(v.ssrcGroups, (std::vector<SsrcGroup>{{"FID", {2222, 3333}}}));
  for (uint32_t ssrc : {2222u, 3333u}) {
    ASSERT_NE(findSsrcAttr(v, ssrc, "cname"), nullptr);
    EXPECT_EQ(findSsrcAttr(v, ssrc, "cname")->value, "sfucname");
    EXPECT_EQ(findSsrcAttr(v, ssrc, "msid")->value, "sfu-stream sfu-video");
  }
  const MediaSection& a = r.answer.media[0];
  EXPECT_TRUE(a.ssrcGroups.empty());  // no RTX for audio
  EXPECT_EQ(a.ssrcs(), (std::vector<uint32_t>{1111}));
  EXPECT_TRUE(a.codecs[0].rtcpFb.empty());
}

TEST(SdpNegotiate, RecvOnlyWithoutTrackIsInactiveUnlessAnnounced) {
  SessionDescription offer = loadParsed("whep_recvonly.sdp");
  AnswerResult r = negotiateOk(offer);
  EXPECT_EQ(r.media[1].ourDirection, Direction::Inactive);
  EXPECT_TRUE(r.media[1].accepted);
  EXPECT_TRUE(r.answer.media[1].ssrcAttrs.empty());
  EXPECT_EQ(r.answer.bundleGroups[0], (std::vector<std::string>{"0", "1"}));

  LocalParams local = localParams();
  local.announceSendOnlyWithoutTrack = true;
  r = negotiateOk(offer, {}, local);
  ASSERT_TRUE(r.media[1].sending.has_value());
  EXPECT_EQ(r.media[1].ourDirection, Direction::SendOnly);
  EXPECT_NE(r.media[1].sending->ssrc, 0u);
  EXPECT_NE(r.media[1].sending->rtxSsrc, 0u);
  EXPECT_EQ(r.answer.media[1].ssrcs(),
            (std::vector<uint32_t>{r.media[1].sending->ssrc, r.media[1].sending->rtxSsrc}));
  EXPECT_EQ(r.answer.media[0].direction, Direction::SendOnly);
}

TEST(SdpNegotiate, SendRecvSectionsAndDatachannelRejected) {
  SessionDescription offer = loadParsed("chrome_datachannel.sdp");
  std::map<std::string, OutgoingTrack> out = {{"1", {"s", "t", 10, 11, "c"}}};
  AnswerResult r = negotiateOk(offer, out);
  ASSERT_EQ(r.media.size(), 3u);
  EXPECT_EQ(r.media[0].ourDirection, Direction::RecvOnly);  // no track for mid 0
  EXPECT_EQ(r.media[1].ourDirection, Direction::SendRecv);
  EXPECT_EQ(codecNames(r.media[1]), (std::vector<std::string>{"VP8/96"}));
  EXPECT_FALSE(r.media[2].accepted);
  EXPECT_NE(r.media[2].rejectReason.find("application"), std::string::npos);
  const MediaSection& d = r.answer.media[2];
  EXPECT_EQ(d.port, 0);
  EXPECT_EQ(d.proto, "UDP/DTLS/SCTP");
  EXPECT_EQ(d.formats, (std::vector<std::string>{"webrtc-datachannel"}));
  EXPECT_EQ(d.mid, "2");
  EXPECT_EQ(r.answer.bundleGroups[0], (std::vector<std::string>{"0", "1"}));
  std::string text = r.answer.serialize();
  EXPECT_NE(text.find("m=application 0 UDP/DTLS/SCTP webrtc-datachannel\r\n"), std::string::npos);
  EXPECT_EQ(r.answer.media[1].ssrcs(), (std::vector<uint32_t>{10, 11}));
}

TEST(SdpNegotiate, PortZeroSectionRejectedUnlessBundleOnly) {
  SessionDescription offer = loadParsed("chrome_publish.sdp");
  offer.media[1].port = 0;
  AnswerResult r = negotiateOk(offer);
  EXPECT_FALSE(r.media[1].accepted);
  EXPECT_EQ(r.answer.media[1].port, 0);
  EXPECT_EQ(r.answer.media[1].formats, offer.media[1].formats);
  EXPECT_EQ(r.answer.media[1].direction, Direction::Inactive);
  EXPECT_EQ(r.answer.bundleGroups[0], (std::vector<std::string>{"0"}));

  r = negotiateOk(loadParsed("firefox_bundle_only.sdp"));  // port 0 + a=bundle-only
  ASSERT_TRUE(r.media[1].accepted);
  EXPECT_EQ(codecNames(r.media[1]), (std::vector<std::string>{"VP8/120"}));
  EXPECT_EQ(r.media[1].codecs[0].rtxPt, 124);
  EXPECT_EQ(r.media[1].remoteRtxSsrc, 1399887766u);
  EXPECT_EQ(r.answer.media[1].port, 7882);
  EXPECT_EQ(r.remoteUfrag, "7f3e2d1c");  // session-level fingerprint, media-level ICE
  EXPECT_EQ(r.answer.bundleGroups[0], (std::vector<std::string>{"0", "1"}));
}

TEST(SdpNegotiate, DtlsRoles) {  // RFC 5763 §5, RFC 8842 §5.2
  SessionDescription offer = loadParsed("chrome_publish.sdp");
  for (auto& m : offer.media) m.setup = "passive";
  AnswerResult r = negotiateOk(offer);
  EXPECT_TRUE(r.weAreDtlsClient);
  EXPECT_EQ(r.answer.media[0].setup, "active");
  for (auto& m : offer.media) m.setup = "active";
  r = negotiateOk(offer);
  EXPECT_FALSE(r.weAreDtlsClient);
  EXPECT_EQ(r.answer.media[1].setup, "passive");
}

TEST(SdpNegotiate, SimulcastOfferAnsweredWithoutSimulcast) {
  AnswerResult r = negotiateOk(loadParsed("chrome_simulcast.sdp"));
  EXPECT_EQ(codecNames(r.media[0]), (std::vector<std::string>{"VP8/96"}));
  EXPECT_TRUE(r.media[0].rids.empty());
  EXPECT_EQ(r.media[0].remoteSsrc, 0u);  // rid-based: learnt from the first packets
  EXPECT_TRUE(r.answer.media[0].rids.empty());
  EXPECT_TRUE(r.answer.media[0].simulcast.empty());
  EXPECT_EQ(r.media[0].ext.rid, 10);
}

TEST(SdpNegotiate, RenegotiationKeepsPreviousMids) {
  LocalParams local = localParams();
  local.sessionId = 777;
  local.sessionVersion = 2;
  SessionDescription first = loadParsed("chrome_publish.sdp");
  AnswerResult r1 = negotiateOk(first, {}, local);

  SessionDescription second = first;
  MediaSection extra = loadParsed("whep_recvonly.sdp").media[1];
  extra.mid = "2";
  second.media.push_back(extra);
  second.bundleGroups = {{"0", "1", "2"}};
  local.sessionVersion = 3;
  AnswerResult r2 = negotiateOk(second, {{"2", {"s", "t", 50, 51, "c"}}}, local);
  ASSERT_EQ(r2.media.size(), 3u);
  for (size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(r2.media[i].mid, r1.media[i].mid);
    EXPECT_EQ(codecNames(r2.media[i]), codecNames(r1.media[i]));
    EXPECT_EQ(r2.answer.media[i], r1.answer.media[i]);
  }
  EXPECT_EQ(r2.media[2].ourDirection, Direction::SendOnly);
  EXPECT_EQ(r2.answer.bundleGroups[0], (std::vector<std::string>{"0", "1", "2"}));
  EXPECT_EQ(r1.answer.origin, "- 777 2 IN IP4 0.0.0.0");
  EXPECT_EQ(r2.answer.origin, "- 777 3 IN IP4 0.0.0.0");
}

TEST(SdpNegotiate, Ipv6Candidate) {
  LocalParams local = localParams();
  local.candidateIp = "2001:db8::1";
  AnswerResult r = negotiateOk(loadParsed("chrome_publish.sdp"), {}, local);
  EXPECT_EQ(r.answer.media[0].connection, "IN IP6 2001:db8::1");
  EXPECT_EQ(r.answer.media[0].candidates[0].raw, "1 1 udp 2130706431 2001:db8::1 7882 typ host");
}

}  // namespace
}  // namespace rc::sdp::test
