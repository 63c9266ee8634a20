// GET /api/agent/signals: the live signal panel. The latest scan's rows (the same for every agent: one scan
// serves every bot) with the reason code, its human label and the numbers behind it.
#include "daemon_context.h"
#include "http/handlers.h"
#include "scanner/scan_store.h"
#include "scanner/scanner.h"

namespace tradingd::daemon::http {
namespace {

// A broadcast row (strategy/scan_json.h) flattened for the panel: one level, the reason beside the score.
nlohmann::json panel_row(const nlohmann::json& row) {
    const nlohmann::json& signal = row.at("signal");
    const nlohmann::json& failure = row.at("failure");
    auto of = [](const nlohmann::json& obj, const char* key) {
        return obj.is_null() ? nlohmann::json(nullptr) : obj.at(key);
    };
    return {{"symbol", row.at("symbol")},
            {"volume_rank", row.at("volume_rank")},
            {"score", of(signal, "score")},
            {"direction", of(signal, "direction")},
            {"passed", row.at("passed")},
            {"reason", of(failure, "reason")},
            {"label", of(failure, "label")},
            {"detail", of(failure, "detail")},
            {"components", of(signal, "components")},
            {"indicators", of(signal, "indicators")}};
}

ApiReply signals(const ApiRequest& req, DaemonContext& ctx) {
    bool passed_only = false;
    if (req.query.count("passed")) {
        const std::string& v = req.query.at("passed");
        if (v != "0" && v != "1") return ApiReply::error(400, "invalid_field", "'passed' must be 0 or 1");
        passed_only = v == "1";
    }
    Scanner* scanner = ctx.scanner();
    const auto latest = scanner ? scanner->latest() : nullptr;
    // Before the first scan the panel is empty rather than an error: the page polls and fills in.
    if (!latest)
        return ApiReply::ok(
            {{"scan_id", nullptr}, {"scanned_at", nullptr}, {"signals", nlohmann::json::array()}});
    const nlohmann::json scan = nlohmann::json::parse(latest->json);
    nlohmann::json rows = nlohmann::json::array();
    for (const auto& row : scan.at("rows"))
        if (!passed_only || row.at("passed").get<bool>()) rows.push_back(panel_row(row));
    return ApiReply::ok({{"scan_id", latest->scan_id},
                         {"scan_time_ms", latest->result.scan_time_ms},
                         {"scanned_at", utc_sql_time(latest->result.scan_time_ms)},
                         {"signals", std::move(rows)}});
}

}  // namespace

std::vector<Route> signal_routes() {
    return {
        {"GET", "/api/agent/signals", Access::agent,
         "the latest scan: every coin's score, direction, and why it passed or not (?passed=1: only those "
         "that passed)",
         signals}};
}

}  // namespace tradingd::daemon::http
