// Position sizing: the formula in exact decimals, rounding down onto the step, the leverage cap, and the
// refusals (with their reasons) for sizes the exchange would reject.
#include <catch2/catch.hpp>

#include "market_fixtures.h"
#include "strategy/sizing.h"

using namespace tradingd;
using namespace tradingd::strategy;
using namespace tradingd::strategy::test;
using money::Decimal;

namespace {

RiskSettings risk(const char* fraction, int leverage) {
    RiskSettings r;
    r.equity_fraction = Decimal::parse(fraction);
    r.leverage = leverage;
    return r;
}

const StrategyParams kParams;  // max_leverage 20

}  // namespace

TEST_CASE("quantity is equity x fraction x leverage / price", "[sizing]") {
    // 1000 x 0.1 = 100 USDT margin, x 5 = 500 USDT, / 50000 = 0.01 BTC.
    const auto result = size_position(perpetual("BTC"), Decimal::parse("1000"), risk("0.1", 5),
                                      Decimal::parse("50000"), kParams);
    REQUIRE(result);
    CHECK(result.size->quantity == Decimal::parse("0.01"));
    CHECK(result.size->notional == Decimal::parse("500"));
    CHECK(result.size->margin == Decimal::parse("100"));
    CHECK(result.size->leverage == 5);
}

TEST_CASE("quantity rounds down onto the step, never up", "[sizing][rounding]") {
    // 500 / 43210.5 = 0.011571...: the nearest step would be 0.012, which is more than was asked for.
    const auto result = size_position(perpetual("BTC"), Decimal::parse("1000"), risk("0.1", 5),
                                      Decimal::parse("43210.5"), kParams);
    REQUIRE(result);
    CHECK(result.size->quantity == Decimal::parse("0.011"));
    CHECK(result.size->notional == Decimal::parse("475.3155"));
    CHECK(result.size->notional <= Decimal::parse("500"));
}

TEST_CASE("leverage is capped by the platform maximum and by the symbol's limit", "[sizing][leverage]") {
    const auto capped = size_position(perpetual("BTC"), Decimal::parse("1000"), risk("0.1", 50),
                                      Decimal::parse("50000"), kParams);
    REQUIRE(capped);
    CHECK(capped.size->leverage == 20);
    CHECK(capped.size->quantity == Decimal::parse("0.04"));  // 100 x 20 / 50000

    const auto bracket = size_position(perpetual("BTC"), Decimal::parse("1000"), risk("0.1", 50),
                                       Decimal::parse("50000"), kParams, 10);
    REQUIRE(bracket);
    CHECK(bracket.size->leverage == 10);
    CHECK(bracket.size->quantity == Decimal::parse("0.02"));

    CHECK(effective_leverage(risk("0.1", 3), kParams) == 3);
    CHECK(effective_leverage(risk("0.1", 3), kParams, 0) == 3);  // an unknown bracket limit changes nothing
}

TEST_CASE("an order under the minimum notional is refused with the reason", "[sizing][refusal]") {
    // 40 x 0.1 x 1 = 4 USDT of a 100 USDT coin: 0.04 is a valid quantity, but 4 USDT < 5 USDT.
    const auto result =
        size_position(perpetual("SOL"), Decimal::parse("40"), risk("0.1", 1), Decimal::parse("100"), kParams);
    REQUIRE_FALSE(result);
    CHECK(result.refusal == SizingRefusal::below_min_notional);
    CHECK(refusal_code(*result.refusal) == "below_min_notional");
    CHECK_THAT(result.message, Catch::Contains("below SOLUSDT's minimum of 5 USDT"));
}

TEST_CASE("a size that rounds to nothing is refused as below the minimum quantity", "[sizing][refusal]") {
    // 4 USDT buys 0.00008 BTC, under one step of 0.001.
    const auto result = size_position(perpetual("BTC"), Decimal::parse("40"), risk("0.1", 1),
                                      Decimal::parse("50000"), kParams);
    REQUIRE_FALSE(result);
    CHECK(result.refusal == SizingRefusal::below_min_qty);
    CHECK_THAT(result.message, Catch::Contains("less than one step (0.001) of BTCUSDT"));

    auto coarse_min = perpetual("BTC");
    coarse_min.min_qty = Decimal::parse("0.05");
    coarse_min.step_size = Decimal::parse("0.001");
    const auto under_min =
        size_position(coarse_min, Decimal::parse("1000"), risk("0.1", 5), Decimal::parse("50000"), kParams);
    REQUIRE_FALSE(under_min);
    CHECK(under_min.refusal == SizingRefusal::below_min_qty);
}

TEST_CASE("a size above the symbol's maximum quantity is cut to the maximum", "[sizing]") {
    auto thin = perpetual("BTC");
    thin.market_max_qty = Decimal::parse("0.005");
    const auto result =
        size_position(thin, Decimal::parse("1000"), risk("0.1", 5), Decimal::parse("50000"), kParams);
    REQUIRE(result);
    CHECK(result.size->quantity == Decimal::parse("0.005"));
}

TEST_CASE("no equity or a symbol that stopped trading is refused, not sized", "[sizing][refusal]") {
    const auto broke =
        size_position(perpetual("BTC"), Decimal(), risk("0.1", 5), Decimal::parse("50000"), kParams);
    CHECK(broke.refusal == SizingRefusal::no_margin);

    auto settling = perpetual("BTC");
    settling.status = "SETTLING";
    const auto closed =
        size_position(settling, Decimal::parse("1000"), risk("0.1", 5), Decimal::parse("50000"), kParams);
    CHECK(closed.refusal == SizingRefusal::exchange_filter);
    CHECK_THAT(closed.message, Catch::Contains("not open for trading"));

    CHECK_THROWS_AS(
        size_position(perpetual("BTC"), Decimal::parse("1000"), risk("0.1", 5), Decimal(), kParams),
        std::invalid_argument);
    CHECK_THROWS_AS(size_position(perpetual("BTC"), Decimal::parse("1000"), risk("1.5", 5),
                                  Decimal::parse("50000"), kParams),
                    std::invalid_argument);
}

TEST_CASE("the entry is a MARKET order on the direction's side", "[sizing]") {
    const auto buy = entry_order(perpetual("BTC"), Direction::long_side, Decimal::parse("0.01"));
    CHECK(buy.side == exchange::Side::buy);
    CHECK(buy.type == exchange::OrderType::market);
    CHECK(buy.quantity == Decimal::parse("0.01"));
    CHECK_FALSE(buy.reduce_only);
    CHECK(entry_order(perpetual("BTC"), Direction::short_side, Decimal::parse("0.01")).side ==
          exchange::Side::sell);
}
