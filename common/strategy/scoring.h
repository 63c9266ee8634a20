// Scores one symbol 0-100 with a direction from its recent closed candles. Pure and deterministic: the same
// candles and params give the same Signal, bit for bit, live, on paper and in a backtest.
#pragma once

// The model (docs/strategy.md explains it for operators). ATR = ATR(14) at the last closed candle; every
// distance is measured in ATRs so the score means the same for BTC and for a sub-cent coin.
//
//   gap   = (EMA20 - EMA50) / ATR          pos = (close - EMA50) / ATR
//   slope = (EMA50 - EMA50 k candles ago) / ATR,  k = ma_slope_candles
//   direction: LONG when gap > 0, SHORT when gap < 0; on an exact tie the sign of slope decides, then the
//   sign of pos, and LONG if all three are exactly 0. d = +1 for LONG, -1 for SHORT.
//   ramp(x, a, b) = 0 at x <= a, 1 at x >= b, linear between.
//
//   trend      = 100 * (0.40 ramp(d*gap, 0, 2) + 0.30 ramp(d*pos, 0, 3) + 0.30 ramp(d*slope, 0, 2))
//   momentum   = 100 * (0.50 ramp(d*(RSI14 - 50), 0, 25) + 0.25 ramp(d*MACD line / ATR, 0, 1)
//                       + 0.25 ramp(d*MACD hist / ATR, -0.25, 0.25))          MACD = (12, 26, 9)
//   volatility = 100 * band(ATR / close): 0 below atr_pct_min, rising to 1 at atr_pct_low, 1 up to
//                atr_pct_high, falling to 0 at atr_pct_max and above
//   volume     = 100 * ramp(volume ratio(20), 0.5, 1.5)        (1.0 = an average candle = 50)
//   score      = round-half-up(sum of weight_pct/100 * component), an integer 0..100
//
// When every close in the window is equal, RSI counts as 50 here (indicators.h says 100 by TradingView's
// convention, which would read as strong momentum in a market that never moved).
// A component rewards agreement with the direction only: a SHORT's trend is high when EMAs, price and slope
// all point down. RSI is not penalised for being overbought: exhaustion is the long_85_plus filter's job.

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <variant>

#include "strategy/candle.h"
#include "strategy/params.h"

namespace tradingd::strategy {

enum class Direction { long_side, short_side };
std::string_view direction_name(Direction direction);  // "LONG", "SHORT"

struct Components {
    double trend = 0, momentum = 0, volatility = 0, volume = 0;  // each 0..100
};

// The indicator values behind a score, at the last closed candle, so the signal panel can explain it.
struct SignalIndicators {
    std::int64_t candle_open_time_ms = 0;  // the last closed candle the score is for
    int candles_used = 0;
    double close = 0;
    double ema20 = 0, ema50 = 0;
    double ma_slope = 0;  // EMA50 now minus EMA50 ma_slope_candles ago, in price units
    double rsi14 = 0;
    double macd_line = 0, macd_signal = 0, macd_hist = 0;
    double atr14 = 0;
    double atr_pct = 0;  // ATR / close * 100
    double volume_ratio = 0;
};

struct Signal {
    std::string symbol;
    int score = 0;
    Direction direction = Direction::long_side;
    Components components;
    SignalIndicators indicators;
};

// Why no score could be computed: too few candles, or a window with no price movement or no volume, where
// the ATR-relative and volume-relative measures are undefined. Never a made-up score.
struct InsufficientData {
    std::string symbol;
    int candles = 0;  // closed candles available
    int needed = 0;   // min_candles
    std::string detail;
};

using ScoreOutcome = std::variant<Signal, InsufficientData>;

// `closed_candles` oldest first, all closed (scan() drops a still-open last candle using its clock). Only
// the last lookback_candles are used, so a backtest holding years of history scores a candle exactly as the
// live scanner does from its fetch. Throws std::invalid_argument for params that fail validate().
ScoreOutcome score_symbol(std::string_view symbol, std::span<const Candle> closed_candles,
                          const StrategyParams& params);

// The pieces of the model, exposed for tests and for the panel's explanations.
double ramp(double x, double lo, double hi);
double volatility_component(double atr_pct, const StrategyParams& params);
double volume_component(double volume_ratio);
int combine(const Components& components, const StrategyParams& params);

}  // namespace tradingd::strategy
