// The command table and the dispatcher: the edge where exceptions become error codes.
#include "commands/registry.h"

#include <algorithm>

#include "commands/handlers.h"
#include "daemon_context.h"
#include "store/sql.h"
#include "util/log.h"

namespace tradingd::daemon {

using control::ErrorCode;

std::int64_t Args::integer(const char* name) const {
    if (!has(name)) throw ArgError(std::string("missing argument '") + name + "'");
    if (!j_[name].is_number_integer())
        throw ArgError(std::string("argument '") + name + "' must be an integer");
    return j_[name].get<std::int64_t>();
}

std::optional<std::int64_t> Args::opt_integer(const char* name) const {
    if (!has(name)) return std::nullopt;
    return integer(name);
}

std::string Args::string(const char* name) const {
    if (!has(name)) throw ArgError(std::string("missing argument '") + name + "'");
    if (!j_[name].is_string()) throw ArgError(std::string("argument '") + name + "' must be a string");
    return j_[name].get<std::string>();
}

std::optional<std::string> Args::opt_string(const char* name) const {
    if (!has(name)) return std::nullopt;
    return string(name);
}

bool Args::boolean(const char* name, bool fallback) const {
    if (!has(name)) return fallback;
    if (!j_[name].is_boolean()) throw ArgError(std::string("argument '") + name + "' must be true or false");
    return j_[name].get<bool>();
}

void Args::only(std::initializer_list<const char*> allowed) const {
    for (const auto& [key, value] : j_.items())
        if (std::none_of(allowed.begin(), allowed.end(), [&](const char* a) { return key == a; }))
            throw ArgError("unknown argument '" + key + "'");
}

std::span<const CommandSpec> command_table() {
    static const std::vector<CommandSpec> table = [] {
        std::vector<CommandSpec> t = {
            {"api.routes", "the REST routes served, with who may call each (open, agent, admin)", "",
             handle_api_routes},
            {"bot.list", "every bot: state, desired state, mode, restarts, worker pid and memory", "",
             handle_bot_list},
            {"bot.logs", "a bot's most recent events (orders, positions, decisions, restarts), newest first",
             "{agent: int, limit?: int}", handle_bot_logs},
            {"bot.reset", "clear a bot's restart history and its error state (then bot.start runs it again)",
             "{agent: int}", handle_bot_reset},
            {"bot.restart", "stop a bot's worker and start a new one", "{agent: int}", handle_bot_restart},
            {"bot.start", "start an agent's bot (mode paper or live; default: the stored mode)",
             "{agent: int, mode?: string}", handle_bot_start},
            {"bot.status", "one bot's state, restarts, last error, worker pid and memory", "{agent: int}",
             handle_bot_status},
            {"bot.stop",
             "stop a bot: cancels its open entry orders, keeps protective orders (flatten: closes positions)",
             "{agent: int, flatten?: bool}", handle_bot_stop},
            {"config.reload",
             "re-read tradingd.yaml and the env file; keeps the old config if the new one is invalid", "",
             handle_config_reload},
            {"help", "list the commands, or describe one", "{command?: string}", handle_help},
            {"maintenance.enter",
             "maintenance mode: refuse changes, stop every bot (desired states kept), pause the scanner, "
             "then "
             "make the store read-only (state entering, then on)",
             "", handle_maintenance_enter},
            {"maintenance.exit", "leave maintenance mode: writes again, scanner resumed, bots restarted", "",
             handle_maintenance_exit},
            {"maintenance.status",
             "maintenance state (off, entering, on), since when, workers still alive, bots to resume", "",
             handle_maintenance_status},
            {"scan.latest",
             "the scanner's last scan: every symbol's score, direction, passed or the reason why not, and "
             "what the scan cost",
             "", handle_scan_latest},
            {"status", "version, uptime, pid, store backend and schema version", "", handle_status},
        };
        std::sort(t.begin(), t.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
        return t;
    }();
    return table;
}

std::string dispatch(std::string_view line, DaemonContext& ctx) {
    auto parsed = control::parse_request(line);
    if (parsed.error) return control::encode(*parsed.error);
    const control::Request& req = *parsed.request;

    auto table = command_table();
    auto it = std::find_if(table.begin(), table.end(), [&](const auto& c) { return c.name == req.command; });
    if (it == table.end())
        return control::encode(control::Reply::failure(req.id, ErrorCode::unknown_command,
                                                       "unknown command '" + req.command + "' (try 'help')"));

    static auto logger = log::get("control");
    try {
        Outcome out = it->handler(Args(req.args), ctx);
        if (out.ok) return control::encode(control::Reply::success(req.id, std::move(out.result)));
        return control::encode(control::Reply::failure(req.id, out.code, out.message));
    } catch (const ArgError& e) {
        return control::encode(control::Reply::failure(req.id, ErrorCode::invalid_args, e.what()));
    } catch (const store::Error& e) {
        if (e.kind() == store::ErrorKind::read_only)
            return control::encode(control::Reply::failure(
                req.id, ErrorCode::unavailable,
                "the daemon is in maintenance mode and its database is read-only: " + req.command +
                    " would write (tradingctl maintenance off)"));
        logger->error("command {} failed in the store: {}", req.command, e.what());
        auto code = e.kind() == store::ErrorKind::connection ? ErrorCode::unavailable : ErrorCode::internal;
        return control::encode(
            control::Reply::failure(req.id, code, std::string("database error: ") + e.what()));
    } catch (const std::exception& e) {
        logger->error("command {} failed: {}", req.command, e.what());
        return control::encode(control::Reply::failure(req.id, ErrorCode::internal, e.what()));
    }
}

}  // namespace tradingd::daemon
