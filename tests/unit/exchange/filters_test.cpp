// Filter rounding and local refusals by example, on BTCUSDT-like filters: which way each price rounds, and
// the reason code and message a user sees when an order cannot be sent.
#include <catch2/catch.hpp>

#include "exchange/filters.h"

using namespace tradingd::exchange;
using namespace tradingd::money::literals;

namespace {

SymbolInfo btcusdt() {
    SymbolInfo s;
    s.symbol = "BTCUSDT";
    s.status = "TRADING";
    s.contract_type = "PERPETUAL";
    s.base_asset = "BTC";
    s.quote_asset = "USDT";
    s.margin_asset = "USDT";
    s.tick_size = "0.10"_dec;
    s.min_price = "556.80"_dec;
    s.max_price = "4529764"_dec;
    s.step_size = "0.001"_dec;
    s.min_qty = "0.001"_dec;
    s.max_qty = "1000"_dec;
    s.market_step_size = "0.001"_dec;
    s.market_min_qty = "0.001"_dec;
    s.market_max_qty = "120"_dec;
    s.min_notional = "5"_dec;
    s.max_num_orders = 200;
    return s;
}

OrderRequest limit_buy(const char* qty, const char* price) {
    OrderRequest o;
    o.symbol = "BTCUSDT";
    o.side = Side::buy;
    o.type = OrderType::limit;
    o.quantity = Decimal::parse(qty);
    o.price = Decimal::parse(price);
    o.time_in_force = TimeInForce::gtc;
    return o;
}

OrderRequest market_sell(const char* qty) {
    OrderRequest o;
    o.symbol = "BTCUSDT";
    o.side = Side::sell;
    o.type = OrderType::market;
    o.quantity = Decimal::parse(qty);
    return o;
}

OrderRequest stop_for_long(const char* qty, const char* stop) {
    OrderRequest o = market_sell(qty);
    o.type = OrderType::stop_market;
    o.stop_price = Decimal::parse(stop);
    o.reduce_only = true;
    return o;
}

const Decimal kMark = "43250.1"_dec;

}  // namespace

TEST_CASE("quantities are floored to the step, never rounded up", "[exchange][filters]") {
    const SymbolInfo s = btcusdt();
    CHECK(round_quantity(s, "0.0019"_dec, OrderType::limit) == "0.001"_dec);
    CHECK(round_quantity(s, "1.23456789"_dec, OrderType::market) == "1.234"_dec);
    CHECK(round_quantity(s, "0.002"_dec, OrderType::limit) == "0.002"_dec);
    CHECK(round_quantity(s, "0.0009"_dec, OrderType::limit) == "0"_dec);
}

TEST_CASE("market orders also snap to MARKET_LOT_SIZE's coarser step", "[exchange][filters]") {
    SymbolInfo s = btcusdt();
    s.market_step_size = "0.01"_dec;
    s.market_min_qty = "0.01"_dec;
    CHECK(round_quantity(s, "1.23456"_dec, OrderType::limit) == "1.234"_dec);
    CHECK(round_quantity(s, "1.23456"_dec, OrderType::market) == "1.23"_dec);
    CHECK(round_quantity(s, "1.23456"_dec, OrderType::stop_market) == "1.23"_dec);
    OrderRequest o = market_sell("1.234");
    auto v = check_order(s, o, kMark);
    REQUIRE(v);
    CHECK(v->reason == FilterReason::qty_not_on_step);
    CHECK(v->message == "quantity 1.234 is not a multiple of BTCUSDT's step 0.01 for market orders");
}

TEST_CASE("limit prices round to the passive side of the tick", "[exchange][filters]") {
    const SymbolInfo s = btcusdt();
    CHECK(round_price(s, "43250.17"_dec, Side::buy, PriceUse::limit) == "43250.1"_dec);
    CHECK(round_price(s, "43250.11"_dec, Side::sell, PriceUse::limit) == "43250.2"_dec);
    CHECK(round_price(s, "43250.1"_dec, Side::buy, PriceUse::limit) == "43250.1"_dec);
}

TEST_CASE("a stop never moves toward the entry and a target never moves away from it",
          "[exchange][filters]") {
    const SymbolInfo s = btcusdt();
    // Long from 43250: the stop is a SELL below, the target a SELL above. Both round down.
    CHECK(round_price(s, "42100.19"_dec, Side::sell, PriceUse::stop_loss) == "42100.1"_dec);
    CHECK(round_price(s, "45000.19"_dec, Side::sell, PriceUse::take_profit) == "45000.1"_dec);
    // Short from 43250: the stop is a BUY above, the target a BUY below. Both round up.
    CHECK(round_price(s, "44400.01"_dec, Side::buy, PriceUse::stop_loss) == "44400.1"_dec);
    CHECK(round_price(s, "41000.01"_dec, Side::buy, PriceUse::take_profit) == "41000.1"_dec);
}

TEST_CASE("prices snap to the tick grid counted from minPrice, as Binance defines it",
          "[exchange][filters]") {
    SymbolInfo s = btcusdt();
    s.tick_size = "0.001"_dec;
    s.min_price = "0.0005"_dec;
    CHECK(round_price(s, "0.0123"_dec, Side::buy, PriceUse::limit) == "0.0115"_dec);
    CHECK(round_price(s, "0.0123"_dec, Side::sell, PriceUse::limit) == "0.0125"_dec);
    OrderRequest o = limit_buy("1000", "0.012");
    auto v = check_order(s, o, kMark);
    REQUIRE(v);
    CHECK(v->reason == FilterReason::price_not_on_tick);
    s.tick_size = Decimal();  // an unset tick leaves prices alone
    CHECK(round_price(s, "0.0123"_dec, Side::buy, PriceUse::limit) == "0.0123"_dec);
}

TEST_CASE("an order worth less than MIN_NOTIONAL is refused with its value in the message",
          "[exchange][filters]") {
    const SymbolInfo s = btcusdt();
    auto v = check_order(s, limit_buy("0.001", "4200"), kMark);
    REQUIRE(v);
    CHECK(v->reason == FilterReason::notional_below_min);
    CHECK(reason_code(v->reason) == "notional_below_min");
    CHECK(v->message == "order value 4.2 USDT is below BTCUSDT's minimum of 5 USDT");
    CHECK_FALSE(check_order(s, limit_buy("0.002", "2500"), kMark));  // exactly 5 is enough
}

TEST_CASE("market orders are valued at the mark price; reduce-only and close-position are exempt",
          "[exchange][filters]") {
    const SymbolInfo s = btcusdt();
    CHECK_FALSE(check_order(s, market_sell("0.001"), kMark));  // 43.25 USDT
    auto v = check_order(s, market_sell("0.001"), "4000"_dec);
    REQUIRE(v);
    CHECK(v->message == "order value 4 USDT is below BTCUSDT's minimum of 5 USDT");

    OrderRequest closing = market_sell("0.001");
    closing.reduce_only = true;
    CHECK_FALSE(check_order(s, closing, "4000"_dec));

    OrderRequest close_all;
    close_all.symbol = "BTCUSDT";
    close_all.side = Side::sell;
    close_all.type = OrderType::stop_market;
    close_all.close_position = true;
    close_all.stop_price = "42100.1"_dec;
    CHECK_FALSE(check_order(s, close_all, kMark));  // no quantity to check

    CHECK_THROWS_AS(check_order(s, market_sell("0.001"), Decimal()), std::invalid_argument);
}

TEST_CASE("quantity limits name the filter and the bound", "[exchange][filters]") {
    const SymbolInfo s = btcusdt();
    auto v = check_order(s, limit_buy("0.0005", "43250"), kMark);
    REQUIRE(v);
    CHECK(v->reason == FilterReason::qty_below_min);
    CHECK(v->message == "quantity 0.0005 is below BTCUSDT's minimum of 0.001");
    v = check_order(s, limit_buy("0", "43250"), kMark);
    REQUIRE(v);
    CHECK(v->reason == FilterReason::qty_not_positive);
    v = check_order(s, limit_buy("0.0015", "43250"), kMark);
    REQUIRE(v);
    CHECK(v->reason == FilterReason::qty_not_on_step);
    CHECK(v->message == "quantity 0.0015 is not a multiple of BTCUSDT's step 0.001");

    auto too_big_market = check_order(s, market_sell("150"), kMark);
    REQUIRE(too_big_market);
    CHECK(too_big_market->reason == FilterReason::qty_above_max);
    CHECK(too_big_market->message == "quantity 150 is above BTCUSDT's maximum of 120 for market orders");
    CHECK_FALSE(check_order(s, limit_buy("150", "43250"), kMark));  // LOT_SIZE allows 1000

    auto too_big = check_order(s, limit_buy("1000.001", "43250"), kMark);
    REQUIRE(too_big);
    CHECK(too_big->message == "quantity 1000.001 is above BTCUSDT's maximum of 1000");

    OrderRequest none = market_sell("1");
    none.quantity.reset();
    auto missing = check_order(s, none, kMark);
    REQUIRE(missing);
    CHECK(missing->reason == FilterReason::qty_missing);
}

TEST_CASE("qty below minQty is refused with the minimum in the message", "[exchange][filters]") {
    SymbolInfo s = btcusdt();
    s.min_qty = "0.002"_dec;
    auto v = check_order(s, limit_buy("0.001", "43250"), kMark);
    REQUIRE(v);
    CHECK(v->reason == FilterReason::qty_below_min);
    CHECK(v->message == "quantity 0.001 is below BTCUSDT's minimum of 0.002");
}

TEST_CASE("price and stop price limits are checked with the same rules", "[exchange][filters]") {
    const SymbolInfo s = btcusdt();
    auto v = check_order(s, limit_buy("1", "500"), kMark);
    REQUIRE(v);
    CHECK(v->reason == FilterReason::price_below_min);
    CHECK(v->message == "price 500 is below BTCUSDT's minimum price of 556.8");
    v = check_order(s, limit_buy("0.001", "4529764.8"), kMark);
    REQUIRE(v);
    CHECK(v->reason == FilterReason::price_above_max);
    v = check_order(s, limit_buy("1", "43250.15"), kMark);
    REQUIRE(v);
    CHECK(v->message == "price 43250.15 is not on BTCUSDT's tick of 0.1");

    v = check_order(s, stop_for_long("0.5", "42100.15"), kMark);
    REQUIRE(v);
    CHECK(v->reason == FilterReason::price_not_on_tick);
    CHECK(v->message == "stop price 42100.15 is not on BTCUSDT's tick of 0.1");
    CHECK_FALSE(check_order(s, stop_for_long("0.5", "42100.1"), kMark));

    OrderRequest no_stop = stop_for_long("0.5", "42100.1");
    no_stop.stop_price.reset();
    v = check_order(s, no_stop, kMark);
    REQUIRE(v);
    CHECK(v->reason == FilterReason::price_missing);
    CHECK(v->message == "the order has no stop price");

    OrderRequest no_price = limit_buy("1", "43250");
    no_price.price.reset();
    v = check_order(s, no_price, kMark);
    REQUIRE(v);
    CHECK(v->reason == FilterReason::price_missing);
}

TEST_CASE("a symbol that is not trading refuses every order", "[exchange][filters]") {
    SymbolInfo s = btcusdt();
    s.status = "SETTLING";
    auto v = check_order(s, limit_buy("1", "43250"), kMark);
    REQUIRE(v);
    CHECK(v->reason == FilterReason::symbol_not_trading);
    CHECK(v->message == "BTCUSDT is not open for trading (status SETTLING)");
}

TEST_CASE("a well-formed order passes every filter", "[exchange][filters]") {
    const SymbolInfo s = btcusdt();
    CHECK_FALSE(check_order(s, limit_buy("0.5", "43250.1"), kMark));
    CHECK_FALSE(check_order(s, market_sell("120"), kMark));
}
