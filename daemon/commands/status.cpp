// `status`: what an operator checks first — is it up, which build, which database, which schema, and
// whether it is in maintenance mode.
#include <unistd.h>

#include "commands/handlers.h"
#include "daemon_context.h"
#include "maintenance.h"
#include "store/migrations.h"
#include "store/migrator.h"
#include "version.h"

namespace tradingd::daemon {

Outcome handle_status(const Args& args, DaemonContext& ctx) {
    args.only({});
    const auto cfg = ctx.config();
    nlohmann::json store_info = ctx.with_store([](store::Repository& repo) {
        auto& conn = repo.connection();
        return nlohmann::json{{"backend", std::string(store::backend_name(conn.backend()))},
                              {"location", conn.describe()},
                              {"schema_version", store::schema_version(conn)},
                              {"schema_latest", store::latest_schema_version()}};
    });
    return Outcome::success({
        {"version", kVersion},
        {"pid", static_cast<long>(::getpid())},
        {"uptime_s", ctx.uptime().count()},
        {"started_at", ctx.started_at()},
        {"config_path", cfg->config_path},
        {"http", {{"listen", cfg->settings.http_listen}, {"port", ctx.http_port()}}},
        {"store", store_info},
        {"maintenance", ctx.maintenance_mode()
                            ? ctx.maintenance_mode()->summary()
                            : nlohmann::json{{"state", maintenance_name(ctx.maintenance())},
                                             {"since", nullptr},
                                             {"store_read_only", false}}},
    });
}

}  // namespace tradingd::daemon
