// `config.reload`: the same validated reload SIGHUP triggers, with its outcome returned to the caller.
#include "commands/handlers.h"
#include "daemon_context.h"
#include "util/log.h"

namespace tradingd::daemon {

Outcome handle_config_reload(const Args& args, DaemonContext& ctx) {
    args.only({});
    auto r = ctx.reload();
    static auto logger = log::get("config");
    if (!r.problems.empty()) {
        std::string msg = "new configuration rejected, the running one stays:";
        for (const auto& p : r.problems) msg += "\n  " + p;
        logger->error("{}", msg);
        return Outcome::failure(control::ErrorCode::invalid_config, msg);
    }
    for (const auto& w : r.warnings) logger->warn("{}", w);
    logger->info("configuration reloaded");
    return Outcome::success({{"reloaded", true}, {"warnings", r.warnings}});
}

}  // namespace tradingd::daemon
