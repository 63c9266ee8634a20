// Fetches klines for many symbols at once over a small pool of threads, each with its own market-data source
// (Binance clients hold one connection and are not thread-safe). All of them draw on the process's one
// weight budget, so concurrency shortens a scan without raising its weight.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "exchange/market_data.h"
#include "strategy/scan.h"

namespace tradingd::daemon {

struct KlineFetch {
    strategy::CandlesBySymbol candles;                          // symbols whose fetch succeeded
    std::vector<std::pair<std::string, std::string>> failures;  // symbol, error description
    std::int64_t requests = 0;
    bool aborted = false;  // `stop` was raised: the remaining symbols were not fetched
};

// One request per symbol (`limit` candles of `interval`), spread over sources.size() threads (at least
// one source). `stop` is checked before each request.
KlineFetch fetch_klines(const std::vector<std::string>& symbols, exchange::Interval interval, int limit,
                        const std::vector<std::shared_ptr<exchange::MarketData>>& sources,
                        const std::atomic<bool>& stop);

}  // namespace tradingd::daemon
