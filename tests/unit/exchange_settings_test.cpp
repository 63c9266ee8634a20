// exchange.* and paper.* settings: what --check-config refuses, with the key named, before a paper account
// or a market source is built from a bad value.
#include <catch2/catch.hpp>

#include "config/exchange_check.h"

using namespace tradingd::config;

namespace {

Settings defaults() {
    Settings s;
    s.exchange_rest_url = "https://fapi.binance.com";
    s.exchange_sapi_url = "https://api.binance.com";
    s.exchange_stream_url = "wss://fstream.binance.com";
    s.paper_starting_balance = "10000";
    s.paper_taker_fee_rate = "0.0005";
    s.paper_maker_fee_rate = "0.0002";
    s.paper_slippage_rate = "0";
    return s;
}

std::vector<std::string> problems(const Settings& s) {
    std::vector<std::string> out;
    validate_exchange_settings(s, out);
    return out;
}

}  // namespace

TEST_CASE("the default exchange and paper settings are accepted", "[config][exchange]") {
    CHECK(problems(defaults()).empty());
    Settings s = defaults();
    s.exchange_rest_url = "http://127.0.0.1:40123";  // a fake-binance
    s.exchange_stream_url = "ws://127.0.0.1:40124";
    s.paper_starting_balance = "250.5";
    CHECK(problems(s).empty());
}

TEST_CASE("bad exchange URLs and paper amounts are refused with the key named", "[config][exchange]") {
    struct Case {
        void (*set)(Settings&);
        const char* key;
    };
    const Case cases[] = {
        {[](Settings& s) { s.exchange_rest_url = "fapi.binance.com"; }, "exchange.rest_url"},
        {[](Settings& s) { s.exchange_rest_url = "https://fapi.binance.com/"; }, "exchange.rest_url"},
        {[](Settings& s) { s.exchange_sapi_url = "https://"; }, "exchange.sapi_url"},
        {[](Settings& s) { s.exchange_stream_url = "https://fstream.binance.com"; }, "exchange.stream_url"},
        {[](Settings& s) { s.exchange_stream_url = "wss://fstream.binance.com/"; }, "exchange.stream_url"},
        {[](Settings& s) { s.paper_starting_balance = "-5"; }, "paper.starting_balance"},
        {[](Settings& s) { s.paper_starting_balance = "1e4"; }, "paper.starting_balance"},
        {[](Settings& s) { s.paper_taker_fee_rate = "5%"; }, "paper.taker_fee_rate"},
        {[](Settings& s) { s.paper_maker_fee_rate = "1.5"; }, "paper.maker_fee_rate"},
        {[](Settings& s) { s.paper_slippage_rate = ".001"; }, "paper.slippage_rate"},
        {[](Settings& s) { s.paper_slippage_rate = ""; }, "paper.slippage_rate"},
    };
    for (const Case& c : cases) {
        Settings s = defaults();
        c.set(s);
        auto found = problems(s);
        INFO(c.key);
        REQUIRE(found.size() == 1);
        CHECK(found[0].rfind(c.key, 0) == 0);
    }
}
