// bot list|status|start|stop|restart|reset|logs: the bot lifecycle through the running daemon. --json
// prints exactly the socket's result; otherwise a table or a few lines.
#include <CLI/CLI.hpp>
#include <iostream>

#include "output.h"

namespace tradingd::cli {
namespace {

using nlohmann::json;

std::string memory_of(const json& b) {
    if (!b.contains("rss_kib") || b["rss_kib"].is_null()) return "-";
    return std::to_string(b["rss_kib"].get<long>() / 1024) + " MiB";
}

void print_bots(const json& result) {
    std::vector<std::vector<std::string>> rows;
    for (const auto& b : result["bots"])
        rows.push_back({text_of(b["agent_id"]), text_of(b["name"]), text_of(b["mode"]), text_of(b["state"]),
                        text_of(b["desired_state"]), text_of(b["restart_count"]),
                        b["pid"].is_null() ? "-" : text_of(b["pid"]), memory_of(b),
                        b["last_error"].is_null() ? "" : text_of(b["last_error"])});
    if (rows.empty()) {
        std::cout << "no bots (start one with `tradingctl bot start AGENT`)\n";
        return;
    }
    print_table({"AGENT", "NAME", "MODE", "STATE", "DESIRED", "RESTARTS", "PID", "MEMORY", "LAST ERROR"},
                rows);
}

void print_bot(const json& b) {
    std::cout << "agent " << text_of(b["agent_id"]) << " (" << text_of(b["name"])
              << "): " << text_of(b["state"]) << ", desired " << text_of(b["desired_state"]) << ", mode "
              << text_of(b["mode"]) << "\n";
    std::cout << "  restarts " << text_of(b["restart_count"]);
    if (!b["last_cause"].is_null()) std::cout << " (last cause " << text_of(b["last_cause"]) << ")";
    std::cout << "\n";
    if (!b["pid"].is_null())
        std::cout << "  worker pid " << text_of(b["pid"]) << ", " << memory_of(b) << "\n";
    if (!b["last_error"].is_null()) std::cout << "  last error: " << text_of(b["last_error"]) << "\n";
}

void print_logs(const json& result) {
    const auto& events = result["events"];
    if (events.empty()) {
        std::cout << "no events yet\n";
        return;
    }
    std::vector<std::vector<std::string>> rows;
    for (auto it = events.rbegin(); it != events.rend(); ++it)  // oldest first reads like a log
        rows.push_back({text_of((*it)["created_at"]), text_of((*it)["kind"]), (*it)["payload"].dump()});
    print_table({"TIME", "KIND", "DETAILS"}, rows);
}

}  // namespace

void add_bot_commands(CLI::App& app, Globals& g, Action& action) {
    auto* bot = app.add_subcommand("bot", "bot lifecycle: list, status, start, stop, restart, reset, logs");
    bot->require_subcommand(1);
    static std::int64_t agent = 0;
    static std::string mode;
    static bool flatten = false;
    static int limit = 50;

    bot->add_subcommand("list", "every bot with its state, restarts, worker pid and memory")->callback([&] {
        action = [&] { emit(g, call_daemon(g, "bot.list"), print_bots); };
    });
    auto one = [&](const char* name, const char* help, const char* command) {
        auto* sub = bot->add_subcommand(name, help);
        sub->add_option("agent", agent, "agent id")->required();
        sub->callback([&g, &action, command] {
            action = [&g, command] { emit(g, call_daemon(g, command, {{"agent", agent}}), print_bot); };
        });
        return sub;
    };
    one("status", "one bot's state, restarts, last error, worker pid and memory", "bot.status");
    one("restart", "stop the bot's worker and start a new one", "bot.restart");
    one("reset", "clear the restart history and the error state (then `bot start` runs it again)",
        "bot.reset");

    auto* start = bot->add_subcommand("start", "start an agent's bot");
    start->add_option("agent", agent, "agent id")->required();
    start->add_option("--mode", mode, "paper or live (default: the bot's stored mode, paper at first)")
        ->check(CLI::IsMember({"paper", "live"}));
    start->callback([&] {
        action = [&] {
            json args = {{"agent", agent}};
            if (!mode.empty()) args["mode"] = mode;
            emit(g, call_daemon(g, "bot.start", args), print_bot);
        };
    });

    auto* stop = bot->add_subcommand(
        "stop", "stop a bot: cancels open entry orders, leaves stop-loss/take-profit orders on the exchange");
    stop->add_option("agent", agent, "agent id")->required();
    stop->add_flag("--flatten", flatten, "also close every open position at market");
    stop->callback([&] {
        action = [&] {
            emit(g, call_daemon(g, "bot.stop", {{"agent", agent}, {"flatten", flatten}}), print_bot);
        };
    });

    auto* logs = bot->add_subcommand("logs", "the bot's most recent events, oldest first");
    logs->add_option("agent", agent, "agent id")->required();
    logs->add_option("-n,--limit", limit, "how many events (1-1000)")->check(CLI::Range(1, 1000));
    logs->callback([&] {
        action = [&] {
            emit(g, call_daemon(g, "bot.logs", {{"agent", agent}, {"limit", limit}}), print_logs);
        };
    });
}

}  // namespace tradingd::cli
