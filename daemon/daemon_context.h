// What command handlers may reach: the running config, the store, and facts about this process.
// Everything here is used from the event-loop thread only.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "config/config.h"
#include "store/sql.h"

namespace tradingd::daemon {

class DaemonContext {
public:
    DaemonContext(config::LoadOptions load_options, config::Config config, std::unique_ptr<store::Connection> store);

    const config::Config& config() const { return config_; }
    store::Connection& store() { return *store_; }
    std::chrono::seconds uptime() const;
    const std::string& started_at() const { return started_at_; }

    // Re-reads the config files. Returns the problems found; on any problem the old config stays.
    // Settings that need a restart (socket path, database) are kept and reported as warnings.
    struct ReloadResult {
        std::vector<std::string> problems;
        std::vector<std::string> warnings;
    };
    ReloadResult reload();

private:
    config::LoadOptions load_options_;
    config::Config config_;
    std::unique_ptr<store::Connection> store_;
    std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
    std::string started_at_;
};

}  // namespace tradingd::daemon
