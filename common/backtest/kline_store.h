// The kline store: candles per (symbol, interval, open time), written by `tradingctl market fetch` and read
// by stored-source backtests. Writes ignore candles already stored, so a fetch can always be repeated.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "exchange/types.h"
#include "store/sql.h"
#include "strategy/candle.h"

namespace tradingd::backtest {

// Inserts closed klines (the caller drops a still-open last one); returns how many were new.
std::int64_t store_klines(store::Connection& conn, const std::string& symbol, exchange::Interval interval,
                          const std::vector<exchange::Kline>& klines);

// Stored candles opening in [from_ms, to_ms), oldest first.
std::vector<strategy::Candle> stored_candles(store::Connection& conn, const std::string& symbol,
                                             exchange::Interval interval, exchange::TimeMs from_ms,
                                             exchange::TimeMs to_ms);

// Open times already stored in [from_ms, to_ms), ascending: what a resumed fetch can skip.
std::vector<exchange::TimeMs> stored_open_times(store::Connection& conn, const std::string& symbol,
                                                exchange::Interval interval, exchange::TimeMs from_ms,
                                                exchange::TimeMs to_ms);

std::vector<std::string> stored_symbols(store::Connection& conn, exchange::Interval interval);

}  // namespace tradingd::backtest
