// The scoring arithmetic documented in scoring.h. Indicators come from the streaming classes in
// indicators.h, run once over the window, so scoring costs O(window) per symbol.
#include "strategy/scoring.h"

#include <algorithm>
#include <cmath>
#include <optional>
#include <stdexcept>
#include <vector>

#include "strategy/indicators.h"

namespace tradingd::strategy {
namespace {

// The model's fixed shape (see scoring.h); the config tunes weights and bands, not these.
constexpr double kGapFull = 2.0, kPosFull = 3.0, kSlopeFull = 2.0;
constexpr double kRsiFull = 25.0, kMacdLineFull = 1.0, kMacdHistFull = 0.25;
constexpr double kVolumeRatioLow = 0.5, kVolumeRatioHigh = 1.5;

int sign(double x) {
    return (x > 0) - (x < 0);
}

struct Latest {
    std::optional<double> ema20, ema50, ema50_back, rsi, atr, volume_ratio;
    MacdPoint macd;
    bool closes_all_equal = true;
};

// Runs every indicator over the window; ema50_back is EMA50 `back` candles before the last one.
Latest run_indicators(std::span<const Candle> window, int back) {
    Ema ema20(20), ema50(50);
    Rsi rsi(14);
    Atr atr(14);
    Macd macd(12, 26, 9);
    VolumeRatio volume_ratio(20);
    std::vector<std::optional<double>> ema50_history;
    ema50_history.reserve(window.size());
    Latest out;
    for (const Candle& c : window) {
        out.ema20 = ema20.update(c.close);
        out.ema50 = ema50.update(c.close);
        ema50_history.push_back(out.ema50);
        out.rsi = rsi.update(c.close);
        out.atr = atr.update(c);
        out.macd = macd.update(c.close);
        out.volume_ratio = volume_ratio.update(c.volume);
        out.closes_all_equal = out.closes_all_equal && c.close == window.front().close;
    }
    const auto b = static_cast<std::size_t>(back);
    if (ema50_history.size() > b) out.ema50_back = ema50_history[ema50_history.size() - 1 - b];
    return out;
}

bool all_finite(std::initializer_list<double> values) {
    return std::all_of(values.begin(), values.end(), [](double v) { return std::isfinite(v); });
}

}  // namespace

std::string_view direction_name(Direction direction) {
    return direction == Direction::long_side ? "LONG" : "SHORT";
}

double ramp(double x, double lo, double hi) {
    if (x <= lo) return 0.0;
    if (x >= hi) return 1.0;
    return (x - lo) / (hi - lo);
}

double volatility_component(double atr_pct, const StrategyParams& p) {
    const double min = p.atr_pct_min_bp / 100.0, low = p.atr_pct_low_bp / 100.0;
    const double high = p.atr_pct_high_bp / 100.0, max = p.atr_pct_max_bp / 100.0;
    if (atr_pct < low) return atr_pct < min ? 0.0 : 100.0 * ramp(atr_pct, min, low);
    if (atr_pct <= high) return 100.0;
    return 100.0 * (1.0 - ramp(atr_pct, high, max));
}

double volume_component(double volume_ratio) {
    return 100.0 * ramp(volume_ratio, kVolumeRatioLow, kVolumeRatioHigh);
}

int combine(const Components& c, const StrategyParams& p) {
    const double sum = (p.weight_trend_pct * c.trend + p.weight_momentum_pct * c.momentum +
                        p.weight_volatility_pct * c.volatility + p.weight_volume_pct * c.volume) /
                       100.0;
    return std::clamp(static_cast<int>(std::floor(sum + 0.5)), 0, 100);
}

ScoreOutcome score_symbol(std::string_view symbol, std::span<const Candle> closed_candles,
                          const StrategyParams& params) {
    if (const auto problems = validate(params); !problems.empty()) {
        throw std::invalid_argument("strategy params: " + problems.front());
    }
    const auto lookback = static_cast<std::size_t>(params.lookback_candles);
    const auto window = closed_candles.size() > lookback ? closed_candles.last(lookback) : closed_candles;
    const int have = static_cast<int>(window.size());
    auto insufficient = [&](std::string detail) {
        return InsufficientData{std::string(symbol), have, params.min_candles, std::move(detail)};
    };
    if (have < params.min_candles) {
        return insufficient(std::to_string(have) + " closed candles, " + std::to_string(params.min_candles) +
                            " needed");
    }

    const Latest v = run_indicators(window, params.ma_slope_candles);
    const Candle& last = window.back();
    if (!v.volume_ratio) return insufficient("no trading volume in the last 20 candles");
    const double atr = *v.atr;
    if (!all_finite({last.close, atr, *v.ema20, *v.ema50, *v.ema50_back, *v.rsi, *v.macd.line, *v.macd.hist,
                     *v.volume_ratio})) {
        return insufficient("the candles hold non-finite values");
    }
    if (last.close <= 0) return insufficient("the last close is not above zero");
    if (atr <= 0) return insufficient("the price did not move in the window (ATR is 0)");

    const double gap = (*v.ema20 - *v.ema50) / atr;
    const double pos = (last.close - *v.ema50) / atr;
    const double slope_price = *v.ema50 - *v.ema50_back;
    const double slope = slope_price / atr;

    int d = sign(gap);
    if (d == 0) d = sign(slope);
    if (d == 0) d = sign(pos);
    if (d == 0) d = 1;

    Signal s;
    s.symbol = std::string(symbol);
    s.direction = d > 0 ? Direction::long_side : Direction::short_side;
    s.components.trend = 100.0 * (0.40 * ramp(d * gap, 0, kGapFull) + 0.30 * ramp(d * pos, 0, kPosFull) +
                                  0.30 * ramp(d * slope, 0, kSlopeFull));
    // indicators.h reports RSI 100 when no close ever moved (TradingView's convention); for scoring that is
    // no momentum at all, so it counts as a neutral 50.
    const double rsi = v.closes_all_equal ? 50.0 : *v.rsi;
    s.components.momentum = 100.0 * (0.50 * ramp(d * (rsi - 50.0), 0, kRsiFull) +
                                     0.25 * ramp(d * *v.macd.line / atr, 0, kMacdLineFull) +
                                     0.25 * ramp(d * *v.macd.hist / atr, -kMacdHistFull, kMacdHistFull));
    const double atr_pct = atr / last.close * 100.0;
    s.components.volatility = volatility_component(atr_pct, params);
    s.components.volume = volume_component(*v.volume_ratio);
    s.score = combine(s.components, params);

    auto& ind = s.indicators;
    ind.candle_open_time_ms = last.open_time_ms;
    ind.candles_used = have;
    ind.close = last.close;
    ind.ema20 = *v.ema20;
    ind.ema50 = *v.ema50;
    ind.ma_slope = slope_price;
    ind.rsi14 = *v.rsi;
    ind.macd_line = *v.macd.line;
    ind.macd_signal = *v.macd.signal;
    ind.macd_hist = *v.macd.hist;
    ind.atr14 = atr;
    ind.atr_pct = atr_pct;
    ind.volume_ratio = *v.volume_ratio;
    return s;
}

}  // namespace tradingd::strategy
