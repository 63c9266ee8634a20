// The strategy's params in a worker's `init`, so a bot filters, sizes and sets exits with exactly the
// strategy.* settings the daemon's scanner scored with.
#pragma once

#include <nlohmann/json.hpp>

#include "strategy/params.h"

namespace tradingd::bots {

nlohmann::json params_to_json(const strategy::StrategyParams& p);
// Throws std::invalid_argument naming the field; the result is checked with strategy::validate.
strategy::StrategyParams params_from_json(const nlohmann::json& j);

}  // namespace tradingd::bots
