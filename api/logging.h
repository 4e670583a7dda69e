// spdlog set-up for the daemon: human-readable or one JSON object per line, on stderr.
#pragma once

#include "api/config.h"

namespace rc::api {

// Throws ConfigError for an unknown level name.
void setupLogging(const Config::Logging& logging);

}  // namespace rc::api
