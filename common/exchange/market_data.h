// MarketData: the public, per-IP-weighted half of the exchange that the scanner reads once for every bot.
// Implemented by the Binance REST client, the fake exchange's client and the built-in simulated market.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "exchange/result.h"
#include "exchange/types.h"

namespace tradingd::exchange {

struct KlineQuery {
    std::string symbol;
    Interval interval = Interval::h1;
    int limit = 500;  // 1..1500; the IP weight grows with it (1/2/5/10 at 100/500/1000)
    std::optional<TimeMs> start_time;
    std::optional<TimeMs> end_time;
};

class MarketData {
  public:
    virtual ~MarketData() = default;

    // Every symbol with its filters, whatever its status; callers pick TRADING perpetuals themselves.
    virtual Result<std::vector<SymbolInfo>> exchange_info() = 0;
    // Oldest first. The last candle may still be open (its close_time is in the future).
    virtual Result<std::vector<Kline>> klines(const KlineQuery& query) = 0;
    // All symbols in one call: one request of weight 40 instead of one per symbol.
    virtual Result<std::vector<Ticker24h>> tickers_24h() = 0;
    virtual Result<std::vector<MarkPrice>> mark_prices() = 0;
    virtual Result<MarkPrice> mark_price(const std::string& symbol) = 0;
    // The exchange's clock in ms, for the offset that signed requests need.
    virtual Result<TimeMs> server_time() = 0;
};

}  // namespace tradingd::exchange
