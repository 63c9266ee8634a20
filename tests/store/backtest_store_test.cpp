// Stored backtest runs and the kline store, on each backend: a run saved and shown again has the same
// figures, exactly one run is published, and klines are stored once however often a fetch repeats.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "../unit/backtest/generated_market.h"
#include "backtest/kline_store.h"
#include "backtest/run_store.h"
#include "store/migrator.h"
#include "store_fixture.h"

using namespace tradingd;
using money::Decimal;
using strategy::test::kHourMs;

namespace {

backtest::BacktestRun sample_run() {
    const std::int64_t t0 = strategy::test::kT0;
    const auto market = backtest::test::generated_market(8, 24 * 40, 3, t0);
    backtest::BacktestConfig cfg;
    cfg.from_ms = t0 + 200 * kHourMs;
    cfg.to_ms = t0 + 24 * 40 * kHourMs;
    return backtest::finish(backtest::run(market, cfg), cfg, "simulated", 3);
}

}  // namespace

TEST_CASE("a saved backtest run shows the same figures, trades and months", "[backtest][store]") {
    test::ScratchStore s;
    store::migrate(s.conn());
    const auto run = sample_run();
    REQUIRE(run.raw.trades.size() >= 2);
    const auto id = backtest::save_run(s.conn(), run);
    const auto shown = backtest::show_run(s.conn(), id);
    REQUIRE(shown);
    const auto expected = backtest::to_json(run);
    CHECK((*shown)["summary"] == expected["summary"]);
    CHECK((*shown)["monthly"] == expected["monthly"]);
    CHECK((*shown)["trades"] == expected["trades"]);
    CHECK((*shown)["top_trades"] == expected["top_trades"]);
    CHECK((*shown)["equity_curve"] == expected["equity_curve"]);
    CHECK((*shown)["params"] == expected["params"]);
    CHECK((*shown)["symbols"] == expected["symbols"]);
    CHECK((*shown)["digest"] == run.digest);
    CHECK((*shown)["status"] == "done");
    CHECK((*shown)["published"] == false);
    CHECK_FALSE(backtest::show_run(s.conn(), id + 100));

    const auto list = backtest::list_runs(s.conn());
    REQUIRE(list.size() == 1);
    CHECK(list[0]["id"] == id);
    CHECK_FALSE(list[0].contains("equity_curve"));
}

TEST_CASE("exactly one run is published and the public view reads it", "[backtest][store]") {
    test::ScratchStore s;
    store::migrate(s.conn());
    CHECK_FALSE(backtest::public_view(s.conn()));
    const auto run = sample_run();
    const auto first = backtest::save_run(s.conn(), run);
    const auto second = backtest::save_run(s.conn(), run);
    CHECK_FALSE(backtest::publish_run(s.conn(), second + 1));
    REQUIRE(backtest::publish_run(s.conn(), first));
    REQUIRE(backtest::publish_run(s.conn(), second));
    CHECK(backtest::published_run_id(s.conn()) == second);
    int published = 0;
    for (const auto& r : backtest::list_runs(s.conn())) published += r["published"].get<bool>() ? 1 : 0;
    CHECK(published == 1);

    const auto view = backtest::public_view(s.conn(), 50);
    REQUIRE(view);
    CHECK((*view)["id"] == second);
    CHECK((*view)["equity_curve"].size() == 50);
    CHECK((*view)["equity_curve"].front() == backtest::to_json(run)["equity_curve"].front());
    CHECK((*view)["equity_curve"].back() == backtest::to_json(run)["equity_curve"].back());
    CHECK((*view)["top_trades"] == backtest::to_json(run)["top_trades"]);
    CHECK((*view)["summary"]["total_return_pct"] == run.metrics.summary.total_return_pct.to_string());
}

TEST_CASE("klines are stored once and read back in order", "[backtest][store]") {
    test::ScratchStore s;
    store::migrate(s.conn());
    std::vector<exchange::Kline> klines;
    for (int i = 0; i < 5; ++i) {
        exchange::Kline k;
        k.open_time = 1'735'689'600'000 + i * kHourMs;
        k.close_time = k.open_time + kHourMs - 1;
        k.open = 100.5 + i, k.high = 101.25 + i, k.low = 99.125 + i, k.close = 100.75 + i;
        k.volume = 12.5, k.quote_volume = 1256.25;
        klines.push_back(k);
    }
    CHECK(backtest::store_klines(s.conn(), "BTCUSDT", exchange::Interval::h1, klines) == 5);
    CHECK(backtest::store_klines(s.conn(), "BTCUSDT", exchange::Interval::h1, klines) == 0);
    const auto candles = backtest::stored_candles(s.conn(), "BTCUSDT", exchange::Interval::h1,
                                                  klines[1].open_time, klines[4].open_time);
    REQUIRE(candles.size() == 3);
    CHECK(candles[0].open_time_ms == klines[1].open_time);
    CHECK(candles[0].open == 101.5);
    CHECK(candles[2].low == 102.125);
    CHECK(backtest::stored_symbols(s.conn(), exchange::Interval::h1) == std::vector<std::string>{"BTCUSDT"});
    CHECK(backtest::stored_open_times(s.conn(), "BTCUSDT", exchange::Interval::h4, 0, klines[4].open_time)
              .empty());
}
