// StrategyParams <-> JSON for the worker IPC: every field by its own name.
#include "bots/params_json.h"

#include <array>
#include <stdexcept>
#include <utility>

namespace tradingd::bots {
namespace {

using nlohmann::json;
using strategy::StrategyParams;

constexpr std::array<std::pair<const char*, int StrategyParams::*>, 20> kInts = {{
    {"universe_size", &StrategyParams::universe_size},
    {"lookback_candles", &StrategyParams::lookback_candles},
    {"min_candles", &StrategyParams::min_candles},
    {"ma_slope_candles", &StrategyParams::ma_slope_candles},
    {"weight_trend_pct", &StrategyParams::weight_trend_pct},
    {"weight_momentum_pct", &StrategyParams::weight_momentum_pct},
    {"weight_volatility_pct", &StrategyParams::weight_volatility_pct},
    {"weight_volume_pct", &StrategyParams::weight_volume_pct},
    {"atr_pct_min_bp", &StrategyParams::atr_pct_min_bp},
    {"atr_pct_low_bp", &StrategyParams::atr_pct_low_bp},
    {"atr_pct_high_bp", &StrategyParams::atr_pct_high_bp},
    {"atr_pct_max_bp", &StrategyParams::atr_pct_max_bp},
    {"entry_threshold", &StrategyParams::entry_threshold},
    {"long_skip_score", &StrategyParams::long_skip_score},
    {"cooldown_minutes", &StrategyParams::cooldown_minutes},
    {"max_leverage", &StrategyParams::max_leverage},
    {"stop_loss_atr_pct", &StrategyParams::stop_loss_atr_pct},
    {"take_profit_atr_pct", &StrategyParams::take_profit_atr_pct},
    {"trailing_activation_atr_pct", &StrategyParams::trailing_activation_atr_pct},
    {"trailing_callback_tenths", &StrategyParams::trailing_callback_tenths},
}};

}  // namespace

json params_to_json(const StrategyParams& p) {
    json j = {{"interval", exchange::interval_name(p.interval)},
              {"skip_coins", p.skip_coins},
              {"trailing_stop", p.trailing_stop},
              {"max_holding_hours", p.max_holding_hours}};
    for (const auto& [name, field] : kInts) j[name] = p.*field;
    return j;
}

StrategyParams params_from_json(const json& j) {
    StrategyParams p;
    try {
        auto interval = strategy::interval_from_name(j.at("interval").get<std::string>());
        if (!interval) throw std::invalid_argument("strategy.interval is not a known interval");
        p.interval = *interval;
        p.skip_coins = j.at("skip_coins").get<std::vector<std::string>>();
        p.trailing_stop = j.at("trailing_stop").get<bool>();
        p.max_holding_hours = j.at("max_holding_hours").get<int>();
        for (const auto& [name, field] : kInts) p.*field = j.at(name).get<int>();
    } catch (const json::exception& e) {
        throw std::invalid_argument(std::string("malformed strategy params: ") + e.what());
    }
    if (auto problems = strategy::validate(p); !problems.empty())
        throw std::invalid_argument("strategy params: " + problems.front());
    return p;
}

}  // namespace tradingd::bots
