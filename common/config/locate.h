// Where tradingd and tradingctl find their config and env file when none is given on the command line.
#pragma once

#include <optional>
#include <string>

#include "config/config.h"

namespace tradingd::config {

inline constexpr const char* kDefaultConfigPath = "/etc/tradingd/tradingd.yaml";
inline constexpr const char* kDefaultEnvFilePath = "/etc/tradingd/tradingd.env";

// An explicit path must exist. Without one, $TRADINGD_CONFIG / $TRADINGD_ENV_FILE are used, then the
// default path if that file exists, else nothing (built-in defaults / process environment only).
LoadOptions locate(const std::optional<std::string>& config_path, const std::optional<std::string>& env_file);

}  // namespace tradingd::config
