// Range and consistency checks for the strategy's params and an agent's risk settings. The bounds here are
// the ones proposed for the config key table, so a value the config accepts is one the strategy can run.
#include "strategy/params.h"

#include <string_view>

namespace tradingd::strategy {
namespace {

void check_range(std::vector<std::string>& problems, std::string_view name, long long value, long long lo,
                 long long hi) {
    if (value < lo || value > hi) {
        problems.push_back(std::string(name) + " is " + std::to_string(value) + ", must be between " +
                           std::to_string(lo) + " and " + std::to_string(hi));
    }
}

bool blank(std::string_view s) {
    return s.find_first_not_of(" \t") == std::string_view::npos;
}

}  // namespace

std::vector<std::string> validate(const StrategyParams& p) {
    std::vector<std::string> problems;
    check_range(problems, "universe_size", p.universe_size, 1, 1000);
    // Binance serves at most 1500 klines per request.
    check_range(problems, "lookback_candles", p.lookback_candles, 60, 1500);
    check_range(problems, "ma_slope_candles", p.ma_slope_candles, 1, 100);
    // EMA50 must exist ma_slope_candles before the last candle for the slope to be defined.
    const int needed = 50 + p.ma_slope_candles;
    if (p.min_candles < needed) {
        problems.push_back("min_candles is " + std::to_string(p.min_candles) + ", must be at least " +
                           std::to_string(needed) + " (EMA50 plus ma_slope_candles)");
    }
    if (p.min_candles > p.lookback_candles) {
        problems.push_back("min_candles (" + std::to_string(p.min_candles) + ") exceeds lookback_candles (" +
                           std::to_string(p.lookback_candles) + ")");
    }

    check_range(problems, "weight_trend_pct", p.weight_trend_pct, 0, 100);
    check_range(problems, "weight_momentum_pct", p.weight_momentum_pct, 0, 100);
    check_range(problems, "weight_volatility_pct", p.weight_volatility_pct, 0, 100);
    check_range(problems, "weight_volume_pct", p.weight_volume_pct, 0, 100);
    const int weight_sum =
        p.weight_trend_pct + p.weight_momentum_pct + p.weight_volatility_pct + p.weight_volume_pct;
    if (weight_sum != 100) {
        problems.push_back("the four weight_*_pct keys add up to " + std::to_string(weight_sum) +
                           ", must add up to 100");
    }

    check_range(problems, "atr_pct_min_bp", p.atr_pct_min_bp, 0, 10000);
    check_range(problems, "atr_pct_low_bp", p.atr_pct_low_bp, 0, 10000);
    check_range(problems, "atr_pct_high_bp", p.atr_pct_high_bp, 1, 10000);
    check_range(problems, "atr_pct_max_bp", p.atr_pct_max_bp, 1, 10000);
    if (!(p.atr_pct_min_bp <= p.atr_pct_low_bp && p.atr_pct_low_bp < p.atr_pct_high_bp &&
          p.atr_pct_high_bp <= p.atr_pct_max_bp)) {
        problems.push_back(
            "the volatility band must satisfy atr_pct_min_bp <= atr_pct_low_bp < atr_pct_high_bp "
            "<= atr_pct_max_bp");
    }

    check_range(problems, "entry_threshold", p.entry_threshold, 0, 100);
    check_range(problems, "long_skip_score", p.long_skip_score, 0, 101);
    check_range(problems, "cooldown_minutes", p.cooldown_minutes, 0, 10080);
    check_range(problems, "max_leverage", p.max_leverage, 1, 125);
    check_range(problems, "stop_loss_atr_pct", p.stop_loss_atr_pct, 10, 2000);
    check_range(problems, "take_profit_atr_pct", p.take_profit_atr_pct, 10, 5000);
    check_range(problems, "trailing_activation_atr_pct", p.trailing_activation_atr_pct, 0, 5000);
    // Binance accepts callback rates from 0.1 % to 10 % in steps of 0.1 %.
    check_range(problems, "trailing_callback_tenths", p.trailing_callback_tenths, 1, 100);
    check_range(problems, "max_holding_hours", p.max_holding_hours, 0, 8760);
    for (const auto& coin : p.skip_coins) {
        if (blank(coin)) problems.push_back("skip_coins has an empty entry");
    }
    return problems;
}

std::optional<exchange::Interval> interval_from_name(std::string_view name) {
    for (int i = 0; i <= static_cast<int>(exchange::Interval::month1); ++i) {
        const auto interval = static_cast<exchange::Interval>(i);
        if (exchange::interval_name(interval) == name) return interval;
    }
    return std::nullopt;
}

std::vector<std::string> validate(const RiskSettings& r) {
    std::vector<std::string> problems;
    if (!r.equity_fraction.is_positive() || r.equity_fraction > money::Decimal::from_int(1)) {
        problems.push_back("equity_fraction is " + r.equity_fraction.to_string() +
                           ", must be above 0 and at most 1");
    }
    check_range(problems, "leverage", r.leverage, 1, 125);
    check_range(problems, "max_open_positions", r.max_open_positions, 1, 1000);
    return problems;
}

}  // namespace tradingd::strategy
