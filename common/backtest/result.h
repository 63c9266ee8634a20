// A finished backtest as one value: what ran (strategy version, parameters, period, data source), what
// happened (trades, equity curve) and what it means (metrics), with a SHA-256 digest over all of it so two
// runs of the same input can be compared bit for bit. JSON forms for the store, tradingctl and the API.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json_fwd.hpp>

#include "backtest/engine.h"
#include "backtest/metrics.h"

namespace tradingd::backtest {

struct BacktestRun {
    std::string strategy_version = kStrategyVersion;
    BacktestConfig config;
    std::string source;                 // "simulated" or "stored"
    std::optional<std::uint64_t> seed;  // the simulated market's seed
    RawResult raw;
    Metrics metrics;
    std::string digest;  // sha256 of to_json(run) without the digest itself
};

// Computes the metrics and the digest.
BacktestRun finish(RawResult raw, const BacktestConfig& config, std::string source,
                   std::optional<std::uint64_t> seed);

// Strategy params, risk settings and fill model: what a stored run's `params` column holds.
nlohmann::json params_json(const BacktestConfig& config);
nlohmann::json trade_json(const Trade& trade);
nlohmann::json summary_json(const Summary& summary);
nlohmann::json monthly_json(const std::vector<MonthlyReturn>& months);
// Everything (the digest's input, plus "digest" when set).
nlohmann::json to_json(const BacktestRun& run);

}  // namespace tradingd::backtest
