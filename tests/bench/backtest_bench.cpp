// Backtest throughput and scan latency (issue 5). Prints figures, asserts nothing; RESULTS.md records them.
//
//   backtest_bench [symbols=150] [days=365] [scan_repeats=30]
//
// 1. Throughput: one backtest over `symbols` x `days` of generated 1h candles (plus 200 candles of warm-up),
//    single-threaded, so candles per second is per core. Baseline in the same run: the bare strategy, i.e.
//    scan_universe at every candle close over the same windows with no bot, sizing, fills or bookkeeping;
//    the ratio is what the backtester adds on top of the strategy itself.
// 2. Scan latency: scan_universe over `symbols` symbols x lookback_candles (200), `scan_repeats` times;
//    median and worst. Baseline: one symbol's score_symbol, times `symbols`.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>

#include "backtest/engine.h"
#include "generated_market.h"
#include "strategy/scan.h"
#include "strategy/universe.h"

using namespace tradingd;
using Clock = std::chrono::steady_clock;

namespace {

double seconds_since(Clock::time_point t) {
    return std::chrono::duration<double>(Clock::now() - t).count();
}

// CPU seconds of this (single-threaded) process: per-core time, unaffected by other processes on the box.
double cpu_seconds() {
    return static_cast<double>(std::clock()) / CLOCKS_PER_SEC;
}

strategy::Universe universe_of(const std::vector<backtest::SymbolHistory>& m,
                               const strategy::StrategyParams& p) {
    std::vector<exchange::SymbolInfo> infos;
    std::vector<exchange::Ticker24h> tickers;
    for (const auto& h : m) {
        infos.push_back(h.info);
        exchange::Ticker24h t;
        t.symbol = h.info.symbol;
        t.quote_volume = h.candles.front().quote_volume;
        tickers.push_back(t);
    }
    return strategy::select_universe(infos, tickers, p);
}

// The strategy alone over the whole period: the same windows the engine keeps, one scan per close.
std::size_t bare_scans(const std::vector<backtest::SymbolHistory>& m, const strategy::StrategyParams& p,
                       std::int64_t from, std::int64_t to) {
    const auto universe = universe_of(m, p);
    strategy::CandlesBySymbol windows;
    std::vector<std::size_t> next(m.size(), 0);
    std::size_t passed = 0;
    const auto keep = static_cast<std::size_t>(p.lookback_candles);
    for (std::int64_t close = from; close <= to; close += strategy::test::kHourMs) {
        for (std::size_t i = 0; i < m.size(); ++i) {
            auto& w = windows[m[i].info.symbol];
            while (next[i] < m[i].candles.size() &&
                   m[i].candles[next[i]].open_time_ms + strategy::test::kHourMs <= close)
                w.push_back(m[i].candles[next[i]++]);
            if (w.size() > 2 * keep) w.erase(w.begin(), w.end() - static_cast<long>(keep));
        }
        if (close == from) continue;
        for (const auto& row : strategy::scan_universe(universe, windows, p, close).rows)
            passed += row.passed();
    }
    return passed;
}

}  // namespace

int main(int argc, char** argv) {
    const int symbols = argc > 1 ? std::atoi(argv[1]) : 150;
    const int days = argc > 2 ? std::atoi(argv[2]) : 365;
    const int repeats = argc > 3 ? std::atoi(argv[3]) : 30;
    const std::int64_t t0 = strategy::test::kT0;
    const int warmup = 200;

    auto start = Clock::now();
    const auto market = backtest::test::generated_market(symbols, warmup + days * 24, 1, t0);
    std::printf("generated %d symbols x %d 1h candles in %.1f s\n", symbols, warmup + days * 24,
                seconds_since(start));

    backtest::BacktestConfig cfg;
    cfg.params.universe_size = symbols;
    cfg.from_ms = t0 + warmup * strategy::test::kHourMs;
    cfg.to_ms = cfg.from_ms + std::int64_t{days} * 24 * strategy::test::kHourMs;

    start = Clock::now();
    double cpu = cpu_seconds();
    const auto raw = backtest::run(market, cfg);
    const double engine_s = seconds_since(start), engine_cpu = cpu_seconds() - cpu;
    start = Clock::now();
    cpu = cpu_seconds();
    const std::size_t passed = bare_scans(market, cfg.params, cfg.from_ms, cfg.to_ms);
    const double bare_s = seconds_since(start), bare_cpu = cpu_seconds() - cpu;
    const double candles = static_cast<double>(raw.candles);
    std::printf(
        "backtest: %.0f candles (%lld scans, %zu trades) in %.2f s wall, %.2f s CPU = %.0f candles/s per "
        "core (CPU time)\n",
        candles, static_cast<long long>(raw.scans), raw.trades.size(), engine_s, engine_cpu,
        candles / engine_cpu);
    std::printf(
        "baseline, strategy scans only: %.2f s wall, %.2f s CPU = %.0f candles/s (%zu passing rows); "
        "backtest / baseline CPU time = %.2f\n",
        bare_s, bare_cpu, candles / bare_cpu, passed, engine_cpu / bare_cpu);

    // Scan latency on the last 200 candles of every symbol.
    strategy::CandlesBySymbol windows;
    for (const auto& h : market)
        windows[h.info.symbol].assign(h.candles.end() - cfg.params.lookback_candles, h.candles.end());
    const auto universe = universe_of(market, cfg.params);
    const std::int64_t now = market[0].candles.back().close_time_ms + 1;
    std::vector<double> ms;
    for (int i = 0; i < repeats; ++i) {
        start = Clock::now();
        const auto scan = strategy::scan_universe(universe, windows, cfg.params, now);
        ms.push_back(seconds_since(start) * 1000);
        if (scan.rows.size() != static_cast<std::size_t>(symbols)) std::printf("unexpected row count\n");
    }
    std::sort(ms.begin(), ms.end());
    start = Clock::now();
    for (int i = 0; i < repeats; ++i) {
        const auto& w = windows.begin()->second;
        (void)strategy::score_symbol(windows.begin()->first, w, cfg.params);
    }
    const double one_ms = seconds_since(start) * 1000 / repeats;
    std::printf(
        "scan latency, %d symbols x %d candles: median %.2f ms, worst %.2f ms over %d scans; baseline one "
        "symbol's score x %d = %.2f ms (ratio %.2f)\n",
        symbols, cfg.params.lookback_candles, ms[ms.size() / 2], ms.back(), repeats, symbols,
        one_ms * symbols, ms[ms.size() / 2] / (one_ms * symbols));
    return 0;
}
