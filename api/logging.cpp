#include "api/logging.h"

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <cstdio>

namespace rc::api {
namespace {

// logFields() payload: message, then key/value pairs, all separated by this byte (which
// jsonEscape turns into \u001f should it ever appear in a plain message).
constexpr char kSep = '\x1f';

// %* : the message and its fields, as JSON members ("msg":"...","k":"v") or as text.
class MessageFlag : public spdlog::custom_flag_formatter {
 public:
  explicit MessageFlag(bool json) : json_(json) {}

  void format(const spdlog::details::log_msg& m, const std::tm&,
              spdlog::memory_buf_t& dest) override {
    std::string_view payload(m.payload.data(), m.payload.size());
    std::string out;
    size_t cut = payload.find(kSep);
    std::string_view msg = payload.substr(0, cut);
    out = json_ ? "\"msg\":\"" + jsonEscape(msg) + "\"" : std::string(msg);
    while (cut != std::string_view::npos) {
      size_t keyEnd = payload.find(kSep, cut + 1);
      if (keyEnd == std::string_view::npos) break;
      size_t valEnd = payload.find(kSep, keyEnd + 1);
      auto key = payload.substr(cut + 1, keyEnd - cut - 1);
      auto val =
          payload.substr(keyEnd + 1, valEnd == std::string_view::npos ? std::string_view::npos
                                                                      : valEnd - keyEnd - 1);
      if (json_) {
        out += ",\"" + jsonEscape(key) + "\":\"" + jsonEscape(val) + "\"";
      } else {
        out += " " + std::string(key) + "=" + std::string(val);
      }
      cut = valEnd;
    }
    dest.append(out.data(), out.data() + out.size());
  }

  std::unique_ptr<custom_flag_formatter> clone() const override {
    return std::make_unique<MessageFlag>(json_);
  }

 private:
  bool json_;
};

}  // namespace

std::string jsonEscape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (unsigned char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out.push_back(static_cast<char>(c));
        }
    }
  }
  return out;
}

void setupLogging(const Config::Logging& logging, spdlog::sink_ptr sink) {
  auto level = spdlog::level::from_str(logging.level);
  if (level == spdlog::level::off && logging.level != "off") {
    throw ConfigError("logging.level: unknown level '" + logging.level +
                      "' (trace, debug, info, warn, error, critical, off)");
  }
  if (!sink) sink = std::make_shared<spdlog::sinks::stderr_color_sink_mt>();
  auto logger = std::make_shared<spdlog::logger>("ringcast", std::move(sink));
  auto formatter = std::make_unique<spdlog::pattern_formatter>();
  formatter->add_flag<MessageFlag>('*', logging.json);
  if (logging.json) {
    formatter->set_pattern(R"({"time":"%Y-%m-%dT%H:%M:%S.%e%z","level":"%l","thread":%t,%*})");
  } else {
    formatter->set_pattern("%Y-%m-%d %H:%M:%S.%e %^%-5l%$ [%t] %*");
  }
  logger->set_formatter(std::move(formatter));
  logger->set_level(level);
  spdlog::set_default_logger(logger);
}

void logFields(spdlog::level::level_enum level, std::string_view msg,
               std::initializer_list<LogField> fields) {
  if (!spdlog::should_log(level)) return;
  std::string payload(msg);
  for (const auto& [key, value] : fields) {
    if (value.empty()) continue;
    payload.push_back(kSep);
    payload.append(key);
    payload.push_back(kSep);
    payload.append(value);
  }
  spdlog::log(level, "{}", payload);
}

}  // namespace rc::api
