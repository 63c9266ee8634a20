// Per-component loggers (api, control, store, supervisor, ...) sharing one sink and one level.
#pragma once

#include <spdlog/spdlog.h>

#include <memory>
#include <string>
#include <string_view>

namespace tradingd::log {

// Sets up the stderr sink; `journald` drops the timestamp because journald adds its own.
void init(std::string_view level, bool journald);
// Applies a new level to every component logger (SIGHUP reload).
void set_level(std::string_view level);
// The logger for one component, created on first use.
std::shared_ptr<spdlog::logger> get(const std::string& component);

// "abcd…wxyz" for long secrets, "****" for short ones: the only form a secret may take in a log line.
std::string mask(std::string_view secret);

}  // namespace tradingd::log
