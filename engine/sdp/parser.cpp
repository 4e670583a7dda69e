// SDP parser, RFC 8866 (line grammar §5, attributes §6) with the JSEP attributes of RFC 8829.
//
// Hand-written on purpose: Debian 12 ships no well-kept C++ SDP library (the C ones come with a
// whole SIP stack), and WebRTC offers use a small, well-defined subset. The parser is strict
// about the lines it models (see parse() in session_description.h) and keeps every other
// attribute or line verbatim so serialize() can round-trip it.
#include <string>

#include "engine/sdp/attribute_parser.h"
#include "engine/sdp/sdp_text.h"
#include "engine/sdp/session_description.h"

namespace rc::sdp {
namespace {

using detail::fail;
using text::splitWs;
using text::trim;

// RFC 8866 §5.14: m=<media> <port>[/<number of ports>] <proto> <fmt> ...
MediaSection parseMediaLine(std::string_view value) {
  auto toks = splitWs(value);
  if (toks.size() < 4) fail("malformed m=: expected '<media> <port> <proto> <fmt>...'");
  MediaSection m;
  m.kind = std::string(toks[0]);
  auto portAndCount = text::splitFirst(toks[1], '/');
  auto port = text::parseUint(portAndCount ? portAndCount->head : toks[1], 65535);
  if (!port) fail("malformed m=: bad port '" + std::string(toks[1]) + "'");
  m.port = static_cast<int>(*port);
  if (portAndCount) {
    auto count = text::parseUint(portAndCount->tail, 65535);
    if (!count || *count == 0) fail("malformed m=: bad port count");
    m.portCount = static_cast<int>(*count);
  }
  m.proto = std::string(toks[2]);
  bool rtp = m.proto.find("RTP/") != std::string::npos;  // RFC 8866 §5.14: <fmt> are RTP PTs
  for (size_t i = 3; i < toks.size(); ++i) {
    if (rtp) detail::parsePayloadType(toks[i], "m=");
    m.formats.emplace_back(toks[i]);
  }
  return m;
}

bool isSessionOnlyType(char type) {
  return std::string_view("vostuperz").find(type) != std::string_view::npos;
}
bool isKnownType(char type) {
  return std::string_view("vosiuepcbtrzkam").find(type) != std::string_view::npos;
}

class Parser {
 public:
  SessionDescription run(std::string_view text);
  int line() const { return line_; }

 private:
  void onLine(std::string_view line);
  void sessionLine(char type, std::string_view value);
  void mediaLine(char type, std::string_view value);
  void attributeLine(std::string_view value);
  void finishMedia();

  SessionDescription sdp_;
  int line_ = 0;
  bool sawVersion_ = false, sawTiming_ = false, inMedia_ = false;
  bool mediaDirectionSeen_ = false;
  std::optional<Direction> sessionDirection_;
};

SessionDescription Parser::run(std::string_view text) {
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    start = end + 1;
    if (++line_ > kMaxSdpLines) fail("more than " + std::to_string(kMaxSdpLines) + " lines");
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (!line.empty()) onLine(line);
  }
  if (!sawVersion_) fail("missing v=0 (RFC 8866 §5.1)");
  finishMedia();
  return std::move(sdp_);
}

void Parser::onLine(std::string_view line) {
  if (line.size() < 2 || line[1] != '=') fail("malformed line: expected '<type>=<value>'");
  char type = line[0];
  std::string_view value = line.substr(2);
  if (!isKnownType(type)) fail(std::string("unknown line type '") + type + "'");
  if (!sawVersion_) {
    // RFC 8866 §5.1: the description starts with v=0.
    if (type != 'v' || trim(value) != "0") fail("missing v=0 (RFC 8866 §5.1)");
    sawVersion_ = true;
    return;
  }
  if (type == 'v') fail("duplicate v= line");
  if (type == 'm') {
    finishMedia();
    sdp_.media.push_back(parseMediaLine(value));
    inMedia_ = true;
    return;
  }
  if (inMedia_) {
    mediaLine(type, value);
  } else {
    sessionLine(type, value);
  }
}

void Parser::sessionLine(char type, std::string_view value) {
  switch (type) {
    case 'o':
      sdp_.origin = trim(value);
      break;
    case 's':
      sdp_.sessionName = value;
      break;
    case 'c':
      sdp_.connection = trim(value);
      break;
    case 't':
      if (sawTiming_) {
        sdp_.otherLines.emplace_back(type, std::string(value));
      } else {
        sdp_.timing = trim(value);
        sawTiming_ = true;
      }
      break;
    case 'a':
      attributeLine(value);
      break;
    default:
      sdp_.otherLines.emplace_back(type, std::string(value));
      break;
  }
}

// RFC 8866 §5: a media description holds only i=, c=, b=, k= and a= lines.
void Parser::mediaLine(char type, std::string_view value) {
  if (isSessionOnlyType(type)) {
    fail(std::string("line type '") + type + "' not allowed in a media section (RFC 8866 §5)");
  }
  MediaSection& m = sdp_.media.back();
  if (type == 'c') {
    m.connection = trim(value);
  } else if (type == 'a') {
    attributeLine(value);
  } else {
    m.otherLines.emplace_back(type, std::string(value));
  }
}

// RFC 8866 §5.13: a=<attribute-name>[:<attribute-value>]
void Parser::attributeLine(std::string_view raw) {
  auto halves = text::splitFirst(raw, ':');
  std::string_view name = trim(halves ? halves->head : raw);
  std::string_view value = halves ? trim(halves->tail) : std::string_view();
  if (name.empty()) fail("malformed a= line: empty attribute name");
  bool isDirection = directionFromString(name).has_value();
  if (!inMedia_) {
    if (isDirection) sessionDirection_ = directionFromString(name);
    detail::applySessionAttribute(sdp_, name, value);
    return;
  }
  mediaDirectionSeen_ = mediaDirectionSeen_ || isDirection;
  detail::applyMediaAttribute(sdp_.media.back(), name, value);
}

// RFC 8866 §6.7: without a media-level direction the session-level one applies.
void Parser::finishMedia() {
  if (inMedia_ && !mediaDirectionSeen_ && sessionDirection_) {
    sdp_.media.back().direction = *sessionDirection_;
  }
  mediaDirectionSeen_ = false;
}

}  // namespace

std::variant<SessionDescription, ParseError> parse(std::string_view text) {
  if (text.size() > kMaxSdpBytes) {
    return ParseError{0, "SDP larger than " + std::to_string(kMaxSdpBytes) + " bytes"};
  }
  Parser parser;
  try {
    return parser.run(text);
  } catch (const detail::SyntaxError& e) {
    return ParseError{parser.line(), e.reason};
  }
}

}  // namespace rc::sdp
