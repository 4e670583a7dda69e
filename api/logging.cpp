#include "api/logging.h"

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

namespace rc::api {

void setupLogging(const Config::Logging& logging) {
  auto level = spdlog::level::from_str(logging.level);
  if (level == spdlog::level::off && logging.level != "off") {
    throw ConfigError("logging.level: unknown level '" + logging.level +
                      "' (trace, debug, info, warn, error, critical, off)");
  }
  auto logger = spdlog::stderr_color_mt("ringcast");
  spdlog::set_default_logger(logger);
  spdlog::set_level(level);
  if (logging.json) {
    // Messages are not JSON-escaped by spdlog; they never contain quotes we produce on purpose.
    spdlog::set_pattern(R"({"time":"%Y-%m-%dT%H:%M:%S.%e%z","level":"%l","thread":%t,"msg":"%v"})");
  } else {
    spdlog::set_pattern("%Y-%m-%d %H:%M:%S.%e %^%-5l%$ [%t] %v");
  }
}

}  // namespace rc::api
