// The strategy.* keys: defaults equal StrategyParams' own, values reach the params unchanged, and a bad
// combination is refused at load with the key named.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "config/config.h"
#include "config/strategy_settings.h"

using namespace tradingd;
namespace fs = std::filesystem;

namespace {

config::LoadOptions options_for(const std::string& yaml) {
    const fs::path path =
        fs::temp_directory_path() / ("tradingd_strategy_cfg_" + std::to_string(::getpid()) + ".yaml");
    std::ofstream(path) << yaml;
    config::LoadOptions o;
    o.config_path = path.string();
    o.use_process_environment = false;
    return o;
}

std::vector<std::string> problems(const std::string& yaml) {
    try {
        config::load(options_for(yaml));
    } catch (const config::ConfigError& e) {
        return e.problems();
    }
    return {};
}

}  // namespace

TEST_CASE("the strategy keys default to the strategy's own defaults", "[config][strategy]") {
    config::LoadOptions o;
    o.use_process_environment = false;
    const auto params = config::strategy_params(config::load(o).settings);
    const strategy::StrategyParams expected;
    CHECK(params.interval == expected.interval);
    CHECK(params.universe_size == expected.universe_size);
    CHECK(params.skip_coins.empty());
    CHECK(params.lookback_candles == expected.lookback_candles);
    CHECK(params.min_candles == expected.min_candles);
    CHECK(params.ma_slope_candles == expected.ma_slope_candles);
    CHECK(params.weight_trend_pct == expected.weight_trend_pct);
    CHECK(params.weight_momentum_pct == expected.weight_momentum_pct);
    CHECK(params.weight_volatility_pct == expected.weight_volatility_pct);
    CHECK(params.weight_volume_pct == expected.weight_volume_pct);
    CHECK(params.atr_pct_min_bp == expected.atr_pct_min_bp);
    CHECK(params.atr_pct_low_bp == expected.atr_pct_low_bp);
    CHECK(params.atr_pct_high_bp == expected.atr_pct_high_bp);
    CHECK(params.atr_pct_max_bp == expected.atr_pct_max_bp);
    CHECK(params.entry_threshold == expected.entry_threshold);
    CHECK(params.long_skip_score == expected.long_skip_score);
    CHECK(params.cooldown_minutes == expected.cooldown_minutes);
    CHECK(params.max_leverage == expected.max_leverage);
    CHECK(params.stop_loss_atr_pct == expected.stop_loss_atr_pct);
    CHECK(params.take_profit_atr_pct == expected.take_profit_atr_pct);
    CHECK(params.trailing_stop == expected.trailing_stop);
    CHECK(params.trailing_activation_atr_pct == expected.trailing_activation_atr_pct);
    CHECK(params.trailing_callback_tenths == expected.trailing_callback_tenths);
    CHECK(params.max_holding_hours == expected.max_holding_hours);
}

TEST_CASE("strategy keys from the file reach the params", "[config][strategy]") {
    const auto cfg = config::load(
        options_for("strategy:\n  interval: 4h\n  universe_size: 40\n  skip_coins: [doge, 1000PEPEUSDT]\n"
                    "  entry_threshold: 75\n  trailing_stop: true\n  trailing_callback_tenths: 15\n"
                    "  weight_trend_pct: 40\n  weight_momentum_pct: 25\n"));
    const auto p = config::strategy_params(cfg.settings);
    CHECK(p.interval == exchange::Interval::h4);
    CHECK(p.universe_size == 40);
    CHECK(p.skip_coins == std::vector<std::string>{"doge", "1000PEPEUSDT"});
    CHECK(p.entry_threshold == 75);
    CHECK(p.trailing_stop);
    CHECK(p.trailing_callback_tenths == 15);
    CHECK(p.weight_trend_pct == 40);
    CHECK(p.weight_momentum_pct == 25);
}

TEST_CASE("inconsistent strategy keys are refused at load, naming the keys", "[config][strategy]") {
    const auto weights = problems("strategy:\n  weight_trend_pct: 30\n");
    REQUIRE(weights.size() == 1);
    CHECK(weights[0] == "strategy: the four weight_*_pct keys add up to 95, must add up to 100");

    const auto band = problems("strategy:\n  atr_pct_low_bp: 300\n");
    REQUIRE(band.size() == 1);
    CHECK(band[0].find("atr_pct_min_bp <= atr_pct_low_bp < atr_pct_high_bp") != std::string::npos);

    const auto candles = problems("strategy:\n  min_candles: 300\n");
    REQUIRE(candles.size() == 1);
    CHECK(candles[0] == "strategy: min_candles (300) exceeds lookback_candles (200)");

    const auto interval = problems("strategy:\n  interval: 7m\n");
    REQUIRE(interval.size() == 1);
    CHECK(interval[0].find("strategy.interval") != std::string::npos);
}
