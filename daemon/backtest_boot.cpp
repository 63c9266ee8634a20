// The sample run at first start. Failures are logged, never fatal: the landing page then answers 404 until
// an operator publishes a run with `tradingctl backtest publish`.
#include "backtest_boot.h"

#include "backtest/run_store.h"
#include "backtest/sample.h"
#include "config/strategy_settings.h"
#include "daemon_context.h"
#include "exchange/simulated_market.h"
#include "util/log.h"

namespace tradingd::daemon {

SampleBacktest::~SampleBacktest() {
    cancel_ = true;
    if (thread_.joinable()) thread_.join();
}

void SampleBacktest::start() {
    if (!ctx_.config()->settings.backtest_publish_sample) {
        done_ = true;
        return;
    }
    thread_ = std::thread([this] { run(); });
}

void SampleBacktest::run() {
    auto logger = log::get("backtest");
    try {
        const bool published = ctx_.with_store([](store::Repository& repo) {
            return backtest::published_run_id(repo.connection()).has_value();
        });
        if (!published) {
            const backtest::SampleSpec spec;
            const auto params = config::strategy_params(ctx_.config()->settings);
            exchange::SimulatedMarket market(spec.seed, [end = spec.to_ms] { return end; });
            const auto run = backtest::run_sample(market, params, spec, &cancel_);
            const auto id = ctx_.with_store([&](store::Repository& repo) -> std::optional<std::int64_t> {
                auto& conn = repo.connection();
                if (backtest::published_run_id(conn)) return std::nullopt;  // an operator was quicker
                const auto saved = backtest::save_run(conn, run);
                backtest::publish_run(conn, saved);
                return saved;
            });
            if (id)
                logger->info("published the sample backtest as run {}: {} trades, total return {} %", *id,
                             run.metrics.summary.trade_count,
                             run.metrics.summary.total_return_pct.to_string());
        }
    } catch (const backtest::Cancelled&) {
        logger->info("the sample backtest was cancelled by shutdown; it runs again at the next start");
    } catch (const std::exception& e) {
        logger->error("the sample backtest failed: {}", e.what());
    }
    done_ = true;
}

}  // namespace tradingd::daemon
