// The shared budget against the fake's real limits: a 429 starts backoff that keeps later calls home, a 418
// stops every client in the process until the ban ends, -1015 pauses one account's orders, and threads
// with their own transports share one budget.
#include <catch2/catch.hpp>

#include <atomic>
#include <thread>
#include <vector>

#include "client_fixture.h"

using namespace tradingd;
using namespace tradingd::exchange;
using namespace tradingd::test;

TEST_CASE("429 backs off, and the next normal call is held back without reaching the exchange",
          "[client][limits]") {
    Clients c;
    REQUIRE(c.trading.balances().ok());  // the clock offset is synced before the limit bites
    c.fake.admin("POST", "/_fake/weight", {{"budget", 10}, {"ban_after", 5}});

    auto r = c.market.tickers_24h();  // weight 40 over a budget of 10
    REQUIRE(r.outcome() == Outcome::rate_limited);
    CHECK(r.error().http_status == 429);
    CHECK(r.error().code == -1003);
    CHECK(r.error().retry_after > std::chrono::milliseconds(0));  // Retry-After: until the minute rolls over
    CHECK(c.budget.snapshot().consecutive_429 == 1);
    CHECK(c.budget.snapshot().paused_until > c.budget.now_ms());

    auto held = c.market.klines(kline_query("BTCUSDT", Interval::h1, 10));
    REQUIRE(held.outcome() == Outcome::rate_limited);
    CHECK(held.error().transport == Transport::not_sent);
    CHECK(c.fake.requests("GET /fapi/v1/klines") == 0);

    // Order management is essential: it still goes out during a 429 pause (and is refused by the fake here).
    auto query = c.trading.query_order("BTCUSDT", order_id(30), OrderKind::plain);
    CHECK(c.fake.requests("GET /fapi/v1/order") == 1);
    CHECK(query.outcome() == Outcome::rate_limited);
}

TEST_CASE("418 stops every caller in the process, on every thread, until the ban ends", "[client][limits]") {
    Clients c;
    REQUIRE(c.trading.balances().ok());
    c.fake.admin("POST", "/_fake/weight", {{"budget", 10}, {"ban_after", 0}, {"ban_seconds", 2}});

    auto banned = c.market.tickers_24h();
    REQUIRE(banned.outcome() == Outcome::ip_banned);
    CHECK(banned.error().http_status == 418);
    CHECK(banned.error().retry_after == std::chrono::seconds(2));
    const long requests_at_ban = c.fake.total_requests();

    // Market data, account reads, order entry, and another thread with its own client: all stay home.
    CHECK(c.market.mark_price("BTCUSDT").outcome() == Outcome::ip_banned);
    CHECK(c.trading.balances().outcome() == Outcome::ip_banned);
    CHECK(c.trading.place_order(market_order("ETHUSDT", Side::buy, "0.05", order_id(31))).outcome() ==
          Outcome::ip_banned);
    Outcome other_thread = Outcome::ok;
    std::thread([&] {
        BinanceMarketData mine(c.fake.config(), c.budget);
        other_thread = mine.klines(kline_query("ETHUSDT", Interval::m5, 5)).outcome();
    }).join();
    CHECK(other_thread == Outcome::ip_banned);
    CHECK(c.fake.requests("GET /fapi/v1/premiumIndex") == 0);
    CHECK(c.fake.requests("GET /fapi/v1/klines") == 0);
    CHECK(c.fake.requests("POST /fapi/v1/order") == 0);
    CHECK(c.fake.total_requests() == requests_at_ban);

    // After the ban (and with the fake's budget raised again) everything works.
    c.fake.admin("POST", "/_fake/weight", {{"budget", 2400}, {"reset_usage", true}});
    std::this_thread::sleep_for(std::chrono::milliseconds(2100));
    CHECK(c.market.mark_price("BTCUSDT").ok());
    CHECK(c.trading.balances().ok());
}

TEST_CASE("-1015 pauses this account's orders locally, and its order counts come from the headers",
          "[client][limits]") {
    Clients c;
    c.fake.admin("POST", "/_fake/weight", {{"orders_10s", 2}});
    REQUIRE(c.trading.place_order(market_order("ETHUSDT", Side::buy, "0.05", order_id(32))).ok());
    REQUIRE(c.trading.place_order(market_order("ETHUSDT", Side::buy, "0.05", order_id(33))).ok());

    auto third = c.trading.place_order(market_order("ETHUSDT", Side::buy, "0.05", order_id(34)));
    REQUIRE(third.outcome() == Outcome::rate_limited);
    CHECK(third.error().code == -1015);
    auto fourth = c.trading.place_order(market_order("ETHUSDT", Side::buy, "0.05", order_id(35)));
    REQUIRE(fourth.outcome() == Outcome::rate_limited);
    CHECK(fourth.error().transport == Transport::not_sent);
    CHECK(c.fake.requests("POST /fapi/v1/order") == 3);
    // The IP weight is not affected: market data still flows.
    CHECK(c.market.mark_price("ETHUSDT").ok());
}

TEST_CASE("threads with their own transports share one budget that matches the exchange's count",
          "[client][limits]") {
    FakeBinance fake;
    WeightBudget budget;
    std::vector<std::thread> threads;
    std::atomic<int> failures{0};
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&, t] {
            BinanceMarketData market(fake.config(), budget);
            for (int i = 0; i < 10; ++i) {
                const char* symbol = t % 2 ? "BTCUSDT" : "ETHUSDT";
                if (!market.klines(kline_query(symbol, Interval::h1, 150)).ok()) ++failures;
            }
        });
    }
    for (auto& th : threads) th.join();
    CHECK(failures == 0);
    const auto snap = budget.snapshot();
    CHECK(snap.requests_reserved == 40);
    CHECK(snap.weight_reserved == 80);  // limit 150 costs 2
    // What the exchange counted this minute is never more than what we reserved (unless the minute rolled).
    const auto fake_used = fake.state()["weight"]["127.0.0.1"]["used"].get<int>();
    CHECK(fake_used <= 80);
}

TEST_CASE("418 without Retry-After: the ban's end is read from Binance's message", "[client][limits]") {
    Clients c;
    const TimeMs now = c.market.server_time().value();
    const std::string msg = "Way too many requests; IP banned until " + std::to_string(now + 7000) +
                            ". Please use the websocket for live updates to avoid bans.";
    c.fake.admin("POST", "/_fake/fault",
                 {{"path", "/fapi/v1/premiumIndex"}, {"status", 418}, {"code", -1003}, {"msg", msg}});
    auto banned = c.market.mark_price("BTCUSDT");
    REQUIRE(banned.outcome() == Outcome::ip_banned);
    CHECK(banned.error().retry_after >= std::chrono::seconds(6));
    CHECK(banned.error().retry_after <= std::chrono::seconds(8));
    const TimeMs until = c.budget.snapshot().banned_until;
    CHECK(until >= c.budget.now_ms() + 5000);
    CHECK(until <= c.budget.now_ms() + 8000);
}
