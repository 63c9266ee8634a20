// The strategy's params and an agent's risk settings: defaults that run, and the problems config loading
// will show an operator for values the strategy cannot use.
#include <catch2/catch.hpp>

#include "strategy/params.h"

using namespace tradingd;
using namespace tradingd::strategy;

TEST_CASE("the documented defaults are valid", "[params]") {
    CHECK(validate(StrategyParams{}).empty());
    CHECK(validate(RiskSettings{}).empty());
}

TEST_CASE("out-of-range and inconsistent params are each reported", "[params]") {
    StrategyParams p;
    p.universe_size = 0;
    p.min_candles = 55;      // EMA50 plus a 10-candle slope needs 60
    p.atr_pct_low_bp = 300;  // above atr_pct_high_bp
    p.trailing_callback_tenths = 0;
    const auto problems = validate(p);
    REQUIRE(problems.size() == 4);
    CHECK_THAT(problems[0], Catch::Contains("universe_size is 0"));
    CHECK_THAT(problems[1], Catch::Contains("min_candles is 55, must be at least 60"));
    CHECK_THAT(problems[2], Catch::Contains("atr_pct_min_bp <= atr_pct_low_bp < atr_pct_high_bp"));
    CHECK_THAT(problems[3], Catch::Contains("trailing_callback_tenths is 0"));

    StrategyParams q;
    q.lookback_candles = 80;
    q.skip_coins = {"doge", " "};
    const auto more = validate(q);
    REQUIRE(more.size() == 2);
    CHECK_THAT(more[0], Catch::Contains("exceeds lookback_candles"));
    CHECK_THAT(more[1], Catch::Contains("empty entry"));
}

TEST_CASE("risk settings need a fraction in (0, 1], leverage 1..125 and at least one position", "[params]") {
    RiskSettings r;
    r.equity_fraction = money::Decimal::parse("1");
    CHECK(validate(r).empty());
    r.equity_fraction = money::Decimal();
    r.leverage = 126;
    r.max_open_positions = 0;
    CHECK(validate(r).size() == 3);
}

TEST_CASE("intervals are named as Binance names them", "[params]") {
    CHECK(interval_from_name("1h") == exchange::Interval::h1);
    CHECK(interval_from_name("15m") == exchange::Interval::m15);
    CHECK(interval_from_name("1M") == exchange::Interval::month1);
    CHECK_FALSE(interval_from_name("1H").has_value());
    CHECK_FALSE(interval_from_name("60m").has_value());
}
