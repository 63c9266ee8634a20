// Orders whose reply is lost: timeouts, dropped connections and 5xx after (and before) the exchange acted.
// The fake's /_fake/state is the witness that exactly one order exists, whatever the client went through.
#include <catch2/catch.hpp>

#include <chrono>

#include "client_fixture.h"

using namespace tradingd;
using namespace tradingd::exchange;
using namespace tradingd::test;
using money::Decimal;

namespace {

BinanceConfig short_window(BinanceConfig c) {
    c.recv_window_ms = 1000;  // a lost order is dead after 1 s instead of 5: keeps these tests quick
    return c;
}

// The fake holds a "hang" for 2.5 s; the client gives up after 1.5 s.
BinanceConfig short_timeout(BinanceConfig c) {
    c.request_timeout = std::chrono::milliseconds(1500);
    return c;
}

nlohmann::json order_fault(const char* path, nlohmann::json spec) {
    spec["path"] = path;
    spec["method"] = "POST";
    return spec;
}

}  // namespace

TEST_CASE("timeout after the order was accepted: the idempotent call returns that order and places no second",
          "[client][orders]") {
    Clients c("10000", short_timeout);
    REQUIRE(c.trading.balances().ok());
    c.fake.admin("POST", "/_fake/fault",
                 order_fault("/fapi/v1/order", {{"action", "hang"}, {"hold_ms", 2500}}));

    auto placed = c.trading.place_order_idempotent(market_order("ETHUSDT", Side::buy, "0.05", order_id(20)));
    REQUIRE(placed.ok());
    CHECK(placed->client_order_id == order_id(20));
    CHECK(placed->status == OrderStatus::filled);

    const auto orders = c.fake.orders();
    CHECK(count_with_client_id(orders, order_id(20)) == 1);
    CHECK(orders.size() == 1);
    CHECK(orders[0]["orderId"].get<std::int64_t>() == placed->order_id);
    CHECK(c.fake.requests("POST /fapi/v1/order") == 1);
    CHECK(c.fake.requests("GET /fapi/v1/order") >= 1);
    CHECK(c.trading.positions().value().at(0).amount == Decimal::parse("0.05"));
}

TEST_CASE("place_order itself reports a timeout as unknown_status and never resends", "[client][orders]") {
    Clients c("10000", short_timeout);
    c.fake.admin("POST", "/_fake/fault",
                 order_fault("/fapi/v1/order", {{"action", "hang"}, {"hold_ms", 2500}}));
    auto placed = c.trading.place_order(market_order("ETHUSDT", Side::buy, "0.05", order_id(21)));
    REQUIRE(placed.outcome() == Outcome::unknown_status);
    CHECK(placed.error().transport == Transport::timed_out);
    CHECK(must_query_order(placed.outcome()));
    CHECK(c.fake.requests("POST /fapi/v1/order") == 1);
    CHECK(c.trading.query_order("ETHUSDT", order_id(21), OrderKind::plain).ok());
}

TEST_CASE("a connection dropped after the order was accepted is not resent by libcurl on its own",
          "[client][orders]") {
    // libcurl resends a request when a reused keep-alive connection closes before any reply byte; for an
    // order that the exchange already executed, that is a second order. The warm-up makes the order ride a
    // reused connection, the case where libcurl would do it.
    Clients c;
    REQUIRE(c.trading.balances().ok());
    REQUIRE(c.trading.balances().ok());
    c.fake.admin("POST", "/_fake/fault",
                 order_fault("/fapi/v1/order", {{"action", "drop"}, {"after", true}}));

    auto placed = c.trading.place_order(market_order("ETHUSDT", Side::buy, "0.05", order_id(22)));
    REQUIRE(placed.outcome() == Outcome::unknown_status);
    CHECK(placed.error().transport == Transport::connection_lost);
    CHECK(c.fake.requests("POST /fapi/v1/order") == 1);
    CHECK(count_with_client_id(c.fake.orders(), order_id(22)) == 1);

    // The caller's protocol after unknown_status: look it up, never place it again blindly (a filled order
    // frees its client id, so a resend would be a second order).
    auto found = c.trading.query_order("ETHUSDT", order_id(22), OrderKind::plain);
    REQUIRE(found.ok());
    CHECK(found->status == OrderStatus::filled);
    CHECK(c.fake.orders().size() == 1);
}

TEST_CASE("503 'unknown error' after the exchange placed the order: found by lookup, not placed twice",
          "[client][orders]") {
    Clients c;
    c.fake.admin("POST", "/_fake/fault",
                 order_fault("/fapi/v1/order", {{"status", 503}, {"variant", "unknown"}, {"after", true}}));
    auto placed = c.trading.place_order_idempotent(market_order("ETHUSDT", Side::sell, "0.05", order_id(23)));
    REQUIRE(placed.ok());
    CHECK(count_with_client_id(c.fake.orders(), order_id(23)) == 1);
    CHECK(c.fake.requests("POST /fapi/v1/order") == 1);
}

TEST_CASE("503 'unknown error' before anything happened: placed once more after the first request expired",
          "[client][orders]") {
    Clients c("10000", short_window);
    c.fake.admin("POST", "/_fake/fault",
                 order_fault("/fapi/v1/order", {{"status", 503}, {"variant", "unknown"}}));
    const auto start = std::chrono::steady_clock::now();
    auto placed = c.trading.place_order_idempotent(market_order("ETHUSDT", Side::buy, "0.05", order_id(24)));
    const auto took = std::chrono::steady_clock::now() - start;
    REQUIRE(placed.ok());
    CHECK(count_with_client_id(c.fake.orders(), order_id(24)) == 1);
    CHECK(c.fake.requests("POST /fapi/v1/order") == 2);
    // "Not found" was only believed once the first request's recvWindow had run out.
    CHECK(took >= std::chrono::milliseconds(1000));
}

TEST_CASE("503 'Service Unavailable.' is a certain failure: unavailable, safe to retry, nothing placed",
          "[client][orders]") {
    Clients c;
    c.fake.admin("POST", "/_fake/fault",
                 order_fault("/fapi/v1/order", {{"status", 503}, {"variant", "unavailable"}}));
    auto placed = c.trading.place_order_idempotent(market_order("ETHUSDT", Side::buy, "0.05", order_id(25)));
    REQUIRE(placed.outcome() == Outcome::unavailable);
    CHECK(retry_is_safe(placed.outcome()));
    CHECK(c.fake.orders().empty());
    CHECK(c.trading.place_order_idempotent(market_order("ETHUSDT", Side::buy, "0.05", order_id(25))).ok());
}

TEST_CASE("a duplicate client order id (-4116) resolves to the order that already exists",
          "[client][orders]") {
    Clients c;
    const auto request = limit_order("BTCUSDT", Side::buy, Decimal::parse("0.002"),
                                     scaled(c.mark("BTCUSDT"), "0.97"), order_id(26));
    auto first = c.trading.place_order(request);
    REQUIRE(first.ok());

    auto blind = c.trading.place_order(request);
    CHECK(blind.outcome() == Outcome::duplicate_client_id);
    CHECK(blind.error().code == -4116);

    auto resolved = c.trading.place_order_idempotent(request);
    REQUIRE(resolved.ok());
    CHECK(resolved->order_id == first->order_id);
    CHECK(c.fake.orders().size() == 1);
}

TEST_CASE("a stop-loss lost on the algo endpoint is found by its clientAlgoId, not placed twice",
          "[client][orders]") {
    Clients c("10000", short_timeout);
    REQUIRE(c.trading.place_order(market_order("SOLUSDT", Side::buy, "1", order_id(27))).ok());
    c.fake.admin("POST", "/_fake/fault",
                 order_fault("/fapi/v1/algoOrder", {{"action", "hang"}, {"hold_ms", 2500}}));

    OrderRequest stop;
    stop.symbol = "SOLUSDT";
    stop.side = Side::sell;
    stop.type = OrderType::stop_market;
    stop.stop_price = scaled(c.mark("SOLUSDT"), "0.9");
    stop.quantity = Decimal::parse("1");
    stop.reduce_only = true;
    stop.client_order_id = order_id(27, Leg::stop_loss);
    auto placed = c.trading.place_order_idempotent(stop);
    REQUIRE(placed.ok());
    CHECK(placed->kind == OrderKind::conditional);
    CHECK(placed->client_order_id == order_id(27, Leg::stop_loss));
    CHECK(count_with_client_id(c.fake.algo_orders(), order_id(27, Leg::stop_loss)) == 1);
    CHECK(c.fake.requests("POST /fapi/v1/algoOrder") == 1);
    CHECK(c.fake.requests("GET /fapi/v1/algoOrder") >= 1);
}

TEST_CASE("when every lookup fails too, the status stays unknown and nothing is placed again",
          "[client][orders]") {
    Clients c("10000", short_timeout);
    c.fake.admin("POST", "/_fake/fault",
                 order_fault("/fapi/v1/order", {{"action", "hang"}, {"hold_ms", 2500}}));
    c.fake.admin("POST", "/_fake/fault",
                 {{"path", "/fapi/v1/order"}, {"method", "GET"}, {"status", 503}, {"count", 10}});
    auto placed =
        c.trading.place_order_idempotent(market_order("ETHUSDT", Side::buy, "0.05", order_id(28)), 2);
    REQUIRE(placed.outcome() == Outcome::unknown_status);
    CHECK_THAT(placed.error().message, Catch::Contains("still unknown") && Catch::Contains(order_id(28)));
    CHECK(c.fake.requests("POST /fapi/v1/order") == 1);
    CHECK(c.fake.requests("GET /fapi/v1/order") == 2);
    CHECK(count_with_client_id(c.fake.orders(), order_id(28)) == 1);  // the first one did go through
}

TEST_CASE("idempotent placement needs a client order id", "[client][orders]") {
    Clients c;
    auto r = c.trading.place_order_idempotent(market_order("ETHUSDT", Side::buy, "0.05", ""));
    CHECK(r.outcome() == Outcome::rejected);
    CHECK(c.fake.requests("POST /fapi/v1/order") == 0);
    auto bad = c.trading.place_order(market_order("ETHUSDT", Side::buy, "0.05", "has spaces in it"));
    CHECK(bad.outcome() == Outcome::rejected);
}
