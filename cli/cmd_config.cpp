// config check (works without the daemon) and config reload (asks the running daemon).
#include <CLI/CLI.hpp>
#include <iostream>

#include "output.h"

namespace tradingd::cli {

void add_config_commands(CLI::App& app, Globals& g, Action& action) {
    auto* grp = app.add_subcommand("config", "check or reload the configuration");
    grp->require_subcommand(1);

    grp->add_subcommand("check",
                        "validate tradingd.yaml and the env file as tradingd would (daemon not needed)")
        ->callback([&] {
            action = [&] {
                auto cfg = load_config(g);
                if (auto problems = config::check_daemon_secrets(cfg.secrets); !problems.empty()) {
                    std::string msg = "configuration invalid:";
                    for (const auto& p : problems) msg += "\n  " + p;
                    throw CommandFailed{kFailed, msg};
                }
                nlohmann::json r = {
                    {"valid", true},
                    {"config_path", cfg.config_path},
                    {"env_file", cfg.env_file_path},
                    {"store_backend", cfg.db.backend == store::Backend::mysql ? "mysql" : "sqlite"}};
                emit(g, r, [](const nlohmann::json& r) {
                    std::cout << "configuration "
                              << (r["config_path"].get<std::string>().empty()
                                      ? "(built-in defaults)"
                                      : r["config_path"].get<std::string>())
                              << " is ok (store: " << r["store_backend"].get<std::string>() << ")\n";
                });
            };
        });

    grp->add_subcommand("reload", "make the running daemon re-read its configuration (like SIGHUP)")
        ->callback([&] {
            action = [&] {
                emit(g, call_daemon(g, "config.reload"), [](const nlohmann::json& r) {
                    std::cout << "configuration reloaded\n";
                    for (const auto& w : r.at("warnings"))
                        std::cout << "warning: " << w.get<std::string>() << "\n";
                });
            };
        });
}

}  // namespace tradingd::cli
