// Settings -> StrategyParams is a field-by-field copy; the range of each integer was already checked by the
// key table, so the narrowing casts below cannot lose anything for a loaded config.
#include "config/strategy_settings.h"

#include <stdexcept>

namespace tradingd::config {
namespace {

int narrow(std::int64_t v) {
    return static_cast<int>(v);
}

strategy::StrategyParams copy_fields(const Settings& s) {
    strategy::StrategyParams p;
    p.universe_size = narrow(s.strategy_universe_size);
    p.skip_coins = s.strategy_skip_coins;
    p.lookback_candles = narrow(s.strategy_lookback_candles);
    p.min_candles = narrow(s.strategy_min_candles);
    p.ma_slope_candles = narrow(s.strategy_ma_slope_candles);
    p.weight_trend_pct = narrow(s.strategy_weight_trend_pct);
    p.weight_momentum_pct = narrow(s.strategy_weight_momentum_pct);
    p.weight_volatility_pct = narrow(s.strategy_weight_volatility_pct);
    p.weight_volume_pct = narrow(s.strategy_weight_volume_pct);
    p.atr_pct_min_bp = narrow(s.strategy_atr_pct_min_bp);
    p.atr_pct_low_bp = narrow(s.strategy_atr_pct_low_bp);
    p.atr_pct_high_bp = narrow(s.strategy_atr_pct_high_bp);
    p.atr_pct_max_bp = narrow(s.strategy_atr_pct_max_bp);
    p.entry_threshold = narrow(s.strategy_entry_threshold);
    p.long_skip_score = narrow(s.strategy_long_skip_score);
    p.cooldown_minutes = narrow(s.strategy_cooldown_minutes);
    p.max_leverage = narrow(s.strategy_max_leverage);
    p.stop_loss_atr_pct = narrow(s.strategy_stop_loss_atr_pct);
    p.take_profit_atr_pct = narrow(s.strategy_take_profit_atr_pct);
    p.trailing_stop = s.strategy_trailing_stop;
    p.trailing_activation_atr_pct = narrow(s.strategy_trailing_activation_atr_pct);
    p.trailing_callback_tenths = narrow(s.strategy_trailing_callback_tenths);
    p.max_holding_hours = narrow(s.strategy_max_holding_hours);
    return p;
}

}  // namespace

void validate_strategy_settings(const Settings& s, std::vector<std::string>& problems) {
    if (!strategy::interval_from_name(s.strategy_interval))
        problems.push_back("strategy.interval: '" + s.strategy_interval + "' is not a Binance interval name");
    // strategy::validate names fields without the section; the keys carry the same names.
    for (const std::string& problem : strategy::validate(copy_fields(s))) {
        problems.push_back("strategy: " + problem);
    }
}

strategy::StrategyParams strategy_params(const Settings& s) {
    std::vector<std::string> problems;
    validate_strategy_settings(s, problems);
    if (!problems.empty()) throw std::invalid_argument(problems.front());
    strategy::StrategyParams p = copy_fields(s);
    p.interval = *strategy::interval_from_name(s.strategy_interval);
    return p;
}

}  // namespace tradingd::config
