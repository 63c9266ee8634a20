// GET /healthz: liveness for load balancers and monitoring — the process answers and the store responds.
#include "daemon_context.h"
#include "http/handlers.h"
#include "store/migrator.h"

namespace tradingd::daemon::http {
namespace {

ApiReply healthz(const ApiRequest&, DaemonContext& ctx) {
    try {
        int version =
            ctx.with_store([](store::Repository& repo) { return store::schema_version(repo.connection()); });
        // Still ok in maintenance mode (reads are served); monitoring sees why changes answer 503.
        return ApiReply::ok({{"status", "ok"},
                             {"schema_version", version},
                             {"uptime_s", ctx.uptime().count()},
                             {"maintenance", maintenance_name(ctx.maintenance())}});
    } catch (const store::Error&) {
        return ApiReply::error(503, "unavailable", "the database does not answer");
    }
}

}  // namespace

std::vector<Route> health_routes() {
    return {{"GET", "/healthz", Access::open, "liveness and database check", healthz}};
}

}  // namespace tradingd::daemon::http
