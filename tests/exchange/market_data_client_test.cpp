// BinanceMarketData and HttpTransport against a real fake-binance: every public endpoint the scanner uses,
// the weight each one costs (checked against the exchange's own header), connection reuse, and replies
// that are not what Binance should send.
#include <catch2/catch.hpp>

#include <thread>

#include "client_fixture.h"

using namespace tradingd;
using namespace tradingd::exchange;
using namespace tradingd::test;

namespace {

// The fake's X-MBX-USED-WEIGHT-1M after the last reply, as the budget saw it.
int used_header(const WeightBudget& budget) {
    return budget.snapshot().last_used_weight_header.value_or(-1);
}

}  // namespace

TEST_CASE("exchange info lists at least 150 trading USDT perpetuals with their filters", "[client][market]") {
    FakeBinance fake;
    WeightLimits limits;
    limits.ip_weight_per_minute = 1000;
    WeightBudget budget(limits);
    BinanceMarketData market(fake.config(), budget);

    auto info = market.exchange_info();
    REQUIRE(info.ok());
    int perpetuals = 0;
    for (const SymbolInfo& s : *info) {
        if (!s.trading() || s.contract_type != "PERPETUAL" || s.quote_asset != "USDT") continue;
        ++perpetuals;
        CHECK(s.tick_size.is_positive());
        CHECK(s.step_size.is_positive());
        CHECK(s.min_qty.is_positive());
        CHECK(s.min_notional.is_positive());
        CHECK(s.max_num_orders > 0);
    }
    CHECK(perpetuals >= 150);
    const auto btc =
        std::find_if(info->begin(), info->end(), [](const SymbolInfo& s) { return s.symbol == "BTCUSDT"; });
    REQUIRE(btc != info->end());
    CHECK(btc->tick_size == money::Decimal::parse("0.1"));
    CHECK(btc->market_max_qty == money::Decimal::parse("120"));
    // The reply's rateLimits replace the budget's configured limits.
    CHECK(budget.limits().ip_weight_per_minute == 2400);
    CHECK(budget.limits().orders_per_10s == 300);
    CHECK(used_header(budget) == 1);
}

TEST_CASE("klines come oldest first, contiguous, and cost the weight their limit says", "[client][market]") {
    FakeBinance fake;
    WeightBudget budget;
    BinanceMarketData market(fake.config(), budget);

    auto k = market.klines(kline_query("BTCUSDT", Interval::h1, 99));
    REQUIRE(k.ok());
    REQUIRE(k->size() == 99);
    for (std::size_t i = 1; i < k->size(); ++i) {
        CHECK((*k)[i].open_time == (*k)[i - 1].close_time + 1);
        CHECK((*k)[i].high >= (*k)[i].low);
    }
    const int after_small = used_header(budget);
    CHECK(after_small == 1);
    REQUIRE(market.klines(kline_query("ETHUSDT", Interval::m15, 100)).ok());
    CHECK(used_header(budget) == after_small + 2);
    REQUIRE(market.klines(kline_query("ETHUSDT", Interval::m15, 500)).ok());
    CHECK(used_header(budget) == after_small + 2 + 5);
    // Our estimate never falls below the exchange's count.
    CHECK(budget.snapshot().used_this_minute >= used_header(budget));

    auto bad = market.klines(kline_query("NOSUCHUSDT", Interval::h1, 10));
    REQUIRE_FALSE(bad.ok());
    CHECK(bad.outcome() == Outcome::rejected);
    CHECK(bad.error().code == -1121);
    CHECK(market.klines(kline_query("BTCUSDT", Interval::h1, 0)).outcome() == Outcome::rejected);
}

TEST_CASE("tickers and mark prices for every symbol in one call each, at weight 40 and 10",
          "[client][market]") {
    FakeBinance fake;
    WeightBudget budget;
    BinanceMarketData market(fake.config(), budget);

    auto tickers = market.tickers_24h();
    REQUIRE(tickers.ok());
    CHECK(tickers->size() >= 150);
    CHECK(used_header(budget) == 40);
    for (const auto& t : *tickers) CHECK(t.last_price > 0);

    auto marks = market.mark_prices();
    REQUIRE(marks.ok());
    CHECK(marks->size() >= 150);
    CHECK(used_header(budget) == 50);

    auto btc = market.mark_price("BTCUSDT");
    REQUIRE(btc.ok());
    CHECK(btc->mark_price.is_positive());
    CHECK(btc->next_funding_time > btc->time);
    CHECK(used_header(budget) == 51);
}

TEST_CASE("server time is the fake's clock, not ours", "[client][market]") {
    FakeBinance fake;
    WeightBudget budget;
    BinanceMarketData market(fake.config(), budget);
    fake.admin("POST", "/_fake/clock", {{"skew_ms", 3'600'000}});
    auto t = market.server_time();
    REQUIRE(t.ok());
    const TimeMs local = std::chrono::duration_cast<std::chrono::milliseconds>(
                             std::chrono::system_clock::now().time_since_epoch())
                             .count();
    CHECK(*t > local + 3'590'000);
    CHECK(*t < local + 3'610'000);
}

TEST_CASE("one transport keeps one connection open across requests", "[client][transport]") {
    FakeBinance fake;
    HttpTransport transport;
    for (int i = 0; i < 5; ++i) {
        HttpRequest get;
        get.url = fake.base_url() + "/fapi/v1/time";
        const auto r = transport.perform(get);
        REQUIRE(r.failure == Transport::none);
        CHECK(r.status == 200);
        CHECK(r.header("x-mbx-used-weight-1m").has_value());  // lower-cased, whatever the server sent
    }
    CHECK(transport.connections_opened() == 1);
}

TEST_CASE("transport failures say whether the request could have reached the server", "[client][transport]") {
    FakeBinance fake;
    HttpTransport transport;

    SECTION("nothing listening: not sent") {
        HttpRequest get;
        get.url = "http://127.0.0.1:1/fapi/v1/time";
        const auto r = transport.perform(get);
        CHECK(r.failure == Transport::not_sent);
        CHECK(classify(0, std::nullopt, "", r.failure) == Outcome::unavailable);
    }
    SECTION("a reply that never comes: timed out after sending") {
        fake.admin("POST", "/_fake/fault",
                   {{"path", "/fapi/v1/time"}, {"action", "hang"}, {"hold_ms", 3000}});
        HttpRequest get;
        get.url = fake.base_url() + "/fapi/v1/time";
        get.total_timeout = std::chrono::milliseconds(500);
        const auto r = transport.perform(get);
        CHECK(r.failure == Transport::timed_out);
        CHECK(classify(0, std::nullopt, "", r.failure) == Outcome::unknown_status);
    }
    SECTION("the connection closed without a reply: connection lost") {
        fake.admin("POST", "/_fake/fault", {{"path", "/fapi/v1/time"}, {"action", "drop"}, {"count", 10}});
        HttpRequest get;
        get.url = fake.base_url() + "/fapi/v1/time";
        get.may_repeat = false;  // a GET would be resent silently by libcurl; this checks the classification
        const auto r = transport.perform(get);
        CHECK(r.failure == Transport::connection_lost);
    }
}

TEST_CASE("malformed and non-JSON replies are refused with a clear error, never a crash",
          "[client][market]") {
    FakeBinance fake;
    WeightBudget budget;
    BinanceMarketData market(fake.config(), budget);

    fake.admin("POST", "/_fake/fault",
               {{"path", "/fapi/v1/ticker/24hr"},
                {"status", 200},
                {"body", R"([{"symbol":"BTCUSDT","lastPrice":1}])"}});
    auto missing = market.tickers_24h();
    REQUIRE_FALSE(missing.ok());
    CHECK(missing.outcome() == Outcome::unknown_status);
    CHECK_THAT(missing.error().message,
               Catch::Contains("malformed") && Catch::Contains("priceChangePercent"));

    fake.admin("POST", "/_fake/fault",
               {{"path", "/fapi/v1/premiumIndex"}, {"status", 200}, {"body", "<html>oops"}});
    auto html = market.mark_prices();
    REQUIRE_FALSE(html.ok());
    CHECK_THAT(html.error().message, Catch::Contains("not JSON") && Catch::Contains("oops"));

    fake.admin("POST", "/_fake/fault", {{"path", "/fapi/v1/exchangeInfo"}, {"status", 502}});
    auto gateway = market.exchange_info();
    REQUIRE_FALSE(gateway.ok());
    CHECK(gateway.error().http_status == 502);
    CHECK_THAT(gateway.error().message, Catch::Contains("Bad Gateway"));

    // And the next, healthy reply reads normally.
    CHECK(market.exchange_info().ok());
}
