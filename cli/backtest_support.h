// What the backtest and market command groups share: opening the store directly (they run with the daemon
// down) and reading a UTC date from the command line.
#pragma once

#include <memory>
#include <string>

#include "exchange/types.h"
#include "output.h"
#include "store/sql.h"

namespace tradingd::cli {

// The configured store, which must exist and be at the latest schema (else CommandFailed naming
// `tradingctl db migrate`).
std::unique_ptr<store::Connection> open_migrated_store(const config::Config& cfg);

// "2025-01-31" (midnight UTC) or "2025-01-31T12:00" (UTC) in epoch ms; CommandFailed(kUsage) otherwise.
exchange::TimeMs parse_utc_date(const std::string& option, const std::string& text);

// "BTCUSDT,ETHUSDT" -> {"BTCUSDT", "ETHUSDT"}, upper-cased, blanks dropped.
std::vector<std::string> split_symbols(const std::string& text);

}  // namespace tradingd::cli
