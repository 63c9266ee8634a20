// The strategy's one entry point, called the same way by the daemon's scanner, the paper and live bots and
// the backtester: market data in, one row per analysed symbol out, then each bot's decisions.
#pragma once

// scan(input, candles, params, now_ms):
//   1. universe   select_universe (universe.h): eligible USDT perpetuals by 24h quote volume, top N, plus
//                 the eligible symbols the skip list removed (they get a row with reason skip_coin).
//   2. candles    per member, only candles closed before now_ms are used (close_time_ms < now_ms; the
//                 first one that is not closed ends the series), so a still-open candle, or in a backtest
//                 any later candle, can never leak into a score. Then the last lookback_candles of those.
//   3. scoring    score_symbol (scoring.h): a Signal, or insufficient_data.
//   4. filters    global_filters (signal_filters.h): long_85_plus, ma_slope, score_too_low.
// Rows are in volume-rank order. Nothing reads a clock, a random source or global state, so the same
// arguments give the same ScanResult, bit for bit.
//
// apply_bot_filters(scan, bot, params): one Decision per row. A row that failed a global filter keeps that
// reason; a row that passed meets the per-bot filters (max_positions, already_in_position, cooldown,
// insufficient_margin) in priority order: score high to low, then volume rank, then symbol. Each accepted
// entry takes a position slot and its margin before the next row is judged, so with one slot left only
// the best signal enters and the rest read max_positions.

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "exchange/types.h"
#include "strategy/candle.h"
#include "strategy/params.h"
#include "strategy/scoring.h"
#include "strategy/signal_filters.h"
#include "strategy/universe.h"

namespace tradingd::strategy {

struct UniverseInput {
    std::vector<exchange::SymbolInfo> symbols;  // exchangeInfo, any status
    std::vector<exchange::Ticker24h> tickers;   // 24h tickers, for the quote volume
};

// Candles per symbol, oldest first. Symbols outside the universe are ignored.
using CandlesBySymbol = std::map<std::string, std::vector<Candle>, std::less<>>;

struct ScanRow {
    std::string symbol;
    int volume_rank = 0;
    double quote_volume = 0;
    std::optional<Signal> signal;          // absent for skip_coin and insufficient_data
    std::optional<FilterFailure> failure;  // the first failing global filter; none = passed

    bool passed() const { return !failure.has_value(); }
};

struct ScanResult {
    exchange::TimeMs scan_time_ms = 0;  // the `now_ms` the scan ran with
    std::vector<ScanRow> rows;
};

ScanResult scan(const UniverseInput& input, const CandlesBySymbol& candles, const StrategyParams& params,
                exchange::TimeMs now_ms);
// The same, for a caller that already selected the universe (the scanner does, to know what to fetch).
ScanResult scan_universe(const Universe& universe, const CandlesBySymbol& candles,
                         const StrategyParams& params, exchange::TimeMs now_ms);

struct Decision {
    std::string symbol;
    std::optional<Signal> signal;
    std::optional<FilterFailure> failure;  // global or per-bot; none = enter

    bool enter() const { return !failure.has_value(); }
};

struct BotDecisions {
    std::vector<Decision> decisions;   // one per scan row, in row order (what the signal panel lists)
    std::vector<std::size_t> entries;  // indices into decisions that enter, best first (the order to trade)
};

// Cooldowns are measured against scan.scan_time_ms. Throws std::invalid_argument for params or risk
// settings that fail validate().
BotDecisions apply_bot_filters(const ScanResult& scan, const BotView& bot, const StrategyParams& params);

// A market-data kline as the strategy's candle.
Candle to_candle(const exchange::Kline& kline);

}  // namespace tradingd::strategy
