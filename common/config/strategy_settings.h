// The strategy.* keys of tradingd.yaml as the strategy's own params: one conversion, used by the scanner,
// the bots and the backtester, and one check at load so `tradingd --check-config` reports a bad
// combination (weights not adding up to 100, min_candles above lookback_candles) before anything runs.
#pragma once

#include <string>
#include <vector>

#include "config/config.h"
#include "strategy/params.h"

namespace tradingd::config {

// A plain copy (same names and units); the interval is parsed from its Binance name. Throws
// std::invalid_argument when the settings fail validate_strategy_settings (load() never returns such).
strategy::StrategyParams strategy_params(const Settings& s);

// Appends one problem per issue, each naming the key: "strategy.weight_*_pct: the four ... add up to 95".
void validate_strategy_settings(const Settings& s, std::vector<std::string>& problems);

}  // namespace tradingd::config
