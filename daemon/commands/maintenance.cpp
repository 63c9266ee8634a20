// maintenance.enter, maintenance.exit, maintenance.status: the daemon's maintenance mode (maintenance.h),
// used by `tradingctl maintenance` and `tradingctl db copy --stop-bots`.
#include "maintenance.h"
#include "commands/handlers.h"
#include "daemon_context.h"

namespace tradingd::daemon {

namespace {

template <typename F>
Outcome with_maintenance(DaemonContext& ctx, F&& f) {
    auto* m = ctx.maintenance_mode();
    if (!m) return Outcome::failure(control::ErrorCode::unavailable, "the daemon is starting or stopping");
    return Outcome::success(f(*m));
}

}  // namespace

Outcome handle_maintenance_enter(const Args& args, DaemonContext& ctx) {
    args.only({});
    return with_maintenance(ctx, [](MaintenanceMode& m) { return m.enter(); });
}

Outcome handle_maintenance_exit(const Args& args, DaemonContext& ctx) {
    args.only({});
    return with_maintenance(ctx, [](MaintenanceMode& m) { return m.leave(); });
}

Outcome handle_maintenance_status(const Args& args, DaemonContext& ctx) {
    args.only({});
    return with_maintenance(ctx, [](MaintenanceMode& m) { return m.status(); });
}

}  // namespace tradingd::daemon
