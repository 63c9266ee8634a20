// BinanceTrading against a real fake-binance: signing, account reads, MARKET/LIMIT and algo orders through
// their whole life, leverage and margin type, trades, rounding to filters end to end, and each error class.
#include <catch2/catch.hpp>

#include "client_fixture.h"

using namespace tradingd;
using namespace tradingd::exchange;
using namespace tradingd::test;
using money::Decimal;

TEST_CASE("signed requests are accepted, and a wrong secret or unknown key is refused as such",
          "[client][trading]") {
    Clients c;
    auto balances = c.trading.balances();
    REQUIRE(balances.ok());
    const auto usdt =
        std::find_if(balances->begin(), balances->end(), [](const Balance& b) { return b.asset == "USDT"; });
    REQUIRE(usdt != balances->end());
    CHECK(usdt->wallet_balance == Decimal::parse("10000"));
    CHECK(usdt->available_balance == Decimal::parse("10000"));

    BinanceTrading wrong_secret(c.fake.config(), c.budget, fake_credentials("not-the-secret"));
    auto refused = wrong_secret.balances();
    CHECK(refused.outcome() == Outcome::auth);
    CHECK(refused.error().code == -1022);

    BinanceTrading unknown_key(c.fake.config(), c.budget,
                               fake_credentials(kFakeSecret, "someone-elses-key-000"));
    auto unknown = unknown_key.positions();
    CHECK(unknown.outcome() == Outcome::permission_or_ip);
    CHECK(unknown.error().http_status == 401);
    CHECK(unknown.error().code == -2015);
}

TEST_CASE("a MARKET order fills, shows in query, trades and positions, and a reduce-only one closes it",
          "[client][trading]") {
    Clients c;
    CHECK(c.trading.positions().value().empty());

    auto buy = c.trading.place_order(market_order("ETHUSDT", Side::buy, "0.05", order_id(1)));
    REQUIRE(buy.ok());
    CHECK(buy->status == OrderStatus::filled);
    CHECK(buy->executed_qty == Decimal::parse("0.05"));
    CHECK(buy->avg_price.is_positive());
    CHECK(buy->client_order_id == order_id(1));

    auto queried = c.trading.query_order("ETHUSDT", order_id(1), OrderKind::plain);
    REQUIRE(queried.ok());
    CHECK(queried->order_id == buy->order_id);
    CHECK(queried->status == OrderStatus::filled);

    auto positions = c.trading.positions();
    REQUIRE(positions.ok());
    REQUIRE(positions->size() == 1);
    CHECK(positions->at(0).symbol == "ETHUSDT");
    CHECK(positions->at(0).amount == Decimal::parse("0.05"));
    CHECK(positions->at(0).leverage > 0);

    auto trades = c.trading.user_trades(trade_query("ETHUSDT"));
    REQUIRE(trades.ok());
    REQUIRE(trades->size() == 1);
    CHECK(trades->at(0).order_id == buy->order_id);
    CHECK(trades->at(0).qty == Decimal::parse("0.05"));
    CHECK(trades->at(0).commission.is_positive());

    auto close = market_order("ETHUSDT", Side::sell, "0.05", order_id(1, Leg::exit));
    close.reduce_only = true;
    REQUIRE(c.trading.place_order(close).ok());
    CHECK(c.trading.positions().value().empty());
}

TEST_CASE("a LIMIT order rests, lists as open, cancels, and a second cancel is unknown",
          "[client][trading]") {
    Clients c;
    const Decimal mark = c.mark("BTCUSDT");
    auto placed = c.trading.place_order(
        limit_order("BTCUSDT", Side::buy, Decimal::parse("0.002"), scaled(mark, "0.97"), order_id(2)));
    REQUIRE(placed.ok());
    CHECK(placed->status == OrderStatus::new_);
    CHECK(placed->time_in_force == TimeInForce::gtc);

    auto open = c.trading.open_orders(std::string("BTCUSDT"));
    REQUIRE(open.ok());
    REQUIRE(open->size() == 1);
    CHECK(open->at(0).client_order_id == order_id(2));
    CHECK(c.trading.open_orders(std::nullopt).value().size() == 1);

    auto cancelled = c.trading.cancel_order("BTCUSDT", order_id(2), OrderKind::plain);
    REQUIRE(cancelled.ok());
    CHECK(cancelled->status == OrderStatus::canceled);
    CHECK(c.trading.query_order("BTCUSDT", order_id(2), OrderKind::plain).value().status ==
          OrderStatus::canceled);
    CHECK(c.trading.open_orders(std::string("BTCUSDT")).value().empty());

    auto again = c.trading.cancel_order("BTCUSDT", order_id(2), OrderKind::plain);
    CHECK(again.outcome() == Outcome::unknown_order);
    CHECK(again.error().code == -2011);
    auto never = c.trading.query_order("BTCUSDT", order_id(99), OrderKind::plain);
    CHECK(never.outcome() == Outcome::unknown_order);
    CHECK(never.error().code == -2013);
}

TEST_CASE("stop-market and take-profit-market go to the algo service, never the order endpoint",
          "[client][trading]") {
    Clients c;
    REQUIRE(c.trading.place_order(market_order("SOLUSDT", Side::buy, "1", order_id(3))).ok());
    const Decimal mark = c.mark("SOLUSDT");

    OrderRequest stop;
    stop.symbol = "SOLUSDT";
    stop.side = Side::sell;
    stop.type = OrderType::stop_market;
    stop.stop_price = scaled(mark, "0.9");
    stop.close_position = true;
    stop.working_type = WorkingType::mark_price;
    stop.client_order_id = order_id(3, Leg::stop_loss);
    auto s = c.trading.place_order(stop);
    REQUIRE(s.ok());
    CHECK(s->kind == OrderKind::conditional);
    CHECK(s->algo_id > 0);
    CHECK(s->algo_status == AlgoStatus::new_);
    CHECK(s->close_position);

    OrderRequest tp = stop;
    tp.type = OrderType::take_profit_market;
    tp.stop_price = scaled(mark, "1.1");
    tp.close_position = false;
    tp.reduce_only = true;
    tp.quantity = Decimal::parse("1");
    tp.client_order_id = order_id(3, Leg::take_profit);
    auto t = c.trading.place_order(tp);
    REQUIRE(t.ok());
    CHECK(t->type == OrderType::take_profit_market);
    CHECK(t->orig_qty == Decimal::parse("1"));

    CHECK(c.fake.requests("POST /fapi/v1/algoOrder") == 2);
    CHECK(c.fake.requests("POST /fapi/v1/order") == 1);  // the entry only
    CHECK(c.fake.algo_orders().size() == 2);

    auto open = c.trading.open_orders(std::string("SOLUSDT"));
    REQUIRE(open.ok());
    CHECK(open->size() == 2);
    auto q = c.trading.query_order("SOLUSDT", order_id(3, Leg::stop_loss), OrderKind::conditional);
    REQUIRE(q.ok());
    CHECK(q->algo_id == s->algo_id);
    CHECK(q->stop_price == s->stop_price);

    auto cancelled = c.trading.cancel_order("SOLUSDT", order_id(3, Leg::take_profit), OrderKind::conditional);
    REQUIRE(cancelled.ok());
    CHECK(cancelled->algo_status == AlgoStatus::canceled);
    CHECK(cancelled->status == OrderStatus::canceled);
    CHECK(c.trading.open_orders(std::string("SOLUSDT")).value().size() == 1);
    CHECK(
        c.trading.cancel_order("SOLUSDT", order_id(3, Leg::take_profit), OrderKind::conditional).outcome() ==
        Outcome::unknown_order);

    OrderRequest trailing;
    trailing.symbol = "SOLUSDT";
    trailing.side = Side::sell;
    trailing.type = OrderType::trailing_stop_market;
    trailing.quantity = Decimal::parse("1");
    trailing.reduce_only = true;
    trailing.activation_price = scaled(mark, "1.05");
    trailing.callback_rate = Decimal::parse("1");
    trailing.client_order_id = order_id(3, Leg::exit);
    auto tr = c.trading.place_order(trailing);
    REQUIRE(tr.ok());
    CHECK(tr->type == OrderType::trailing_stop_market);
    CHECK(c.fake.algo_orders().back()["callbackRate"] == "1");
    CHECK(c.fake.requests("POST /fapi/v1/algoOrder") == 3);
}

TEST_CASE("quantities and prices are rounded to the symbol's filters before they are sent",
          "[client][trading]") {
    Clients c;
    const Decimal mark = c.mark("BTCUSDT");
    // 0.0123456 BTC at a price with four decimals: BTCUSDT's step is 0.001 and its tick 0.1.
    const Decimal raw_price = scaled(mark, "0.97123456");
    auto buy = c.trading.place_order(
        limit_order("BTCUSDT", Side::buy, Decimal::parse("0.0123456"), raw_price, order_id(4)));
    REQUIRE(buy.ok());
    CHECK(buy->orig_qty == Decimal::parse("0.012"));
    CHECK(buy->price == raw_price.floor_to_step(Decimal::parse("0.1")));  // a BUY never pays more than asked

    auto sell = c.trading.place_order(limit_order("BTCUSDT", Side::sell, Decimal::parse("0.0129"),
                                                  scaled(mark, "1.03123456"), order_id(5)));
    REQUIRE(sell.ok());
    CHECK(sell->orig_qty == Decimal::parse("0.012"));
    CHECK(sell->price ==
          scaled(mark, "1.03123456").ceil_to_step(Decimal::parse("0.1")));  // a SELL never sells for less

    // What the exchange stored is what the client reported.
    const auto orders = c.fake.orders();
    REQUIRE(orders.size() == 2);
    CHECK(Decimal::parse(orders[0]["origQty"].get<std::string>()) == buy->orig_qty);
    CHECK(Decimal::parse(orders[0]["price"].get<std::string>()) == buy->price);
}

TEST_CASE("an order below MIN_NOTIONAL is refused locally with the reason, and nothing is sent",
          "[client][trading]") {
    Clients c;
    auto small = c.trading.place_order(market_order("ETHUSDT", Side::buy, "0.001", order_id(7)));
    REQUIRE_FALSE(small.ok());
    CHECK(small.outcome() == Outcome::filter_violation);
    CHECK(small.error().transport == Transport::not_sent);
    CHECK_THAT(small.error().message, Catch::StartsWith("notional_below_min") && Catch::Contains("ETHUSDT"));
    CHECK(count_with_client_id(c.fake.orders(), order_id(7)) == 0);

    // Rounded down to nothing: the reason names the quantity that was asked for and the minimum.
    auto below_step = c.trading.place_order(market_order("ETHUSDT", Side::buy, "0.0009", order_id(8)));
    CHECK_THAT(below_step.error().message, Catch::StartsWith("qty_below_min") && Catch::Contains("0.0009"));
    CHECK(c.fake.requests("POST /fapi/v1/order") == 0);
}

TEST_CASE("filter violations the exchange finds come back as filter_violation", "[client][trading]") {
    Clients c;
    // Rules with a finer tick than the exchange's, so local rounding lets an off-tick price through.
    auto info = c.market.exchange_info();
    REQUIRE(info.ok());
    for (auto& s : *info) {
        if (s.symbol == "BTCUSDT") s.tick_size = Decimal::parse("0.01");
    }
    c.trading.set_symbol_rules(*info);
    const Decimal price =
        scaled(c.mark("BTCUSDT"), "0.97").floor_to_step(Decimal::parse("0.1")) + Decimal::parse("0.05");
    auto r =
        c.trading.place_order(limit_order("BTCUSDT", Side::buy, Decimal::parse("0.002"), price, order_id(9)));
    REQUIRE_FALSE(r.ok());
    CHECK(r.outcome() == Outcome::filter_violation);
    CHECK((r.error().code == -4014 || r.error().code == -1111));
}

TEST_CASE("insufficient margin is its own outcome", "[client][trading]") {
    Clients c("50");
    auto r = c.trading.place_order(market_order("ETHUSDT", Side::buy, "5", order_id(10)));
    REQUIRE_FALSE(r.ok());
    CHECK(r.outcome() == Outcome::insufficient_margin);
    CHECK(r.error().code == -2019);
}

TEST_CASE("leverage and margin type, with 'already set' as a success", "[client][trading]") {
    Clients c;
    auto lev = c.trading.set_leverage("BTCUSDT", 5);
    REQUIRE(lev.ok());
    CHECK(lev->leverage == 5);
    CHECK(lev->symbol == "BTCUSDT");
    CHECK(lev->max_notional.is_positive());
    CHECK(c.trading.set_leverage("BTCUSDT", 0).outcome() == Outcome::rejected);

    REQUIRE(c.trading.set_margin_type("BTCUSDT", MarginType::isolated).ok());
    REQUIRE(c.trading.set_margin_type("BTCUSDT", MarginType::isolated).ok());  // -4046: nothing to change
    REQUIRE(c.trading.place_order(market_order("BTCUSDT", Side::sell, "0.002", order_id(11))).ok());
    auto positions = c.trading.positions();
    REQUIRE(positions.ok());
    REQUIRE(positions->size() == 1);
    CHECK(positions->at(0).margin_type == MarginType::isolated);
    CHECK(positions->at(0).leverage == 5);
    CHECK(positions->at(0).amount == Decimal::parse("-0.002"));
}

TEST_CASE("a stale clock offset is resynced after -1021 and a read is sent again", "[client][trading]") {
    Clients c;
    REQUIRE(c.trading.balances().ok());  // syncs the offset
    c.fake.admin("POST", "/_fake/clock", {{"skew_ms", 30'000}});
    REQUIRE(c.trading.balances().ok());  // -1021, resync, resent
    CHECK(c.fake.requests("GET /fapi/v3/balance") == 3);
    CHECK(c.fake.requests("GET /fapi/v1/time") == 2);

    // A write is not resent by the client; the next call has the fresh offset.
    c.fake.admin("POST", "/_fake/clock", {{"skew_ms", -30'000}});
    auto lev = c.trading.set_leverage("BTCUSDT", 3);
    CHECK(lev.outcome() == Outcome::timestamp);
    CHECK(c.fake.requests("POST /fapi/v1/leverage") == 1);
    CHECK(c.trading.set_leverage("BTCUSDT", 3).ok());
}

TEST_CASE("an order the exchange rejects outright is rejected, not unknown", "[client][trading]") {
    Clients c;
    c.fake.admin("POST", "/_fake/reject_orders", {{"count", 1}});
    auto r = c.trading.place_order_idempotent(market_order("ETHUSDT", Side::buy, "0.05", order_id(12)));
    CHECK(r.outcome() == Outcome::rejected);
    CHECK(r.error().code == -2010);
    CHECK(c.fake.requests("GET /fapi/v1/order") == 0);  // a definite answer needs no lookup
}
