// `help` and `api.routes`: what the daemon offers, built from the registration tables so it cannot drift.
#include <algorithm>

#include "commands/handlers.h"
#include "daemon_context.h"

namespace tradingd::daemon {

Outcome handle_api_routes(const Args& args, DaemonContext& ctx) {
    args.only({});
    return Outcome::success({{"routes", ctx.routes_info()}});
}

Outcome handle_help(const Args& args, DaemonContext&) {
    args.only({"command"});
    auto table = command_table();
    auto describe = [](const CommandSpec& c) {
        return nlohmann::json{{"name", c.name}, {"synopsis", c.synopsis}, {"args", c.args_help}};
    };
    if (auto name = args.opt_string("command")) {
        auto it = std::find_if(table.begin(), table.end(), [&](const auto& c) { return c.name == *name; });
        if (it == table.end())
            return Outcome::failure(control::ErrorCode::not_found, "no command '" + *name + "'");
        return Outcome::success(describe(*it));
    }
    nlohmann::json list = nlohmann::json::array();
    for (const auto& c : table) list.push_back(describe(c));
    return Outcome::success({{"commands", list}});
}

}  // namespace tradingd::daemon
