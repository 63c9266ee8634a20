// Which candles a klines request returns, by Binance's rules: forward from startTime, else backward from
// endTime (or now), never before the symbol's first candle, at most `limit` of them. Shared by the fake
// exchange and the built-in simulated market so both answer the same request with the same candles.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "market_sim/intervals.h"

namespace tradingd::market_sim {

struct KlineWindow {
    std::optional<std::int64_t> start_ms, end_ms;
    int limit = 500;
};

// Open times, oldest first. first_open_ms: the open time of the symbol's first candle at this interval.
std::vector<std::int64_t> kline_opens(const Interval& iv, const KlineWindow& window,
                                      std::int64_t first_open_ms, std::int64_t now_ms);

}  // namespace tradingd::market_sim
