// Resolving the config and env-file paths the same way for both programs.
#include "config/locate.h"

#include <cstdlib>
#include <filesystem>

namespace tradingd::config {
namespace {

std::string pick(const std::optional<std::string>& given, const char* env_name, const char* default_path) {
    if (given) return *given;
    if (const char* v = std::getenv(env_name); v && *v) return v;
    return std::filesystem::exists(default_path) ? default_path : "";
}

}  // namespace

LoadOptions locate(const std::optional<std::string>& config_path,
                   const std::optional<std::string>& env_file) {
    LoadOptions o;
    o.config_path = pick(config_path, "TRADINGD_CONFIG", kDefaultConfigPath);
    o.env_file_path = pick(env_file, "TRADINGD_ENV_FILE", kDefaultEnvFilePath);
    return o;
}

}  // namespace tradingd::config
