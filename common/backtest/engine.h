// The backtester: replays candles for a set of symbols through the same scan_universe, apply_bot_filters,
// size_position and plan_exits the bots run, one scan per candle close, and books every fill with fees,
// slippage and funding in exact decimals. Pure: the same input gives the same result, bit for bit.
#pragma once

// Fill model (docs/strategy.md repeats it for operators). Candles are [open, open + interval).
//   Scan      at every candle close B in (from, to]: candles that closed by B (never later ones) are scored.
//   Entry     a decision at B fills at the next candle's open: LONG at open x (1 + slippage), SHORT at
//             open x (1 - slippage). The quantity was sized at B from the close (the reference price a live
//             bot sizes from); the stop and target are planned from the fill price (plan_exits), as live.
//             A symbol with no next candle (delisted, gap in the data) cancels the entry.
//   Exits     checked on every candle from the entry candle on, from its high and low, in this order:
//             1. stop (the stop-loss, or the trailing stop's level when that is tighter): hit when the low
//                (LONG) / high (SHORT) reaches it; fills at the stop, or at the open when the candle opened
//                beyond it (a gap); 2. target, the same way. A candle that reaches both counts as the stop
//                (we cannot know which came first; assuming the worse keeps results honest).
//             3. time stop: once max_holding_hours have passed at a candle close, at that close.
//             Every exit is a market order: slippage against the position.
//   Trailing  (strategy.trailing_stop) the best price is updated at each candle's end from its high (LONG)
//             or low (SHORT); the trail arms once that best price reaches the activation price and then
//             sits callback % behind it. A candle is checked against the level of the previous candle's end.
//   Fees      taker fee on the notional of every fill (entry and exit).
//   Funding   at every 00:00, 08:00 and 16:00 UTC candle close a position is open, notional at that close x
//             funding rate: LONG pays, SHORT receives (a positive rate, like Binance's usual 0.01 %).
//   End       positions still open at `to` close at the last close (reason end_of_test).
// Equity = initial + closed PnL (net of fees and funding) - fees and funding of open positions + their
// unrealised PnL at the close. Sizing and the insufficient_margin filter see that equity and the margin
// (notional / leverage) of open positions.

#include <atomic>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "exchange/types.h"
#include "money/decimal.h"
#include "strategy/candle.h"
#include "strategy/params.h"
#include "strategy/scoring.h"

namespace tradingd::backtest {

// Bumped whenever scoring, filters, sizing or exits change what a backtest would trade, so stored runs say
// which strategy they measured.
inline constexpr const char* kStrategyVersion = "1";

struct FillModel {
    money::Decimal taker_fee_rate = money::Decimal::parse("0.0005");  // Binance's 0.05 %
    money::Decimal slippage_rate = money::Decimal::parse("0.0002");
    money::Decimal funding_rate = money::Decimal::parse("0.0001");  // per 8 h
};

struct BacktestConfig {
    strategy::StrategyParams params;
    strategy::RiskSettings risk;
    money::Decimal initial_equity = money::Decimal::from_int(10000);
    FillModel fills;
    exchange::TimeMs from_ms = 0;  // the first trading candle opens at or after this; aligned to the interval
    exchange::TimeMs to_ms = 0;    // the last candle closes by this
};

// One symbol's candles, oldest first, strictly increasing open times, all of the config's interval. Candles
// before from_ms are warm-up (scored, never traded); the 24 h before from_ms also rank the universe.
struct SymbolHistory {
    exchange::SymbolInfo info;
    std::vector<strategy::Candle> candles;
};

struct Trade {
    std::string symbol;
    strategy::Direction direction = strategy::Direction::long_side;
    int score = 0;
    int leverage = 1;
    money::Decimal quantity;
    exchange::TimeMs entry_time_ms = 0;
    money::Decimal entry_price;
    exchange::TimeMs exit_time_ms = 0;
    money::Decimal exit_price;
    std::string exit_reason;  // stop_loss, trailing_stop, take_profit, time_stop, end_of_test
    money::Decimal fees;
    money::Decimal funding;     // paid (+) or received (-)
    money::Decimal pnl;         // net of fees and funding
    money::Decimal return_pct;  // pnl / margin x 100, 2 decimals
};

struct EquityPoint {
    exchange::TimeMs time_ms = 0;
    money::Decimal equity;
};

struct RawResult {
    std::vector<std::string> universe;  // the symbols scanned, by volume rank
    std::vector<Trade> trades;          // in exit order
    std::vector<EquityPoint> equity;    // one point per candle close from from_ms to to_ms
    std::int64_t candles = 0;           // symbol-candles replayed inside the window
    std::int64_t scans = 0;
};

// Thrown by run() and the candle sources when their `cancel` flag is set (a daemon shutting down).
struct Cancelled : std::runtime_error {
    Cancelled() : std::runtime_error("backtest cancelled") {}
};

// Throws std::invalid_argument for params/risk that fail validate(), an interval that is not a whole
// number of minutes, from >= to, or candles out of order; Cancelled once `cancel` is set (checked per step).
RawResult run(const std::vector<SymbolHistory>& histories, const BacktestConfig& config,
              const std::atomic<bool>* cancel = nullptr);

// Milliseconds of one candle of `interval` (1h -> 3 600 000); months and weeks are not supported here.
std::int64_t interval_ms(exchange::Interval interval);

}  // namespace tradingd::backtest
