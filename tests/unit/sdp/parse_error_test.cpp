// Every parse error carries its reason and the line it was found on.
#include <gtest/gtest.h>

#include "tests/unit/sdp/sdp_test_util.h"

namespace rc::sdp::test {
namespace {

struct ErrorCase {
  const char* name;
  std::string text;
  int line;
  const char* reason;  // substring of ParseError::reason
};

constexpr const char* kHead = "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n";
constexpr const char* kAudio = "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\n";  // line 5

std::string withAudio(const char* lines) {
  return std::string(kHead) + kAudio + lines;
}

std::vector<ErrorCase> errorCases() {
  return {
      {"Empty", "", 0, "missing v=0"},
      {"NoVersion", "o=- 1 1 IN IP4 0.0.0.0\r\nv=0\r\n", 1, "missing v=0"},
      {"WrongVersion", "v=1\r\n", 1, "missing v=0"},
      {"DuplicateVersion", std::string(kHead) + "v=0\r\n", 5, "duplicate v="},
      {"UnknownType", std::string(kHead) + "x=1\r\n", 5, "unknown line type 'x'"},
      {"NotTypeEquals", std::string(kHead) + "a:foo\r\n", 5, "malformed line"},
      {"SessionLineInMedia", withAudio("t=0 0\r\n"), 6, "not allowed in a media section"},
      {"ShortMLine", std::string(kHead) + "m=audio 9 UDP/TLS/RTP/SAVPF\r\n", 5, "malformed m="},
      {"BadPort", std::string(kHead) + "m=audio x UDP/TLS/RTP/SAVPF 111\r\n", 5, "bad port"},
      {"MLinePtRange", std::string(kHead) + "m=audio 9 UDP/TLS/RTP/SAVPF 128\r\n", 5,
       "payload type 128 outside 0..127"},
      {"RtpmapNoClock", withAudio("a=rtpmap:111 opus\r\n"), 6, "malformed a=rtpmap"},
      {"RtpmapNoName", withAudio("a=rtpmap:111\r\n"), 6, "malformed a=rtpmap"},
      {"RtpmapPtRange", withAudio("a=rtpmap:200 opus/48000/2\r\n"), 6,
       "payload type 200 outside 0..127"},
      {"RtpmapPtNotNumber", withAudio("a=rtpmap:abc opus/48000/2\r\n"), 6, "malformed a=rtpmap"},
      {"RtpmapBadClock", withAudio("a=rtpmap:111 opus/fast/2\r\n"), 6, "bad clock rate"},
      {"RtpmapDuplicate", withAudio("a=rtpmap:111 opus/48000/2\r\na=rtpmap:111 opus/48000/2\r\n"),
       7, "duplicate payload type"},
      {"FmtpNoParams", withAudio("a=fmtp:111\r\n"), 6, "malformed a=fmtp"},
      {"FmtpPtRange", withAudio("a=fmtp:128 x=1\r\n"), 6, "outside 0..127"},
      {"RtcpFbNoValue", withAudio("a=rtcp-fb:111\r\n"), 6, "malformed a=rtcp-fb"},
      {"ExtmapIdZero", withAudio("a=extmap:0 urn:x\r\n"), 6, "id 0 outside 1..255"},
      {"ExtmapIdTooBig", withAudio("a=extmap:256 urn:x\r\n"), 6, "id 256 outside 1..255"},
      {"ExtmapNoUri", withAudio("a=extmap:1\r\n"), 6, "malformed a=extmap"},
      {"ExtmapBadDirection", withAudio("a=extmap:1/up urn:x\r\n"), 6, "bad direction"},
      {"SsrcNotNumber", withAudio("a=ssrc:abc cname:x\r\n"), 6, "malformed a=ssrc"},
      {"SsrcTooBig", withAudio("a=ssrc:4294967296 cname:x\r\n"), 6, "malformed a=ssrc"},
      {"SsrcNoAttribute", withAudio("a=ssrc:1\r\n"), 6, "malformed a=ssrc"},
      {"SsrcGroupEmpty", withAudio("a=ssrc-group:FID\r\n"), 6, "malformed a=ssrc-group"},
      {"SsrcGroupBadSsrc", withAudio("a=ssrc-group:FID 1 x\r\n"), 6, "malformed a=ssrc-group"},
      {"GroupNoSemantics", std::string(kHead) + "a=group:\r\n", 5, "malformed a=group"},
      {"FingerprintOneToken", withAudio("a=fingerprint:sha-256\r\n"), 6, "malformed a=fingerprint"},
      {"RidBadDirection", withAudio("a=rid:q sideways\r\n"), 6, "malformed a=rid"},
      {"EmptyMid", withAudio("a=mid:\r\n"), 6, "malformed a=mid"},
      {"EmptyAttributeName", withAudio("a=:x\r\n"), 6, "empty attribute name"},
  };
}

class SdpParseError : public testing::TestWithParam<ErrorCase> {};

TEST_P(SdpParseError, ReportsLineAndReason) {
  const ErrorCase& c = GetParam();
  auto result = parse(c.text);
  ASSERT_TRUE(std::holds_alternative<ParseError>(result)) << c.name;
  const ParseError& err = std::get<ParseError>(result);
  EXPECT_EQ(err.line, c.line) << err.reason;
  EXPECT_NE(err.reason.find(c.reason), std::string::npos) << err.reason;
}

INSTANTIATE_TEST_SUITE_P(Cases, SdpParseError, testing::ValuesIn(errorCases()),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(SdpParseLimits, RejectsMoreThan64KiB) {
  std::string text = std::string(kHead) + "a=x:" + std::string(kMaxSdpBytes, 'y') + "\r\n";
  auto result = parse(text);
  ASSERT_TRUE(std::holds_alternative<ParseError>(result));
  EXPECT_EQ(std::get<ParseError>(result).line, 0);
}

TEST(SdpParseLimits, RejectsMoreThan10000Lines) {
  std::string text = "v=0\n";
  for (int i = 0; i < kMaxSdpLines; ++i) text += "a=x\n";
  auto result = parse(text);
  ASSERT_TRUE(std::holds_alternative<ParseError>(result));
  EXPECT_EQ(std::get<ParseError>(result).line, kMaxSdpLines + 1);
  EXPECT_NE(std::get<ParseError>(result).reason.find("lines"), std::string::npos);
}

TEST(SdpParseLimits, AcceptsExactly10000Lines) {
  std::string text = "v=0\n";
  for (int i = 1; i < kMaxSdpLines; ++i) text += "a=x\n";
  EXPECT_TRUE(std::holds_alternative<SessionDescription>(parse(text)));
}

TEST(SdpParseLimits, ExtIdAndPtBoundsAreInclusive) {
  auto s =
      parseOk(withAudio("a=extmap:255 urn:x\r\na=extmap:1 urn:y\r\na=rtpmap:127 x/1\r\n"
                        "a=rtpmap:0 PCMU/8000\r\n"));
  EXPECT_EQ(s.media[0].extmaps[0].id, 255);
  EXPECT_EQ(s.media[0].codecs[0].pt, 127);
}

}  // namespace
}  // namespace rc::sdp::test
