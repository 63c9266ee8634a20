// Logging setup: one colourless stderr sink, one logger per component.
#include "util/log.h"

#include <spdlog/sinks/stdout_sinks.h>

#include <mutex>

namespace tradingd::log {
namespace {

std::mutex g_mutex;
spdlog::sink_ptr g_sink;
spdlog::level::level_enum g_level = spdlog::level::info;

spdlog::sink_ptr sink() {
    if (!g_sink) g_sink = std::make_shared<spdlog::sinks::stderr_sink_mt>();
    return g_sink;
}

}  // namespace

void init(std::string_view level, bool journald) {
    std::lock_guard lock(g_mutex);
    sink()->set_pattern(journald ? "[%n] %l: %v" : "%Y-%m-%dT%H:%M:%S.%e [%n] %l: %v");
    g_level = spdlog::level::from_str(std::string(level));
    spdlog::apply_all([](const std::shared_ptr<spdlog::logger>& l) { l->set_level(g_level); });
}

void set_level(std::string_view level) {
    std::lock_guard lock(g_mutex);
    g_level = spdlog::level::from_str(std::string(level));
    spdlog::apply_all([](const std::shared_ptr<spdlog::logger>& l) { l->set_level(g_level); });
}

std::shared_ptr<spdlog::logger> get(const std::string& component) {
    std::lock_guard lock(g_mutex);
    if (auto existing = spdlog::get(component)) return existing;
    auto logger = std::make_shared<spdlog::logger>(component, sink());
    logger->set_level(g_level);
    logger->flush_on(spdlog::level::info);
    spdlog::register_logger(logger);
    return logger;
}

std::string mask(std::string_view secret) {
    if (secret.size() < 12) return "****";
    return std::string(secret.substr(0, 4)) + "\xE2\x80\xA6" + std::string(secret.substr(secret.size() - 4));
}

}  // namespace tradingd::log
