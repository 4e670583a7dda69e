// spdlog set-up for the daemon: human-readable or one JSON object per line, on stderr.
// Structured fields (request_id, room, participant, ...) go through logFields(): in JSON mode
// they become members of the line's object, in text mode "key=value" pairs after the message.
#pragma once

#include <spdlog/common.h>

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

#include "api/config.h"

namespace rc::api {

// Throws ConfigError for an unknown level name. `sink` replaces stderr (tests).
void setupLogging(const Config::Logging& logging, spdlog::sink_ptr sink = nullptr);

using LogField = std::pair<std::string_view, std::string_view>;
// Logs `msg` with fields; empty values are left out. Secrets must never be passed here.
void logFields(spdlog::level::level_enum level, std::string_view msg,
               std::initializer_list<LogField> fields);

// JSON string escaping (RFC 8259 §7) without the quotes.
std::string jsonEscape(std::string_view s);

}  // namespace rc::api
