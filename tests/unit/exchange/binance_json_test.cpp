// Reading Binance reply shapes: exact decimals from strings, the shapes real replies have (empty funding
// rates, text leverage, GTE_GTC), and malformed replies refused with a message that names the field.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "exchange/binance_json.h"

using namespace tradingd::exchange;
using namespace tradingd::money::literals;
using nlohmann::json;

namespace {

json symbol_json() {
    return json::parse(R"({
      "symbol":"BTCUSDT","pair":"BTCUSDT","contractType":"PERPETUAL","status":"TRADING","baseAsset":"BTC",
      "quoteAsset":"USDT","marginAsset":"USDT","pricePrecision":2,"quantityPrecision":3,
      "filters":[
        {"filterType":"PRICE_FILTER","minPrice":"556.80","maxPrice":"4529764","tickSize":"0.10"},
        {"filterType":"LOT_SIZE","stepSize":"0.001","maxQty":"1000","minQty":"0.001"},
        {"filterType":"MARKET_LOT_SIZE","stepSize":"0.001","maxQty":"120","minQty":"0.001"},
        {"filterType":"MAX_NUM_ORDERS","limit":200},
        {"filterType":"MIN_NOTIONAL","notional":"100"},
        {"filterType":"PERCENT_PRICE","multiplierUp":"1.0500","multiplierDown":"0.9500","multiplierDecimal":"4"},
        {"filterType":"POSITION_RISK_CONTROL","positionControlSide":"NONE"}]})");
}

}  // namespace

TEST_CASE("exchangeInfo gives exact filters and the rate limits", "[binance_json]") {
    json body = {{"rateLimits", json::parse(R"([
        {"rateLimitType":"REQUEST_WEIGHT","interval":"MINUTE","intervalNum":1,"limit":2400},
        {"rateLimitType":"ORDERS","interval":"MINUTE","intervalNum":1,"limit":1200},
        {"rateLimitType":"ORDERS","interval":"SECOND","intervalNum":10,"limit":300}])")},
                 {"symbols", json::array({symbol_json()})}};
    WeightLimits start;
    start.ip_weight_per_minute = 1;
    auto info = binance_json::exchange_info(body, start);
    REQUIRE(info.ok());
    CHECK(info->limits.ip_weight_per_minute == 2400);
    CHECK(info->limits.orders_per_10s == 300);
    const SymbolInfo& s = info->symbols.at(0);
    CHECK(s.tick_size == "0.1"_dec);
    CHECK(s.min_price == "556.8"_dec);
    CHECK(s.step_size == "0.001"_dec);
    CHECK(s.market_max_qty == "120"_dec);
    CHECK(s.min_notional == "100"_dec);
    CHECK(s.max_num_orders == 200);
    CHECK(s.trading());
}

TEST_CASE("a filter value that is not a decimal string refuses the whole reply and names the symbol",
          "[binance_json]") {
    json sym = symbol_json();
    sym["filters"][0]["tickSize"] = 0.1;  // a number would have passed through binary floating point
    auto info = binance_json::exchange_info({{"symbols", json::array({sym})}}, {});
    REQUIRE_FALSE(info.ok());
    CHECK(info.outcome() == Outcome::unknown_status);
    CHECK_THAT(info.error().message, Catch::Contains("BTCUSDT") && Catch::Contains("tickSize"));

    sym["filters"][0]["tickSize"] = "1e-1";
    CHECK_THAT(binance_json::exchange_info({{"symbols", json::array({sym})}}, {}).error().message,
               Catch::Contains("not a decimal"));
    CHECK_FALSE(binance_json::exchange_info(json::array(), {}).ok());
}

TEST_CASE("klines read the documented slots and refuse short rows", "[binance_json]") {
    json body = json::parse(
        R"([[1499040000000,"0.01634790","0.80000000","0.01575800","0.01577100","148976.11427815",1499644799999,
             "2434.19055334",308,"1756.87402397","28.46694368","0"]])");
    auto k = binance_json::klines(body);
    REQUIRE(k.ok());
    CHECK(k->at(0).open_time == 1499040000000);
    CHECK(k->at(0).high == Approx(0.8));
    CHECK(k->at(0).close_time == 1499644799999);
    CHECK(k->at(0).trades == 308);
    CHECK_FALSE(binance_json::klines(json::parse(R"([[1499040000000,"1","2"]])")).ok());
    CHECK_FALSE(binance_json::klines(json::parse(R"({"code":-1121})")).ok());
}

TEST_CASE("mark prices accept an empty funding rate and one object for one symbol", "[binance_json]") {
    json one =
        json::parse(R"({"symbol":"BTCUSDT_260327","markPrice":"11793.63104562","indexPrice":"11781.80495970",
        "estimatedSettlePrice":"11781.16138815","lastFundingRate":"","interestRate":"","nextFundingTime":0,
        "time":1562566020000})");
    auto m = binance_json::mark_prices(one);
    REQUIRE(m.ok());
    CHECK(m->at(0).mark_price == "11793.63104562"_dec);
    CHECK(m->at(0).funding_rate.is_zero());
}

TEST_CASE("plain orders read back with exact quantities and unknown time-in-force words tolerated",
          "[binance_json]") {
    json o =
        json::parse(R"({"orderId":22542179,"symbol":"BTCUSDT","status":"FILLED","clientOrderId":"td1-1-2-e0",
        "price":"0","avgPrice":"30000.10000","origQty":"0.010","executedQty":"0.010","cumQuote":"300.00100",
        "timeInForce":"GTE_GTC","type":"MARKET","reduceOnly":false,"closePosition":false,"side":"BUY",
        "positionSide":"BOTH","stopPrice":"0","workingType":"CONTRACT_PRICE","origType":"MARKET",
        "updateTime":1566818724722})");
    auto r = binance_json::order(o);
    REQUIRE(r.ok());
    CHECK(r->kind == OrderKind::plain);
    CHECK(r->status == OrderStatus::filled);
    CHECK(r->orig_qty == "0.01"_dec);
    CHECK(r->avg_price == "30000.1"_dec);
    CHECK_FALSE(r->time_in_force.has_value());
    CHECK(r->time == 1566818724722);  // no "time" in a new-order reply: falls back to updateTime

    o["status"] = "SOMETHING_NEW";
    CHECK_THAT(binance_json::order(o).error().message,
               Catch::Contains("status") && Catch::Contains("SOMETHING_NEW"));
    o.erase("status");
    CHECK_THAT(binance_json::order(o).error().message, Catch::Contains("missing field 'status'"));
}

TEST_CASE("algo orders map trigger price, algo status and the empty actualOrderId", "[binance_json]") {
    json a = json::parse(R"({"algoId":2146760,"clientAlgoId":"td1-1-2-s0","algoType":"CONDITIONAL",
        "orderType":"STOP_MARKET","symbol":"BNBUSDT","side":"SELL","positionSide":"BOTH","timeInForce":"GTC",
        "quantity":"0.01","algoStatus":"NEW","triggerPrice":"750.000","price":"0.000","workingType":"CONTRACT_PRICE",
        "closePosition":false,"reduceOnly":true,"createTime":1750485492076,"updateTime":1750485492076,
        "actualOrderId":"","actualPrice":""})");
    auto r = binance_json::algo_order(a);
    REQUIRE(r.ok());
    CHECK(r->kind == OrderKind::conditional);
    CHECK(r->type == OrderType::stop_market);
    CHECK(r->algo_id == 2146760);
    CHECK(r->order_id == 0);
    CHECK(r->stop_price == "750"_dec);
    CHECK(r->algo_status == AlgoStatus::new_);
    CHECK(r->status == OrderStatus::new_);
    CHECK(r->reduce_only);
    a["actualOrderId"] = "123";
    a["algoStatus"] = "FINISHED";
    auto done = binance_json::algo_order(a);
    REQUIRE(done.ok());
    CHECK(done->order_id == 123);
    CHECK(done->status == OrderStatus::filled);
}

TEST_CASE("positions keep only nonzero amounts and read text leverage", "[binance_json]") {
    json body = json::parse(R"([
      {"symbol":"BTCUSDT","positionAmt":"-0.010","entryPrice":"30000.0","markPrice":"29000.00000000",
       "unRealizedProfit":"10.00000000","liquidationPrice":"0","leverage":"20","marginType":"isolated",
       "positionSide":"BOTH","updateTime":1},
      {"symbol":"ETHUSDT","positionAmt":"0.000","entryPrice":"0.0","markPrice":"2000","unRealizedProfit":"0",
       "liquidationPrice":"0","leverage":"10","marginType":"cross","positionSide":"BOTH","updateTime":0}])");
    auto p = binance_json::positions(body);
    REQUIRE(p.ok());
    REQUIRE(p->size() == 1);
    CHECK(p->at(0).amount == "-0.01"_dec);
    CHECK(p->at(0).leverage == 20);
    CHECK(p->at(0).margin_type == MarginType::isolated);
}

TEST_CASE("wire words for requests", "[binance_json]") {
    CHECK(binance_json::type_word(OrderType::take_profit_market) == "TAKE_PROFIT_MARKET");
    CHECK(binance_json::type_word(OrderType::trailing_stop_market) == "TRAILING_STOP_MARKET");
    CHECK(binance_json::side_word(Side::sell) == "SELL");
    CHECK(binance_json::time_in_force_word(TimeInForce::gtx) == "GTX");
    CHECK(binance_json::working_type_word(WorkingType::mark_price) == "MARK_PRICE");
}
