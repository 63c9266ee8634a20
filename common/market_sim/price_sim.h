// Deterministic market simulation: each symbol follows a seeded random walk on a 1-minute grid, with
// 10-second sub-points inside each minute. The walk is built as a Brownian bridge over dyadic blocks, so
// the price at any minute is computed directly (no replay from the origin) and the same seed always
// gives the same candles for the same times, whatever was asked before.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "util/guarded.h"
#include "market_sim/universe.h"

namespace tradingd::market_sim {

struct Candle {
    std::int64_t open_ms = 0, close_ms = 0;  // close_ms = next open - 1, as Binance reports it
    double open = 0, high = 0, low = 0, close = 0;
    double volume = 0, quote_volume = 0, taker_volume = 0, taker_quote_volume = 0;
    std::int64_t trades = 0;
    bool empty = true;  // no minute of it has happened yet
};

struct PriceRange {
    double low = 0, high = 0;
};

class PriceSim {
  public:
    explicit PriceSim(std::uint64_t seed) : seed_(seed) {}

    double last_price(const SymbolSpec& s, std::int64_t ms) const;
    double mark_price(const SymbolSpec& s, std::int64_t ms) const;
    double index_price(const SymbolSpec& s, std::int64_t ms) const;
    double funding_rate(const SymbolSpec& s, std::int64_t ms) const;  // of the 8 h period holding ms

    // Aggregate of the 1m candles in [from_ms, to_ms), cut at now_ms (the open candle is partial).
    Candle aggregate(const SymbolSpec& s, std::int64_t from_ms, std::int64_t to_ms,
                     std::int64_t now_ms) const;

    // Lowest and highest price in (from_ms, to_ms]: resting orders and triggers must not miss a cross that
    // happened between two checks.
    PriceRange last_range(const SymbolSpec& s, std::int64_t from_ms, std::int64_t to_ms) const;
    PriceRange mark_range(const SymbolSpec& s, std::int64_t from_ms, std::int64_t to_ms) const;

    // Test hook: from from_ms on, the symbol trades at `price` times the walk's later relative moves.
    void override_price(const SymbolSpec& s, std::int64_t from_ms, double price);
    void clear_overrides();

  private:
    using Overrides = std::vector<std::pair<std::int64_t, double>>;  // (from_ms, log factor), ascending
    struct Walk;  // per-call context: symbol constants and its overrides

    Walk walk_for(const SymbolSpec& s) const;
    PriceRange range(const SymbolSpec& s, std::int64_t from_ms, std::int64_t to_ms, bool mark) const;

    std::uint64_t seed_;
    Guarded<std::unordered_map<std::string, Overrides>> overrides_;
};

}  // namespace tradingd::market_sim
