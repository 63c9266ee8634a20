// Kline intervals as Binance aligns them: fixed lengths from the Unix epoch, weeks from Monday 00:00 UTC,
// months from the first of the calendar month.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace tradingd::market_sim {

struct Interval {
    enum Kind { Fixed, Week, Month } kind = Fixed;
    std::int64_t ms = 60000;  // length for Fixed and Week
};

std::optional<Interval> parse_interval(
    std::string_view name);  // 1m 3m 5m 15m 30m 1h 2h 4h 6h 8h 12h 1d 3d 1w 1M
std::int64_t interval_floor(const Interval& iv, std::int64_t ms);  // open time of the candle holding ms
std::int64_t interval_next(const Interval& iv, std::int64_t open_ms);

}  // namespace tradingd::market_sim
