// The worker IPC's record codecs: a position, an order and the strategy params survive the trip through
// JSON exactly (money as decimal strings), and malformed records are refused with the field named.
#include <catch2/catch.hpp>

#include "bots/params_json.h"
#include "bots/record_json.h"

using namespace tradingd;
using money::Decimal;

TEST_CASE("a position record round-trips through the worker protocol unchanged", "[worker]") {
    bot::PositionRecord p;
    p.id = 42;
    p.agent_id = 7;
    p.symbol = "BTCUSDT";
    p.direction = strategy::Direction::short_side;
    p.status = bot::PositionStatus::closed;
    p.quantity = Decimal::parse("0.123456789012345678");
    p.entry_price = Decimal::parse("67012.5");
    p.exit_price = Decimal::parse("66000.1");
    p.stop_loss = Decimal::parse("68000");
    p.take_profit = Decimal::parse("65000");
    p.leverage = 3;
    p.score = 88;
    p.atr_at_entry = "412.27333333333331";
    p.realized_pnl = Decimal::parse("-12.000000000000000001");
    p.fees = Decimal::parse("0.41");
    p.close_reason = "take_profit";
    p.opened_at_ms = 1733040000000;
    p.closed_at_ms = 1733043600000;
    p.attempts = {2, 1, 1, 3, 3};
    p.scan_id = 9;
    p.adopted = true;
    const auto j = bots::position_to_json(p);
    CHECK(j["quantity"] == "0.123456789012345678");  // exact text, never a double
    CHECK(bots::position_from_json(nlohmann::json::parse(j.dump())) == p);

    bot::PositionRecord orphan;  // optional fields absent
    orphan.symbol = "ETHUSDT";
    CHECK(bots::position_from_json(bots::position_to_json(orphan)) == orphan);
}

TEST_CASE("an order record round-trips, conditional fields included", "[worker]") {
    bot::OrderRecord o;
    o.client_order_id = "td1-7-16-s2";
    o.position_id = 42;
    o.leg = exchange::Leg::stop_loss;
    o.symbol = "BTCUSDT";
    o.side = exchange::Side::buy;
    o.type = exchange::OrderType::stop_market;
    o.status = exchange::OrderStatus::new_;
    o.algo_status = exchange::AlgoStatus::new_;
    o.quantity = Decimal::parse("0");
    o.stop_price = Decimal::parse("68000.1");
    o.exchange_order_id = 123456789012;
    o.close_position = true;
    o.updated_at_ms = 1733040000123;
    CHECK(bots::order_from_json(nlohmann::json::parse(bots::order_to_json(o).dump())) == o);
}

TEST_CASE("malformed worker records are refused with the field named", "[worker]") {
    bot::PositionRecord p;
    p.symbol = "BTCUSDT";
    auto j = bots::position_to_json(p);
    j["quantity"] = 0.1;  // a float: money never travels as binary floating point
    CHECK_THROWS_WITH(bots::position_from_json(j), Catch::Contains("quantity"));
    j = bots::position_to_json(p);
    j["status"] = "exploded";
    CHECK_THROWS_AS(bots::position_from_json(j), std::invalid_argument);

    bot::OrderRecord o;
    o.client_order_id = std::string(37, 'x');  // Binance allows 36
    o.symbol = "BTCUSDT";
    CHECK_THROWS_WITH(bots::order_from_json(bots::order_to_json(o)), Catch::Contains("client_order_id"));
    auto oj = bots::order_to_json(o);
    oj["client_order_id"] = "td1-1-1-e1";
    oj["leg"] = "moon";
    CHECK_THROWS_WITH(bots::order_from_json(oj), Catch::Contains("leg"));
}

TEST_CASE("strategy params reach the worker as the daemon has them", "[worker]") {
    strategy::StrategyParams p;
    p.interval = exchange::Interval::m15;
    p.skip_coins = {"DOGE", "1000PEPEUSDT"};
    p.entry_threshold = 75;
    p.trailing_stop = true;
    p.trailing_callback_tenths = 7;
    p.max_holding_hours = 0;
    const auto back = bots::params_from_json(nlohmann::json::parse(bots::params_to_json(p).dump()));
    CHECK(back.interval == p.interval);
    CHECK(back.skip_coins == p.skip_coins);
    CHECK(back.entry_threshold == 75);
    CHECK(back.trailing_stop);
    CHECK(back.trailing_callback_tenths == 7);
    CHECK(back.max_holding_hours == 0);
    CHECK(back.weight_trend_pct == p.weight_trend_pct);

    auto bad = bots::params_to_json(p);
    bad["weight_trend_pct"] = 90;  // weights no longer add up to 100
    CHECK_THROWS_AS(bots::params_from_json(bad), std::invalid_argument);
}
