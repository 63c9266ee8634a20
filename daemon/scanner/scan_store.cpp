// SQL for scan_results. Both dialects accept every statement here: MySQL compares its TIMESTAMP column with
// the bound 'YYYY-MM-DD HH:MM:SS' text in the session's UTC, SQLite compares the same text.
#include "scanner/scan_store.h"

#include <ctime>

#include "strategy/scan_json.h"

namespace tradingd::daemon {

std::string utc_sql_time(std::int64_t ms) {
    const std::time_t t = static_cast<std::time_t>(ms / 1000);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &tm);
    return buf;
}

std::string row_details_json(const strategy::ScanRow& row) {
    return strategy::scan_row_to_json(row);
}

std::int64_t store_scan(store::Connection& conn, const strategy::ScanResult& scan) {
    store::Transaction tx(conn);
    std::int64_t scan_id = 1;
    {
        auto st = conn.cached("SELECT MAX(scan_id) FROM scan_results");
        if (st->step() && !st->is_null(0)) scan_id = st->get_int(0) + 1;
    }
    const std::string scanned_at = utc_sql_time(scan.scan_time_ms);
    for (const auto& row : scan.rows) {
        auto st = conn.cached(
            "INSERT INTO scan_results (scan_id, scanned_at, symbol, score, direction, passed, reason, "
            "details) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
        const store::Value direction =
            row.signal ? store::Value(std::string(strategy::direction_name(row.signal->direction)))
                       : store::Value(nullptr);
        const store::Value reason =
            row.failure ? store::Value(std::string(strategy::reason_code(row.failure->reason)))
                        : store::Value(nullptr);
        st->bind_all(scan_id, scanned_at, row.symbol,
                     static_cast<std::int64_t>(row.signal ? row.signal->score : 0), direction,
                     static_cast<std::int64_t>(row.passed() ? 1 : 0), reason, row_details_json(row));
        st->step();
    }
    tx.commit();
    return scan_id;
}

std::int64_t prune_scans(store::Connection& conn, std::int64_t cutoff_ms, int max_scans) {
    const std::string cutoff = utc_sql_time(cutoff_ms);
    std::int64_t deleted = 0;
    for (int i = 0; i < max_scans; ++i) {
        std::int64_t oldest = 0;
        {
            // The scan_id index finds the oldest scan without reading the table.
            auto st = conn.cached(
                "SELECT scan_id, scanned_at FROM scan_results WHERE scan_id = (SELECT MIN(scan_id) FROM "
                "scan_results) LIMIT 1");
            if (!st->step()) break;
            if (!(st->get_text(1) < cutoff)) break;
            oldest = st->get_int(0);
        }
        auto del = conn.cached("DELETE FROM scan_results WHERE scan_id = ?");
        del->bind_all(oldest);
        del->step();
        deleted += del->affected_rows();
    }
    return deleted;
}

}  // namespace tradingd::daemon
