// GET /api/agent/bot, POST /api/agent/bot/start|stop: an agent's own bot, scoped by the token's agent. The
// supervisor lives on the daemon's event loop, so each call is handed to it and awaited.
#include "bots/supervisor.h"
#include "daemon_context.h"
#include "http/handlers.h"

namespace tradingd::daemon::http {
namespace {

using nlohmann::json;

ApiReply on_supervisor(DaemonContext& ctx, const std::function<json(bots::Supervisor&)>& f) {
    auto* sup = ctx.supervisor();
    if (!sup) return ApiReply::error(503, "unavailable", "bots are not running on this node");
    try {
        return ApiReply::ok(sup->on_loop(f));
    } catch (const bots::CommandRefused& r) {
        const int status = r.code == "not_found" ? 404 : r.code == "invalid_args" ? 400 : 409;
        return ApiReply::error(status, r.code, r.message);
    } catch (const std::runtime_error& e) {
        return ApiReply::error(503, "unavailable", e.what());
    }
}

// What an agent sees of its bot: no worker pid or memory (that is the operator's business).
json for_agent(const json& status) {
    return {{"mode", status["mode"]},
            {"state", status["state"]},
            {"desired_state", status["desired_state"]},
            {"restart_count", status["restart_count"]},
            {"last_error", status["last_error"]},
            {"started_at", status["started_at"]}};
}

ApiReply get_bot(const ApiRequest& req, DaemonContext& ctx) {
    const auto agent = *req.principal->agent_id;
    return on_supervisor(ctx, [agent](bots::Supervisor& s) {
        try {
            return for_agent(s.status(agent));
        } catch (const bots::CommandRefused&) {  // never started: a bot that is simply stopped
            return json{{"mode", "paper"},    {"state", "stopped"},    {"desired_state", "stopped"},
                        {"restart_count", 0}, {"last_error", nullptr}, {"started_at", nullptr}};
        }
    });
}

ApiReply start_bot(const ApiRequest& req, DaemonContext& ctx) {
    const auto agent = *req.principal->agent_id;
    std::string mode;
    if (req.body.is_object() && req.body.contains("mode")) {
        if (!req.body["mode"].is_string() || (req.body["mode"] != "paper" && req.body["mode"] != "live"))
            return ApiReply::error(400, "invalid_field", "'mode' must be \"paper\" or \"live\"");
        mode = req.body["mode"].get<std::string>();
    }
    return on_supervisor(ctx,
                         [agent, mode](bots::Supervisor& s) { return for_agent(s.start_bot(agent, mode)); });
}

ApiReply stop_bot(const ApiRequest& req, DaemonContext& ctx) {
    const auto agent = *req.principal->agent_id;
    bool flatten = false;
    if (req.body.is_object() && req.body.contains("flatten")) {
        if (!req.body["flatten"].is_boolean())
            return ApiReply::error(400, "invalid_field", "'flatten' must be true or false");
        flatten = req.body["flatten"].get<bool>();
    }
    return on_supervisor(
        ctx, [agent, flatten](bots::Supervisor& s) { return for_agent(s.stop_bot(agent, flatten)); });
}

}  // namespace

std::vector<Route> bot_routes() {
    return {
        {"GET", "/api/agent/bot", Access::agent,
         "your bot's mode and state (stopped, starting, running, error)", get_bot},
        {"POST", "/api/agent/bot/start", Access::agent,
         "start your bot ({mode?: paper|live}; live needs a linked key)", start_bot},
        {"POST", "/api/agent/bot/stop", Access::agent,
         "stop your bot: open entry orders cancelled, protective orders kept ({flatten?: true} closes "
         "positions)",
         stop_bot},
    };
}

}  // namespace tradingd::daemon::http
