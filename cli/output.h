// What every tradingctl command shares: global options, exit codes, talking to the daemon, printing.
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "config/config.h"

namespace CLI {
class App;
}

namespace tradingd::cli {

// The documented exit codes; scripts depend on them.
enum Exit : int { kOk = 0, kFailed = 1, kUsage = 2, kUnreachable = 3 };

struct Globals {
    bool json = false;
    std::optional<std::string> config_path;
    std::optional<std::string> env_file;
    std::optional<std::string> socket;
    int timeout_ms = 30000;
};

// Thrown by a command to end with a message on stderr and the given exit code.
struct CommandFailed {
    int exit_code;
    std::string message;
};

// Loads the config as tradingd would; a broken config ends the command with exit 1.
config::Config load_config(const Globals& g);

// Calls the daemon; returns the result on success. Daemon errors → CommandFailed(1), unreachable → (3).
nlohmann::json call_daemon(const Globals& g, const std::string& command,
                           const nlohmann::json& args = nlohmann::json::object());

// Prints `result` as one JSON document (--json) or via `human` otherwise.
void emit(const Globals& g, const nlohmann::json& result, const std::function<void(const nlohmann::json&)>& human);

// One line from stdin; on a terminal, after `prompt` on stderr and without echo. Passwords come this way,
// never from argv (visible to every user of the machine).
std::string read_line_quietly(const std::string& prompt);

// A plain aligned text table.
void print_table(const std::vector<std::string>& headers, const std::vector<std::vector<std::string>>& rows);
std::string text_of(const nlohmann::json& v);

// Each command group adds its subcommands; the chosen one stores its action here.
using Action = std::function<void()>;
void add_bot_commands(CLI::App& app, Globals& g, Action& action);
void add_daemon_commands(CLI::App& app, Globals& g, Action& action);
void add_db_commands(CLI::App& app, Globals& g, Action& action);
void add_db_data_commands(CLI::App& db, Globals& g, Action& action);  // copy, backup, restore, create
void add_config_commands(CLI::App& app, Globals& g, Action& action);
void add_strategy_commands(CLI::App& app, Globals& g, Action& action);
void add_backtest_commands(CLI::App& app, Globals& g, Action& action);
void add_market_commands(CLI::App& app, Globals& g, Action& action);
void add_scan_commands(CLI::App& app, Globals& g, Action& action);
void add_secrets_commands(CLI::App& app, Globals& g, Action& action);
void add_user_commands(CLI::App& app, Globals& g, Action& action);

}  // namespace tradingd::cli
