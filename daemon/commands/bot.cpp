// bot.list, bot.status, bot.start, bot.stop, bot.restart, bot.reset, bot.logs: the bot lifecycle over the
// control socket. Each is a thin handler over the supervisor; refusals map to fixed error codes.
#include "bots/supervisor.h"
#include "commands/handlers.h"
#include "daemon_context.h"

namespace tradingd::daemon {

using control::ErrorCode;

namespace {

template <typename F>
Outcome with_supervisor(DaemonContext& ctx, F&& f) {
    auto* sup = ctx.supervisor();
    if (!sup) return Outcome::failure(ErrorCode::unavailable, "the bot supervisor is not running");
    try {
        return Outcome::success(f(*sup));
    } catch (const bots::CommandRefused& r) {
        auto code = control::code_from_name(r.code).value_or(ErrorCode::conflict);
        return Outcome::failure(code, r.message);
    }
}

}  // namespace

Outcome handle_bot_list(const Args& args, DaemonContext& ctx) {
    args.only({});
    return with_supervisor(ctx, [](bots::Supervisor& s) { return s.list(); });
}

Outcome handle_bot_status(const Args& args, DaemonContext& ctx) {
    args.only({"agent"});
    const auto agent = args.integer("agent");
    return with_supervisor(ctx, [&](bots::Supervisor& s) { return s.status(agent); });
}

Outcome handle_bot_start(const Args& args, DaemonContext& ctx) {
    args.only({"agent", "mode"});
    const auto agent = args.integer("agent");
    const auto mode = args.opt_string("mode").value_or("");
    return with_supervisor(ctx, [&](bots::Supervisor& s) { return s.start_bot(agent, mode); });
}

Outcome handle_bot_stop(const Args& args, DaemonContext& ctx) {
    args.only({"agent", "flatten"});
    const auto agent = args.integer("agent");
    const bool flatten = args.boolean("flatten", false);
    return with_supervisor(ctx, [&](bots::Supervisor& s) { return s.stop_bot(agent, flatten); });
}

Outcome handle_bot_restart(const Args& args, DaemonContext& ctx) {
    args.only({"agent"});
    const auto agent = args.integer("agent");
    return with_supervisor(ctx, [&](bots::Supervisor& s) { return s.restart_bot(agent); });
}

Outcome handle_bot_reset(const Args& args, DaemonContext& ctx) {
    args.only({"agent"});
    const auto agent = args.integer("agent");
    return with_supervisor(ctx, [&](bots::Supervisor& s) { return s.reset_bot(agent); });
}

Outcome handle_bot_logs(const Args& args, DaemonContext& ctx) {
    args.only({"agent", "limit"});
    const auto agent = args.integer("agent");
    const auto limit = args.opt_integer("limit").value_or(50);
    if (limit < 1 || limit > 1000) throw ArgError("argument 'limit' must be between 1 and 1000");
    return with_supervisor(ctx, [&](bots::Supervisor& s) { return s.logs(agent, static_cast<int>(limit)); });
}

}  // namespace tradingd::daemon
