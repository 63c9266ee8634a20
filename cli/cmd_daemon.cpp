// Commands answered by the running daemon: status, commands, call.
#include <CLI/CLI.hpp>
#include <iostream>

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
