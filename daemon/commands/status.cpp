// `status`: what an operator checks first — is it up, which build, which database, which schema.
#include <unistd.h>

#include "commands/handlers.h"
#include "daemon_context.h"
#include "store/migrations.h"
#include "store/migrator.h"
#include "version.h"

namespace tradingd::daemon {

Outcome handle_status(const Args& args, DaemonContext& ctx) {
    args.only({});
    const auto& cfg = ctx.config();
    return Outcome::success({
        {"version", kVersion},
        {"pid", static_cast<long>(::getpid())},
        {"uptime_s", ctx.uptime().count()},
        {"started_at", ctx.started_at()},
        {"config_path", cfg.config_path},
        {"store",
         {{"backend", std::string(store::backend_name(ctx.store().backend()))},
          {"location", ctx.store().describe()},
          {"schema_version", store::schema_version(ctx.store())},
          {"schema_latest", store::latest_schema_version()}}},
    });
}

}  // namespace tradingd::daemon
