// `scan.latest`: the scanner's last scan as stored and broadcast to the bots, with what it cost.
#include "commands/handlers.h"
#include "daemon_context.h"
#include "scanner/scan_store.h"
#include "scanner/scanner.h"

namespace tradingd::daemon {

Outcome handle_scan_latest(const Args& args, DaemonContext& ctx) {
    args.only({});
    Scanner* scanner = ctx.scanner();
    if (!scanner) return Outcome::failure(control::ErrorCode::unavailable, "the scanner is not running");
    const auto latest = scanner->latest();
    if (!latest)
        return Outcome::failure(control::ErrorCode::not_found,
                                "no scan has completed yet (the first runs a few seconds after start; "
                                "the daemon log says scan_failed if it could not)");
    // The broadcast's own document, so scripts read exactly what the bots were sent.
    nlohmann::json result = nlohmann::json::parse(latest->json);
    result["scanned_at"] = utc_sql_time(latest->result.scan_time_ms);
    if (const auto stats = scanner->last_stats(); stats && stats->scan_id == latest->scan_id) {
        result["stats"] = {{"symbols", stats->symbols},
                           {"passed", stats->passed},
                           {"fetch_failures", stats->fetch_failures},
                           {"requests", stats->requests},
                           {"weight_used", stats->weight_used},
                           {"duration_ms", stats->duration.count()},
                           {"pruned_rows", stats->pruned_rows}};
    }
    return Outcome::success(std::move(result));
}

}  // namespace tradingd::daemon
