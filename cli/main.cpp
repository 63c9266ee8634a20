// tradingctl: the operators' command line for tradingd. Exit codes: 0 ok, 1 failed, 2 usage, 3 unreachable.
#include <CLI/CLI.hpp>
#include <iostream>

#include "output.h"
#include "version.h"

using namespace tradingd::cli;

int main(int argc, char** argv) {
    CLI::App app{"tradingctl — control and maintain a tradingd trading daemon"};
    app.set_version_flag("--version", std::string("tradingctl ") + tradingd::kVersion);
    app.footer(
        "Exit codes: 0 ok, 1 the command failed, 2 usage error, 3 the daemon is unreachable.\n"
        "db and config commands work with the daemon stopped. See tradingctl(8).");
    app.require_subcommand(1);
    app.fallthrough();  // global options work after the subcommand too: `tradingctl status --json`

    Globals g;
    app.add_flag("--json", g.json,
                 "print the result as JSON (exactly the daemon's result object), nothing else");
    app.add_option("-c,--config", g.config_path, "tradingd.yaml to use (default: as tradingd finds it)");
    app.add_option("-e,--env-file", g.env_file,
                   "env file with secrets and MYSQL_* (default: as tradingd finds it)");
    app.add_option("--socket", g.socket, "control socket path (default: control.socket from the config)");
    app.add_option("--timeout", g.timeout_ms, "milliseconds to wait for the daemon")
        ->check(CLI::Range(1, 3600000));

    Action action;
    add_bot_commands(app, g, action);
    add_daemon_commands(app, g, action);
    add_db_commands(app, g, action);
    add_config_commands(app, g, action);
    add_strategy_commands(app, g, action);
    add_backtest_commands(app, g, action);
    add_market_commands(app, g, action);
    add_scan_commands(app, g, action);
    add_secrets_commands(app, g, action);
    add_user_commands(app, g, action);

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        int rc = app.exit(e);
        return rc == 0 ? kOk : kUsage;
    }
    try {
        action();
        return kOk;
    } catch (const CommandFailed& f) {
        std::cerr << "tradingctl: " << f.message << "\n";
        return f.exit_code;
    } catch (const std::exception& e) {
        std::cerr << "tradingctl: " << e.what() << "\n";
        return kFailed;
    }
}
