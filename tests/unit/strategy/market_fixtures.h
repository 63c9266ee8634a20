// Crafted markets for the strategy tests: hourly candle series with a known shape and symbols with
// Binance-like filters, so each test states the market it is about in one line.
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "exchange/types.h"
#include "money/decimal.h"
#include "strategy/candle.h"

namespace tradingd::strategy::test {

inline constexpr std::int64_t kHourMs = 3'600'000;
inline constexpr std::int64_t kT0 = 1'700'000'000'000 / kHourMs * kHourMs;  // an hour boundary in Nov 2023

// Appends one hourly candle that opens at the previous close (or at `start` for the first one) and moves by
// `change`; the wick reaches `wick` beyond the body on both sides.
inline void push_candle(std::vector<Candle>& out, double change, double wick = 0.5, double volume = 1000,
                        double start = 100.0) {
    Candle c;
    c.open_time_ms = out.empty() ? kT0 : out.back().open_time_ms + kHourMs;
    c.close_time_ms = c.open_time_ms + kHourMs - 1;
    c.open = out.empty() ? start : out.back().close;
    c.close = c.open + change;
    c.high = std::max(c.open, c.close) + wick;
    c.low = std::min(c.open, c.close) - wick;
    c.volume = volume;
    c.quote_volume = volume * c.close;
    out.push_back(c);
}

// n candles from `start`, each moving by `drift` (negative: a downtrend), constant volume. With the
// default wick every true range is |drift| + 1, so ATR(14) = |drift| + 1.
inline std::vector<Candle> steady_trend(int n, double drift, double start = 100.0) {
    std::vector<Candle> out;
    for (int i = 0; i < n; ++i) push_candle(out, drift, 0.5, 1000, start);
    return out;
}

// A market going nowhere: closes alternate +step / -step around 100.
inline std::vector<Candle> choppy_flat(int n, double step = 0.2) {
    std::vector<Candle> out;
    for (int i = 0; i < n; ++i) push_candle(out, i % 2 == 0 ? step : -step);
    return out;
}

// `first` candles moving by `drift1`, then `second` moving by `drift2`.
inline std::vector<Candle> two_legs(int first, double drift1, int second, double drift2) {
    std::vector<Candle> out;
    for (int i = 0; i < first; ++i) push_candle(out, drift1);
    for (int i = 0; i < second; ++i) push_candle(out, drift2);
    return out;
}

// A USDT perpetual open for trading, with BTC-like filters unless a test changes them.
inline exchange::SymbolInfo perpetual(const std::string& base, const std::string& tick = "0.1",
                                      const std::string& step = "0.001",
                                      const std::string& min_notional = "5") {
    exchange::SymbolInfo s;
    s.symbol = base + "USDT";
    s.status = "TRADING";
    s.contract_type = "PERPETUAL";
    s.base_asset = base;
    s.quote_asset = "USDT";
    s.margin_asset = "USDT";
    s.tick_size = money::Decimal::parse(tick);
    s.step_size = money::Decimal::parse(step);
    s.min_qty = money::Decimal::parse(step);
    s.min_notional = money::Decimal::parse(min_notional);
    return s;
}

inline exchange::Ticker24h ticker(const std::string& symbol, double quote_volume) {
    exchange::Ticker24h t;
    t.symbol = symbol;
    t.quote_volume = quote_volume;
    return t;
}

// The time just after the last candle closed: every candle in `candles` counts as closed.
inline std::int64_t after_close(const std::vector<Candle>& candles) {
    return candles.back().close_time_ms + 1;
}

}  // namespace tradingd::strategy::test
