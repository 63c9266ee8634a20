// Entering maintenance mode and waiting for it: the daemon answers maintenance.enter at once (state
// "entering") and turns "on" when its bots have stopped; here we poll maintenance.status until then.
#include "daemon_maintenance.h"

#include <chrono>
#include <filesystem>
#include <iostream>
#include <thread>

#include "control/client.h"

namespace tradingd::cli {

nlohmann::json enter_maintenance(const Globals& g, int wait_s) {
    const bool already = call_daemon(g, "maintenance.status").value("state", "off") != "off";
    auto status = call_daemon(g, "maintenance.enter");
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(wait_s);
    while (status.value("state", "") != "on") {
        if (status.value("state", "") == "off" || std::chrono::steady_clock::now() >= deadline) {
            std::string undo = "it stays in maintenance mode (it was before this command)";
            if (!already) {
                try {
                    call_daemon(g, "maintenance.exit");
                    undo = "maintenance mode was left again, the bots are restarting";
                } catch (const CommandFailed& f) {
                    undo = "leaving maintenance mode failed too (" + f.message +
                           "): run `tradingctl maintenance off`";
                }
            }
            throw CommandFailed{kFailed, "the daemon did not reach maintenance mode within " +
                                             std::to_string(wait_s) + " s (state " +
                                             status.value("state", "?") + ", " +
                                             text_of(status.value("workers_alive", nlohmann::json())) +
                                             " bot workers still alive); " + undo + ". Nothing was copied."};
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        status = call_daemon(g, "maintenance.status");
    }
    status["entered_now"] = !already;
    return status;
}

void print_maintenance(const nlohmann::json& s) {
    const std::string state = s.value("state", "off");
    std::cout << "maintenance: " << state;
    if (!s.value("since", nlohmann::json()).is_null()) std::cout << " since " << text_of(s["since"]);
    std::cout << "\n";
    if (state == "off") return;
    std::cout << "  store:   "
              << (s.value("store_read_only", false) ? "read-only" : "still writable (bots stopping)")
              << "\n  scanner: " << (s.value("scanner_paused", false) ? "paused" : "running")
              << "\n  workers still alive: " << text_of(s.value("workers_alive", nlohmann::json())) << "\n";
    std::string bots;
    for (const auto& b : s.value("bots_to_resume", nlohmann::json::array()))
        bots += (bots.empty() ? "" : " ") + text_of(b);
    std::cout << "  bots that start again when it ends: " << (bots.empty() ? "none" : "agents " + bots)
              << "\n";
}

std::optional<nlohmann::json> running_daemon(const std::string& socket) {
    try {
        control::Client client(socket, 3000);
        const auto reply = client.call("status");
        return reply.ok && reply.result.is_object() ? reply.result : nlohmann::json::object();
    } catch (const control::Unreachable&) {
        return std::nullopt;
    } catch (const std::exception&) {
        return nlohmann::json::object();
    }
}

void refuse_writes_during_maintenance(const Globals& g, const config::Config& cfg, const std::string& doing) {
    const auto status = running_daemon(g.socket ? *g.socket : cfg.settings.control_socket);
    if (!status || !status->contains("maintenance") || !(*status)["maintenance"].is_object()) return;
    const std::string state = text_of((*status)["maintenance"].value("state", nlohmann::json("off")));
    if (state == "off") return;
    throw CommandFailed{kFailed, daemon_name(*status) + " is in maintenance mode (" + state +
                                     "): its database is being copied or backed up, and " + doing +
                                     " now would write rows the copy misses. Do it after `tradingctl "
                                     "maintenance off`, or once the daemon runs on the new database"};
}

std::string daemon_name(const nlohmann::json& status) {
    return status.contains("pid") ? "tradingd (pid " + text_of(status["pid"]) + ")" : "a process";
}

void check_daemon_serves(const nlohmann::json& status, const std::string& sqlite_path) {
    const std::string location =
        text_of(status.value("store", nlohmann::json::object()).value("location", ""));
    std::error_code ec;
    if (!location.starts_with("sqlite:") || !std::filesystem::equivalent(location.substr(7), sqlite_path, ec))
        throw CommandFailed{
            kFailed, daemon_name(status) + " serves " + (location.empty() ? "another database" : location) +
                         ", not sqlite:" + sqlite_path + ": stop it, or copy the file it serves"};
}

nlohmann::json next_steps(const nlohmann::json& status, const std::string& sqlite_path) {
    return {{"pid", status.value("pid", nlohmann::json())},
            {"maintenance", "on"},
            {"next",
             {"systemctl stop tradingd",
              "set MYSQL_HOST, MYSQL_PORT, MYSQL_USER, MYSQL_PASSWORD and MYSQL_DB in the env file",
              "systemctl start tradingd (the bots that were running start again, on MySQL)",
              "keep " + sqlite_path + " as the way back"}},
            {"rollback", "tradingctl maintenance off (the daemon goes on with SQLite, its bots restart)"}};
}

void print_next_steps(const nlohmann::json& steps) {
    std::cout << daemon_name(steps)
              << " stays in maintenance mode: bots stopped, database read-only, reads "
                 "served.\nnext:\n";
    int n = 0;
    for (const auto& step : steps.at("next")) std::cout << "  " << ++n << ". " << text_of(step) << "\n";
    std::cout << "or, to stay on SQLite: " << text_of(steps.at("rollback")) << "\n";
}

}  // namespace tradingd::cli
