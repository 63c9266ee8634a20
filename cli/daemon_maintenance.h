// The running daemon as tradingctl's offline db commands see it, and its maintenance mode, shared by
// `tradingctl maintenance on` and `tradingctl db copy --stop-bots`: enter, wait until every bot has stopped
// and the store is read-only, say what to do next.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "config/config.h"
#include "output.h"

namespace tradingd::cli {

// Enters maintenance mode and waits up to `wait_s` seconds for the state "on". If it does not get there,
// leaves maintenance again (only when this call entered it) and throws CommandFailed saying so. Returns the
// daemon's maintenance.status with "entered_now": whether this call entered it (false: it already was).
nlohmann::json enter_maintenance(const Globals& g, int wait_s);

// Human form of a maintenance.status result.
void print_maintenance(const nlohmann::json& status);

// What answers on the control socket: nothing (nullopt), tradingd's `status`, or something that answers but
// not as expected (an empty object: treated as running, to be safe).
std::optional<nlohmann::json> running_daemon(const std::string& socket);
// "tradingd (pid N)" from a `status` result, or "a process".
std::string daemon_name(const nlohmann::json& status);

// Commands that open the database themselves (user add-admin, secrets rotation, db migrate, backtest run and
// publish, market fetch) call this first: a daemon in maintenance mode is having its database copied or
// backed up, and a row written now would be missing from the copy. Throws CommandFailed naming `doing`.
void refuse_writes_during_maintenance(const Globals& g, const config::Config& cfg, const std::string& doing);

// db copy --stop-bots: refuses (CommandFailed) unless the daemon serves the SQLite file being copied; else
// maintenance would stop bots for nothing and the copy would still race whatever writes that file.
void check_daemon_serves(const nlohmann::json& status, const std::string& sqlite_path);
// After such a copy, the daemon left in maintenance: what the operator does next, in the roadmap's order
// ({"pid", "maintenance", "next": [...], "rollback"}), and its human form.
nlohmann::json next_steps(const nlohmann::json& status, const std::string& sqlite_path);
void print_next_steps(const nlohmann::json& steps);

}  // namespace tradingd::cli
