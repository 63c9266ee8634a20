// Reading secrets and database credentials: KEY=VALUE env files and the process environment.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace tradingd::config {

using EnvMap = std::map<std::string, std::string>;

// Parses KEY=VALUE lines ('#' comments, optional 'export ', single or double quotes).
// Malformed lines are reported in `problems` as "PATH:LINE: ..." and skipped.
EnvMap parse_env_text(const std::string& text, const std::string& origin, std::vector<std::string>& problems);
EnvMap read_env_file(const std::string& path, std::vector<std::string>& problems);

// Variables tradingd reads; the process environment overrides the env file for these, as with dotenv.
const std::vector<std::string>& known_env_names();
EnvMap process_environment();

// Writes an env file atomically with mode 0600 (temp file + rename); throws std::runtime_error.
void write_env_file(const std::string& path, const EnvMap& values, const std::string& header);

// Rewrites an existing env file atomically (mode 0600), keeping every other line and comment: variables in
// `set` replace their line (or are appended), variables in `remove` disappear.
void update_env_file(const std::string& path, const EnvMap& set, const std::vector<std::string>& remove);

}  // namespace tradingd::config
