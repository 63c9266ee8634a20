// The scanner's rows in `scan_results`: one row per symbol per scan, a scan's rows written in one
// transaction, and retention. The SQL lives in scan_store.cpp, next to the functions that run it.
#pragma once

#include <cstdint>
#include <string>

#include "store/sql.h"
#include "strategy/scan.h"

namespace tradingd::daemon {

// "2026-12-01 07:40:03": the UTC text both backends store scan times as.
std::string utc_sql_time(std::int64_t ms);

// The `details` column: the row as the broadcast carries it (volume rank, 24h quote volume, the failure's
// reason, label and detail, the signal's components and indicator values), so a stored scan explains itself.
std::string row_details_json(const strategy::ScanRow& row);

// Takes the next scan id (the largest stored + 1) and writes every row of `scan` under it, in one
// transaction: a reader sees the whole scan or none of it. Returns the scan id.
std::int64_t store_scan(store::Connection& conn, const strategy::ScanResult& scan);

// Deletes whole scans whose time is before `cutoff_ms`, oldest first, at most `max_scans` per call (each
// an indexed delete by scan id, so a long backlog is worked off over several scans instead of one long
// lock). Returns the rows deleted.
std::int64_t prune_scans(store::Connection& conn, std::int64_t cutoff_ms, int max_scans = 100);

}  // namespace tradingd::daemon
