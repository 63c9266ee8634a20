// The Binance error mapping, row by row from reference/binance-usdm.md §4, and what each outcome tells the
// caller: the explanation, whether a resend is safe, and when the order must be looked up first.
#include <catch2/catch.hpp>

#include <set>
#include <string>

#include "exchange/errors.h"
#include "exchange/result.h"

using namespace tradingd::exchange;

namespace {

struct Row {
    int http;
    std::optional<int> code;
    const char* message;
    Outcome expected;
    Transport transport = Transport::none;
};

const Outcome kAllOutcomes[] = {Outcome::ok,
                                Outcome::auth,
                                Outcome::permission_or_ip,
                                Outcome::insufficient_margin,
                                Outcome::filter_violation,
                                Outcome::rate_limited,
                                Outcome::ip_banned,
                                Outcome::timestamp,
                                Outcome::unknown_order,
                                Outcome::duplicate_client_id,
                                Outcome::conditional_on_wrong_endpoint,
                                Outcome::unavailable,
                                Outcome::rejected,
                                Outcome::unknown_status};

void check_rows(std::initializer_list<Row> rows) {
    for (const Row& r : rows) {
        INFO("HTTP " << r.http << " code " << (r.code ? std::to_string(*r.code) : "none") << " \""
                     << r.message << "\"");
        CHECK(outcome_name(classify(r.http, r.code, r.message, r.transport)) == outcome_name(r.expected));
    }
}

}  // namespace

TEST_CASE("every error code in the reference maps to its outcome", "[exchange][errors]") {
    check_rows({
        {400, -1000, "An unknown error occured while processing the request.", Outcome::unknown_status},
        {400, -1006, "An unexpected response was received from the message bus.", Outcome::unknown_status},
        {400, -1007, "Timeout waiting for response from backend server.", Outcome::unknown_status},
        {429, -1003, "Too many requests; current limit is 2400 requests per minute.", Outcome::rate_limited},
        {418, -1003, "Way too many requests; IP banned until 1717000000000.", Outcome::ip_banned},
        {503, -1008, "Request throttled by system-level protection.", Outcome::unavailable},
        {400, -1015, "Too many new orders.", Outcome::rate_limited},
        {400, -1021, "Timestamp for this request is outside of the recvWindow.", Outcome::timestamp},
        {400, -1022, "Signature for this request is not valid.", Outcome::auth},
        {400, -1102, "Mandatory parameter 'quantity' was not sent.", Outcome::rejected},
        {400, -1116, "Invalid orderType.", Outcome::rejected},
        {400, -1117, "Invalid side.", Outcome::rejected},
        {400, -1121, "Invalid symbol.", Outcome::rejected},
        {400, -1111, "Precision is over the maximum defined for this asset.", Outcome::filter_violation},
        {400, -1125, "This listenKey does not exist.", Outcome::rejected},
        {400, -2010, "NEW_ORDER_REJECTED", Outcome::rejected},
        {400, -2011, "Unknown order sent.", Outcome::unknown_order},
        {400, -2013, "Order does not exist.", Outcome::unknown_order},
        {400, -2014, "API-key format invalid.", Outcome::auth},
        {401, -2015, "Invalid API-key, IP, or permissions for action, request ip: 203.0.113.7",
         Outcome::permission_or_ip},
        {400, -2019, "Margin is insufficient.", Outcome::insufficient_margin},
        {400, -2021, "Order would immediately trigger.", Outcome::rejected},
        {400, -2022, "ReduceOnly Order is rejected.", Outcome::rejected},
        {400, -2027, "Exceeded the maximum allowable position at current leverage.", Outcome::rejected},
        {400, -4003, "Quantity less than or equal to zero.", Outcome::filter_violation},
        {400, -4004, "Quantity less than min quantity.", Outcome::filter_violation},
        {400, -4005, "Quantity greater than max quantity.", Outcome::filter_violation},
        {400, -4014, "Price not increased by tick size.", Outcome::filter_violation},
        {400, -4023, "Qty not increased by step size.", Outcome::filter_violation},
        {400, -4015, "Client order id is not valid.", Outcome::rejected},
        {400, -4016, "Price is higher than mark price multiplier cap.", Outcome::filter_violation},
        {400, -4024, "Price is lower than mark price multiplier floor.", Outcome::filter_violation},
        {400, -4046, "No need to change margin type.", Outcome::ok},
        {400, -4059, "No need to change position side.", Outcome::ok},
        {400, -4061, "Order's position side does not match user's setting.", Outcome::rejected},
        {400, -4116, "ClientOrderId is duplicated.", Outcome::duplicate_client_id},
        {400, -4120,
         "Order type not supported for this endpoint. Please use the Algo Order API endpoints instead.",
         Outcome::conditional_on_wrong_endpoint},
        {400, -4131, "The counterparty's best price does not meet the PERCENT_PRICE filter limit.",
         Outcome::filter_violation},
        {400, -4164, "Order's notional must be no smaller than 5.0 (unless you choose reduce only)",
         Outcome::filter_violation},
        {400, -5021, "Due to the order could not be filled immediately, the FOK order has been rejected.",
         Outcome::rejected},
        {400, -5022, "Due to the order could not be executed as maker, the Post Only order will be rejected.",
         Outcome::rejected},
        {400, -5028, "Timestamp for this request is outside of the ME recvWindow.", Outcome::timestamp},
        {400, -2018, "Balance is insufficient.", Outcome::insufficient_margin},
        {400, -1013, "Filter failure: MIN_NOTIONAL", Outcome::filter_violation},
        {400, -4137, "quantity must be zero with closePosition equals true", Outcome::rejected},
    });
}

TEST_CASE("HTTP statuses without a known code map by the reference's status rules", "[exchange][errors]") {
    check_rows({
        {503, std::nullopt, "Unknown error, please check your request or try again later.",
         Outcome::unknown_status},
        {503, std::nullopt, "Service Unavailable.", Outcome::unavailable},
        {500, std::nullopt, "Request occur unknown error.", Outcome::unknown_status},
        {502, std::nullopt, "", Outcome::unknown_status},
        {504, std::nullopt, "", Outcome::unknown_status},
        {408, std::nullopt, "", Outcome::unknown_status},
        {403, std::nullopt, "", Outcome::rejected},
        {401, std::nullopt, "", Outcome::permission_or_ip},
        {404, std::nullopt, "", Outcome::rejected},
        {418, std::nullopt, "", Outcome::ip_banned},
        {429, std::nullopt, "", Outcome::rate_limited},
        {400, -9999, "a code nobody has seen", Outcome::rejected},
        {200, std::nullopt, "", Outcome::ok},
        {200, 200, "success", Outcome::ok},
        {200, 0, "", Outcome::ok},
    });
}

TEST_CASE("a 5xx is never read as a certain failure because of its code", "[exchange][errors]") {
    // The code says "filter", but a 5xx on an order means it may have been placed.
    check_rows({
        {500, -4164, "Order's notional must be no smaller than 5.0", Outcome::unknown_status},
        {502, -2019, "Margin is insufficient.", Outcome::unknown_status},
        {503, -1000, "Unknown error, please check your request or try again later.", Outcome::unknown_status},
    });
}

TEST_CASE("a request that never left is safe to resend; one that left without an answer is not",
          "[exchange][errors]") {
    check_rows({
        {0, std::nullopt, "Could not resolve host", Outcome::unavailable, Transport::not_sent},
        {0, std::nullopt, "Operation timed out after 10000 ms", Outcome::unknown_status,
         Transport::timed_out},
        {0, std::nullopt, "Connection reset by peer", Outcome::unknown_status, Transport::connection_lost},
        // A transport failure outranks whatever partial status line was read.
        {200, std::nullopt, "body truncated", Outcome::unknown_status, Transport::connection_lost},
        {0, std::nullopt, "", Outcome::unknown_status},
    });
    CHECK(retry_is_safe(Outcome::unavailable));
    CHECK_FALSE(retry_is_safe(Outcome::unknown_status));
    CHECK(must_query_order(Outcome::unknown_status));
}

TEST_CASE("resending is safe only where the exchange certainly did nothing and may accept it later",
          "[exchange][errors]") {
    const std::set<Outcome> safe = {Outcome::rate_limited, Outcome::ip_banned, Outcome::timestamp,
                                    Outcome::unavailable};
    const std::set<Outcome> query_first = {Outcome::unknown_status, Outcome::duplicate_client_id};
    for (Outcome o : kAllOutcomes) {
        INFO(outcome_name(o));
        CHECK(retry_is_safe(o) == (safe.count(o) == 1));
        CHECK(must_query_order(o) == (query_first.count(o) == 1));
        CHECK_FALSE((retry_is_safe(o) && must_query_order(o)));
    }
}

TEST_CASE("every outcome has a distinct stable name and its own plain explanation", "[exchange][errors]") {
    std::set<std::string_view> names, explanations;
    for (Outcome o : kAllOutcomes) {
        names.insert(outcome_name(o));
        explanations.insert(explain(o));
        CHECK(explain(o).size() > 20);
    }
    CHECK(names.size() == std::size(kAllOutcomes));
    CHECK(explanations.size() == std::size(kAllOutcomes));
    CHECK(outcome_name(Outcome::permission_or_ip) == "permission_or_ip");
    CHECK(std::string(explain(Outcome::permission_or_ip)).find("whitelist") != std::string::npos);
    CHECK(std::string(explain(Outcome::unknown_status)).find("client order id") != std::string::npos);
}

TEST_CASE("an error describes itself with the outcome, status, code and Binance's message",
          "[exchange][errors]") {
    const Error margin = make_error(400, -2019, "Margin is insufficient.");
    CHECK(margin.outcome == Outcome::insufficient_margin);
    CHECK(margin.describe() == "insufficient_margin (HTTP 400, code -2019: Margin is insufficient.)");
    const Error timeout = make_error(0, std::nullopt, "Operation timed out", Transport::timed_out);
    CHECK(timeout.describe() == "unknown_status (timed out after sending: Operation timed out)");
}

TEST_CASE("a Result holds the value or the error, and misuse is caught loudly", "[exchange][errors]") {
    Result<int> good = 42;
    REQUIRE(good.ok());
    CHECK(good.value() == 42);
    CHECK(good.outcome() == Outcome::ok);
    CHECK_THROWS_AS(good.error(), std::logic_error);

    Result<int> bad = make_error(400, -2019, "Margin is insufficient.");
    REQUIRE_FALSE(bad);
    CHECK(bad.error().code == -2019);
    CHECK(bad.outcome() == Outcome::insufficient_margin);
    CHECK_THROWS_AS(bad.value(), std::logic_error);

    Result<void> done;
    CHECK(done.ok());
    Result<void> refused = make_error(401, -2015, "Invalid API-key, IP, or permissions for action");
    CHECK(refused.outcome() == Outcome::permission_or_ip);
    // "Already set" is a success and must be returned as one, never wrapped as an Error.
    CHECK_THROWS_AS(Result<void>(make_error(400, -4046, "No need to change margin type.")), std::logic_error);
}
