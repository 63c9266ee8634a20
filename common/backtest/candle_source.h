// Where a backtest's candles come from: any MarketData (the built-in simulated market, or the exchange) read
// forward in pages, or the kline store that `tradingctl market fetch` fills.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "backtest/engine.h"
#include "exchange/market_data.h"
#include "store/sql.h"

namespace tradingd::backtest {

// Closed candles of `symbol` opening in [from_ms, to_ms), oldest first, in pages of 1500. Throws
// std::runtime_error naming the symbol when the source fails.
std::vector<strategy::Candle> fetch_candles(exchange::MarketData& market, const std::string& symbol,
                                            exchange::Interval interval, exchange::TimeMs from_ms,
                                            exchange::TimeMs to_ms);

// The histories for a backtest from [from_ms - warm-up, to_ms): `symbols` (empty = the universe_size most
// traded TRADING USDT perpetuals the source lists), with lookback_candles of warm-up and the 24 h before
// from_ms that ranks the universe.
// Throws Cancelled between symbols once `cancel` is set.
std::vector<SymbolHistory> load_from_market(exchange::MarketData& market, const BacktestConfig& config,
                                            const std::vector<std::string>& symbols,
                                            const std::atomic<bool>* cancel = nullptr);

// The same from the kline store. The store keeps no exchange filters, so each symbol gets permissive ones
// (tick 1e-8, step 0.001, min notional 5 USDT); symbols with no stored candles in the period are left out.
// Empty `symbols` = every symbol stored at the interval.
std::vector<SymbolHistory> load_from_store(store::Connection& conn, const BacktestConfig& config,
                                           const std::vector<std::string>& symbols);

// The warm-up every source loads before from_ms.
exchange::TimeMs warmup_start(const BacktestConfig& config);

}  // namespace tradingd::backtest
