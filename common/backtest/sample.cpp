// The sample run: the same engine, sources and store as `tradingctl backtest run`, with fixed inputs.
#include "backtest/sample.h"

#include "backtest/candle_source.h"

namespace tradingd::backtest {

BacktestConfig sample_config(const strategy::StrategyParams& params, const SampleSpec& spec) {
    BacktestConfig cfg;
    cfg.params = params;
    cfg.params.universe_size = spec.universe_size;
    cfg.from_ms = spec.from_ms;
    cfg.to_ms = spec.to_ms;
    return cfg;
}

BacktestRun run_sample(exchange::MarketData& market, const strategy::StrategyParams& params,
                       const SampleSpec& spec, const std::atomic<bool>* cancel) {
    const BacktestConfig cfg = sample_config(params, spec);
    const auto histories = load_from_market(market, cfg, {}, cancel);
    return finish(run(histories, cfg, cancel), cfg, "simulated", spec.seed);
}

}  // namespace tradingd::backtest
