// The sample backtest: a fixed period of the simulated market with a fixed seed, so every fresh install
// publishes the same run of the same code (the landing page never starts empty, and never shows made-up
// numbers). The daemon runs it in the background at start when no run is published (daemon/backtest_boot).
#pragma once

#include <cstdint>
#include <optional>

#include "backtest/result.h"
#include "exchange/market_data.h"

namespace tradingd::backtest {

struct SampleSpec {
    std::uint64_t seed = 1;
    exchange::TimeMs from_ms = 1'735'689'600'000;  // 2025-01-01 00:00 UTC
    exchange::TimeMs to_ms = 1'743'465'600'000;    // 2025-04-01 00:00 UTC
    int universe_size = 30;                        // the 30 most traded simulated coins, to keep it quick
};

// The sample's config from the strategy params in force (universe_size replaced by the spec's).
BacktestConfig sample_config(const strategy::StrategyParams& params, const SampleSpec& spec = {});

// Runs the sample over `market` (a SimulatedMarket built with spec.seed and a clock at or after spec.to_ms).
// Throws Cancelled once `cancel` is set.
BacktestRun run_sample(exchange::MarketData& market, const strategy::StrategyParams& params,
                       const SampleSpec& spec = {}, const std::atomic<bool>* cancel = nullptr);

}  // namespace tradingd::backtest
