// Commands answered by the running daemon: status, commands, call, maintenance.
#include <CLI/CLI.hpp>
#include <iostream>

#include "daemon_maintenance.h"
#include "output.h"

namespace tradingd::cli {
namespace {

void print_status(const nlohmann::json& r) {
    const auto& s = r.at("store");
    std::cout << "tradingd " << text_of(r.at("version")) << ", pid " << text_of(r.at("pid")) << ", up "
              << text_of(r.at("uptime_s")) << " s (since " << text_of(r.at("started_at")) << ")\n"
              << "store:  " << text_of(s.at("location")) << ", schema " << text_of(s.at("schema_version"))
              << " of " << text_of(s.at("schema_latest")) << "\n"
              << "http:   "
              << (r.at("http").at("listen").get<std::string>().empty()
                      ? std::string("off")
                      : "port " + text_of(r.at("http").at("port")) + " (http.listen " +
                            text_of(r.at("http").at("listen")) + ")")
              << "\n"
              << "config: "
              << (r.at("config_path").get<std::string>().empty() ? "(built-in defaults)"
                                                                 : text_of(r.at("config_path")))
              << "\n";
    if (r.contains("maintenance")) {
        const auto& m = r.at("maintenance");
        std::cout << "maintenance: " << text_of(m.at("state"));
        if (!m.at("since").is_null()) std::cout << " since " << text_of(m.at("since"));
        if (m.value("store_read_only", false)) std::cout << " (store read-only, bots stopped, reads served)";
        std::cout << "\n";
    }
}

void print_commands(const nlohmann::json& r) {
    std::vector<std::vector<std::string>> rows;
    for (const auto& c : r.at("commands"))
        rows.push_back({text_of(c.at("name")), text_of(c.at("args")), text_of(c.at("synopsis"))});
    print_table({"COMMAND", "ARGS", "SYNOPSIS"}, rows);
}

}  // namespace

void add_daemon_commands(CLI::App& app, Globals& g, Action& action) {
    app.add_subcommand("status", "show the daemon's version, uptime, pid, store and schema version")
        ->callback([&] { action = [&] { emit(g, call_daemon(g, "status"), print_status); }; });

    app.add_subcommand("commands", "list the commands the daemon's control socket accepts")->callback([&] {
        action = [&] { emit(g, call_daemon(g, "help"), print_commands); };
    });

    auto* m = app.add_subcommand(
        "maintenance", "maintenance mode: reads served, changes refused, bots stopped, database read-only");
    m->require_subcommand(1);
    static int wait_s = 60;
    auto* on =
        m->add_subcommand("on", "enter it and wait until every bot has stopped and the store is read-only");
    on->add_option("--wait", wait_s,
                   "seconds to wait for the bots to stop (default 60); then it is left again")
        ->check(CLI::Range(1, 3600));
    on->callback([&] { action = [&] { emit(g, enter_maintenance(g, wait_s), print_maintenance); }; });
    m->add_subcommand("off", "leave it: writes again, scanner resumed, bots with desired state running start")
        ->callback([&] { action = [&] { emit(g, call_daemon(g, "maintenance.exit"), print_maintenance); }; });
    m->add_subcommand("status", "show the maintenance state, workers still alive and the bots to resume")
        ->callback(
            [&] { action = [&] { emit(g, call_daemon(g, "maintenance.status"), print_maintenance); }; });

    auto* call =
        app.add_subcommand("call", "send one raw command to the control socket and print its result as JSON");
    static std::string command, args_text = "{}";
    call->add_option("command", command, "command name, e.g. status")->required();
    call->add_option("args", args_text, "arguments as a JSON object, e.g. '{\"agent\":3}'");
    call->callback([&] {
        action = [&] {
            auto args = nlohmann::json::parse(args_text, nullptr, false);
            if (args.is_discarded() || !args.is_object())
                throw CommandFailed{kUsage, "args must be a JSON object, e.g. '{\"agent\":3}'"};
            std::cout << call_daemon(g, command, args).dump(2) << "\n";
        };
    });
}

}  // namespace tradingd::cli
