// The summary figures on a hand-made equity curve and trade list, worked out by hand.
#include <catch2/catch.hpp>

#include "backtest/metrics.h"

using namespace tradingd;
using namespace tradingd::backtest;
using money::Decimal;

namespace {

constexpr std::int64_t kJan1 = 1'735'689'600'000;  // 2025-01-01 00:00 UTC
constexpr std::int64_t kDay = 86'400'000;

Trade trade(const char* pnl, std::int64_t exit_ms) {
    Trade t;
    t.symbol = "T" + std::to_string(exit_ms % 1000);
    t.pnl = Decimal::parse(pnl);
    t.exit_time_ms = exit_ms;
    return t;
}

}  // namespace

TEST_CASE("returns, drawdown, profit factor and months from a known curve", "[backtest][metrics]") {
    RawResult raw;
    // Daily points: up to 11000 in January, down to 9900 (the low) on Feb 1's close of January... then up.
    raw.equity = {{kJan1 + 1 * kDay, Decimal::parse("10500")},
                  {kJan1 + 2 * kDay, Decimal::parse("11000")},    // the peak
                  {kJan1 + 31 * kDay, Decimal::parse("9900")},    // 2025-02-01 00:00 closes January: -10 %
                  {kJan1 + 40 * kDay, Decimal::parse("10890")},   // February
                  {kJan1 + 59 * kDay, Decimal::parse("10395")}};  // 2025-03-01 00:00 closes February
    raw.trades = {trade("600", kJan1 + kDay), trade("-1100", kJan1 + 30 * kDay),
                  trade("400", kJan1 + 40 * kDay), trade("-0.5", kJan1 + 50 * kDay)};
    const Metrics m = compute_metrics(raw, Decimal::from_int(10000));
    const Summary& s = m.summary;
    CHECK(s.final_equity == Decimal::parse("10395"));
    CHECK(s.total_return_pct == Decimal::parse("3.95"));
    CHECK(s.max_drawdown_pct == Decimal::parse("10"));  // 11000 -> 9900
    CHECK(s.profit_factor == Decimal::parse("0.91"));   // 1000 / 1100.5 = 0.9086...
    CHECK(s.trade_count == 4);
    CHECK(s.win_count == 2);
    CHECK(s.win_rate_pct == Decimal::parse("50"));
    REQUIRE(m.monthly.size() == 2);
    CHECK(m.monthly[0].month == "2025-01");
    CHECK(m.monthly[0].start_equity == Decimal::parse("10000"));
    CHECK(m.monthly[0].end_equity == Decimal::parse("9900"));
    CHECK(m.monthly[0].return_pct == Decimal::parse("-1"));
    CHECK(m.monthly[0].trades == 2);
    CHECK(m.monthly[0].wins == 1);
    CHECK(m.monthly[1].month == "2025-02");
    CHECK(m.monthly[1].return_pct == Decimal::parse("5"));  // 9900 -> 10395
    CHECK(s.monthly_win_rate_pct == Decimal::parse("50"));
    REQUIRE(s.sharpe.has_value());
    REQUIRE(m.top_trades.size() == 4);
    CHECK(m.top_trades[0].pnl == Decimal::parse("600"));
    CHECK(m.top_trades[3].pnl == Decimal::parse("-1100"));
}

TEST_CASE("no losing trade means no profit factor", "[backtest][metrics]") {
    RawResult raw;
    raw.equity = {{kJan1 + kDay, Decimal::parse("10100")}};
    raw.trades = {trade("100", kJan1 + kDay)};
    const Metrics m = compute_metrics(raw, Decimal::from_int(10000));
    CHECK_FALSE(m.summary.profit_factor.has_value());
    CHECK_FALSE(m.summary.sharpe.has_value());  // one return is no distribution
    CHECK(m.summary.max_drawdown_pct == Decimal());
}
