// Exit plans: stops and targets on the right side for LONG and SHORT, tick rounding that never tightens a
// stop, the protective orders as the exchange must receive them, the trailing and time stops, refusals.
#include <catch2/catch.hpp>
#include <cmath>

#include "market_fixtures.h"
#include "strategy/exits.h"

using namespace tradingd;
using namespace tradingd::strategy;
using namespace tradingd::strategy::test;
using exchange::OrderType;
using exchange::Side;
using money::Decimal;

namespace {

const auto kSol = perpetual("SOL", "0.01", "0.01");
const Decimal kEntry = Decimal::parse("100.05");
const Decimal kQty = Decimal::parse("2.5");
constexpr double kAtr = 0.4037;  // SL 1.5 x = 0.60555, TP 3 x = 1.2111: neither lands on the 0.01 tick

ExitPlan plan_for(Direction direction, const StrategyParams& params = {}, double atr = kAtr) {
    auto result = plan_exits(kSol, direction, kEntry, kQty, atr, kT0, params);
    REQUIRE(result);
    return *result.plan;
}

}  // namespace

TEST_CASE("a LONG's stop is below the entry and its target above, each rounded the safe way", "[exits]") {
    const ExitPlan plan = plan_for(Direction::long_side);
    // 100.05 - 0.60555 = 99.44445, rounded away from the entry to 99.44 (never tighter than planned).
    CHECK(plan.stop_loss == Decimal::parse("99.44"));
    // 100.05 + 1.2111 = 101.2611, rounded toward the entry to 101.26 (never further than planned).
    CHECK(plan.take_profit == Decimal::parse("101.26"));
}

TEST_CASE("a SHORT's stop is above the entry and its target below, each rounded the safe way", "[exits]") {
    const ExitPlan plan = plan_for(Direction::short_side);
    CHECK(plan.stop_loss == Decimal::parse("100.66"));   // 100.65555 up, away from the entry
    CHECK(plan.take_profit == Decimal::parse("98.84"));  // 98.8389 up, toward the entry
}

TEST_CASE("tick rounding never moves a stop toward the entry nor a target away from it",
          "[exits][rounding]") {
    for (int i = 1; i <= 300; ++i) {
        const double atr = 0.0137 * i;
        for (Direction d : {Direction::long_side, Direction::short_side}) {
            INFO("atr " << atr << " " << direction_name(d));
            auto result = plan_exits(kSol, d, kEntry, kQty, atr, kT0, StrategyParams{});
            REQUIRE(result);
            const double entry = kEntry.to_double();
            const double raw_stop = d == Direction::long_side ? entry - 1.5 * atr : entry + 1.5 * atr;
            const double raw_target = d == Direction::long_side ? entry + 3 * atr : entry - 3 * atr;
            const double stop = result.plan->stop_loss.to_double();
            const double target = result.plan->take_profit.to_double();
            if (d == Direction::long_side) {
                CHECK(stop <= raw_stop + 1e-9);
                CHECK(stop > raw_stop - 0.01 - 1e-9);
                CHECK(target > entry);
                CHECK(target <= raw_target + 1e-9);
            } else {
                CHECK(stop >= raw_stop - 1e-9);
                CHECK(stop < raw_stop + 0.01 + 1e-9);
                CHECK(target < entry);
                CHECK(target >= raw_target - 1e-9);
            }
            CHECK(result.plan->stop_loss.is_multiple_of(Decimal::parse("0.01")));
            CHECK(result.plan->take_profit.is_multiple_of(Decimal::parse("0.01")));
        }
    }
}

TEST_CASE("the protective orders close the whole position on mark price", "[exits][orders]") {
    const ExitPlan plan = plan_for(Direction::long_side);
    REQUIRE(plan.orders.size() == 2);
    const auto& stop = plan.orders[0];
    CHECK(stop.symbol == "SOLUSDT");
    CHECK(stop.type == OrderType::stop_market);
    CHECK(stop.side == Side::sell);
    CHECK(stop.stop_price == plan.stop_loss);
    CHECK(stop.close_position);
    CHECK_FALSE(stop.reduce_only);  // Binance refuses reduceOnly together with closePosition
    CHECK_FALSE(stop.quantity.has_value());
    CHECK(stop.working_type == exchange::WorkingType::mark_price);
    CHECK(stop.client_order_id.empty());
    const auto& target = plan.orders[1];
    CHECK(target.type == OrderType::take_profit_market);
    CHECK(target.side == Side::sell);
    CHECK(target.stop_price == plan.take_profit);
    CHECK(target.close_position);

    const ExitPlan short_plan = plan_for(Direction::short_side);
    CHECK(short_plan.orders[0].side == Side::buy);
    CHECK(short_plan.orders[1].side == Side::buy);
}

TEST_CASE("the trailing stop is a reduce-only order armed a set number of ATRs in profit",
          "[exits][trailing]") {
    StrategyParams p;
    p.trailing_stop = true;
    p.trailing_activation_atr_pct = 100;
    p.trailing_callback_tenths = 15;
    const ExitPlan plan = plan_for(Direction::long_side, p);
    REQUIRE(plan.orders.size() == 3);
    const auto& trail = plan.orders[2];
    CHECK(trail.type == OrderType::trailing_stop_market);
    CHECK(trail.side == Side::sell);
    CHECK(trail.reduce_only);
    CHECK_FALSE(trail.close_position);
    CHECK(trail.quantity == kQty);
    CHECK(trail.activation_price == Decimal::parse("100.45"));  // 100.05 + 0.4037, toward the entry
    CHECK(trail.callback_rate == Decimal::parse("1.5"));
    REQUIRE(plan.trailing);
    CHECK(plan.trailing->activation_price == trail.activation_price);

    p.trailing_activation_atr_pct = 0;
    const ExitPlan immediate = plan_for(Direction::short_side, p);
    CHECK_FALSE(immediate.orders[2].activation_price.has_value());
    CHECK(immediate.orders[2].side == Side::buy);

    CHECK(plan_for(Direction::long_side).orders.size() == 2);  // off by default
}

TEST_CASE("the time stop falls due max_holding_hours after the entry", "[exits][time_stop]") {
    const ExitPlan plan = plan_for(Direction::long_side);  // 48 h by default
    REQUIRE(plan.time_stop_at_ms);
    CHECK(*plan.time_stop_at_ms == kT0 + 48 * kHourMs);
    CHECK_FALSE(time_stop_due(plan, kT0 + 48 * kHourMs - 1));
    CHECK(time_stop_due(plan, kT0 + 48 * kHourMs));

    StrategyParams none;
    none.max_holding_hours = 0;
    const ExitPlan open_ended = plan_for(Direction::long_side, none);
    CHECK_FALSE(open_ended.time_stop_at_ms);
    CHECK_FALSE(time_stop_due(open_ended, kT0 + 10'000 * kHourMs));
}

TEST_CASE("exits that cannot be placed are refused with the reason", "[exits][refusal]") {
    const StrategyParams p;
    // ATR as large as the price: a LONG's stop would be below zero.
    auto r = plan_exits(kSol, Direction::long_side, Decimal::parse("1"), kQty, 1.0, kT0, p);
    CHECK(r.refusal == ExitRefusal::stop_not_positive);
    // A SHORT's target three ATRs down would be below zero.
    r = plan_exits(kSol, Direction::short_side, Decimal::parse("1"), kQty, 0.5, kT0, p);
    CHECK(r.refusal == ExitRefusal::target_not_positive);
    // An ATR far smaller than the tick: the target rounds back onto the entry.
    const auto coarse = perpetual("BTC", "0.1");
    r = plan_exits(coarse, Direction::long_side, Decimal::parse("100"), kQty, 0.001, kT0, p);
    CHECK(r.refusal == ExitRefusal::target_too_close);
    CHECK(refusal_code(*r.refusal) == "target_too_close");
    r = plan_exits(kSol, Direction::long_side, kEntry, kQty, NAN, kT0, p);
    CHECK(r.refusal == ExitRefusal::invalid_atr);
    // A stop below the symbol's minimum price is what the exchange would reject.
    auto floored = kSol;
    floored.min_price = Decimal::parse("99.5");
    r = plan_exits(floored, Direction::long_side, kEntry, kQty, kAtr, kT0, p);
    CHECK(r.refusal == ExitRefusal::exchange_filter);
    CHECK_THAT(r.message, Catch::Contains("minimum price"));
}
