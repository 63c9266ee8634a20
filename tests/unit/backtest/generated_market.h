// A generated market for backtest tests and benchmarks: N symbols, hourly candles from a seeded random walk
// with trending regimes (so the strategy finds signals), prices on a 0.0001 tick. Pure function of the seed.
#pragma once

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "backtest/engine.h"
#include "market_fixtures.h"

namespace tradingd::backtest::test {

inline std::vector<SymbolHistory> generated_market(int symbols, int candles, std::uint64_t seed,
                                                   std::int64_t first_open_ms) {
    std::vector<SymbolHistory> out;
    std::uint64_t state = seed * 0x9E3779B97F4A7C15ULL + 1;
    auto next = [&] {  // xorshift64*: portable and exactly reproducible
        state ^= state >> 12;
        state ^= state << 25;
        state ^= state >> 27;
        return static_cast<double>((state * 0x2545F4914F6CDD1DULL) >> 11) / 9007199254740992.0;
    };
    for (int s = 0; s < symbols; ++s) {
        SymbolHistory h;
        h.info = strategy::test::perpetual("C" + std::to_string(s), "0.0001", "0.001", "5");
        double price = 10 + 90 * next(), drift = 0;
        for (int i = 0; i < candles; ++i) {
            if (i % 48 == 0) drift = (next() - 0.5) * 0.004;  // a new regime every two days
            strategy::Candle c;
            c.open_time_ms = first_open_ms + i * strategy::test::kHourMs;
            c.close_time_ms = c.open_time_ms + strategy::test::kHourMs - 1;
            c.open = price;
            const double move = drift + (next() - 0.5) * 0.012;
            c.close = std::round(price * (1 + move) * 10000) / 10000;
            c.high = std::round(std::max(c.open, c.close) * (1 + next() * 0.004) * 10000) / 10000;
            c.low = std::round(std::min(c.open, c.close) * (1 - next() * 0.004) * 10000) / 10000;
            c.volume = 1000 + 2000 * next() + (s == 0 ? 5000 : 0);
            c.quote_volume = c.volume * c.close * (symbols - s);
            price = c.close;
            h.candles.push_back(c);
        }
        out.push_back(std::move(h));
    }
    return out;
}

}  // namespace tradingd::backtest::test
