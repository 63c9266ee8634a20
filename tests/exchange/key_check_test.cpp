// The API-key health check against a real fake-binance: the all-good key, and a key failing each check in
// turn, with the fix the user is shown. The secret must never appear in what the check reports.
#include <catch2/catch.hpp>

#include <algorithm>
#include <map>

#include "exchange/key_check.h"
#include "fake_binance_process.h"

using namespace tradingd;
using namespace tradingd::exchange;
using namespace tradingd::test;

namespace {

std::map<std::string, KeyCheck> run(FakeBinance& fake, std::string_view secret = kFakeSecret,
                                    std::string_view key = kFakeKey) {
    KeyCheckSettings settings;
    settings.rest_url = settings.sapi_url = fake.base_url();  // the fake serves both hosts
    settings.request_timeout = std::chrono::milliseconds(5000);
    WeightBudget budget;
    KeyCheckReport report = check_api_key(fake_credentials(secret, key), settings, budget);
    std::map<std::string, KeyCheck> by_code;
    for (const KeyCheck& c : report.checks) {
        INFO(c.code << ": " << c.message);
        CHECK(c.message.find(secret) == std::string::npos);
        CHECK(c.fix.find(secret) == std::string::npos);
        CHECK(c.ok == c.fix.empty());  // every failure says what to do
        by_code[c.code] = c;
    }
    CHECK(by_code.size() == 5);
    bool all = std::all_of(report.checks.begin(), report.checks.end(), [](auto& c) { return c.ok; });
    CHECK(report.ok == all);
    return by_code;
}

bool contains(const std::string& text, std::string_view part) {
    return text.find(part) != std::string::npos;
}

}  // namespace

TEST_CASE("a well-configured key passes every check", "[key_check]") {
    FakeBinance fake("2500.5");
    fake.admin("POST", "/_fake/restrictions", {{"ipRestrict", true}, {"allowedIps", {"127.0.0.1"}}});
    auto checks = run(fake);
    for (const char* code :
         {"key_valid", "futures_enabled", "withdrawals_disabled", "ip_restricted", "usdt_balance"}) {
        INFO(code);
        CHECK(checks[code].ok);
    }
    CHECK(contains(checks["usdt_balance"].message, "2500.5"));
}

TEST_CASE("the key check names each failing setting with its fix", "[key_check]") {
    FakeBinance fake;
    SECTION("wrong secret") {
        auto checks = run(fake, "not-the-secret-0000000000");
        CHECK_FALSE(checks["key_valid"].ok);
        CHECK(contains(checks["key_valid"].message, "secret"));
        CHECK(contains(checks["futures_enabled"].message, "Not checked"));
    }
    SECTION("unknown key") {
        auto checks = run(fake, kFakeSecret, "no-such-key-0123456789");
        CHECK_FALSE(checks["key_valid"].ok);
        CHECK(contains(checks["key_valid"].fix, "whitelist"));
    }
    SECTION("no IP restriction") {
        auto checks = run(fake);
        CHECK(checks["key_valid"].ok);
        CHECK(checks["futures_enabled"].ok);
        CHECK_FALSE(checks["ip_restricted"].ok);
        CHECK(contains(checks["ip_restricted"].fix, "trusted IPs"));
        CHECK(checks["usdt_balance"].ok);
    }
    SECTION("IP whitelist without this server") {
        fake.admin("POST", "/_fake/restrictions", {{"ipRestrict", true}, {"allowedIps", {"10.1.2.3"}}});
        auto checks = run(fake);
        CHECK_FALSE(checks["key_valid"].ok);
        CHECK(contains(checks["key_valid"].fix, "add this server's IP address"));
    }
    SECTION("futures permission missing (Binance's 401/-2015 told apart by the restrictions)") {
        fake.admin("POST", "/_fake/restrictions",
                   {{"ipRestrict", true}, {"allowedIps", {"127.0.0.1"}}, {"enableFutures", false}});
        auto checks = run(fake);
        CHECK(checks["key_valid"].ok);
        CHECK_FALSE(checks["futures_enabled"].ok);
        CHECK(contains(checks["futures_enabled"].fix, "Enable Futures"));
        CHECK(checks["ip_restricted"].ok);
        CHECK_FALSE(checks["usdt_balance"].ok);
        CHECK(contains(checks["usdt_balance"].message, "Not checked"));
    }
    SECTION("withdrawals enabled") {
        fake.admin("POST", "/_fake/restrictions",
                   {{"ipRestrict", true}, {"allowedIps", {"127.0.0.1"}}, {"enableWithdrawals", true}});
        auto checks = run(fake);
        CHECK_FALSE(checks["withdrawals_disabled"].ok);
        CHECK(contains(checks["withdrawals_disabled"].fix, "untick 'Enable Withdrawals'"));
        CHECK(checks["futures_enabled"].ok);
    }
}

TEST_CASE("an empty futures wallet fails the balance check", "[key_check]") {
    FakeBinance fake("0");
    fake.admin("POST", "/_fake/restrictions", {{"ipRestrict", true}, {"allowedIps", {"127.0.0.1"}}});
    auto checks = run(fake);
    CHECK_FALSE(checks["usdt_balance"].ok);
    CHECK(contains(checks["usdt_balance"].fix, "Futures wallet"));
}

TEST_CASE("an unreachable exchange is a failed check that says to try again", "[key_check]") {
    KeyCheckSettings settings;
    settings.rest_url = settings.sapi_url = "http://127.0.0.1:1";
    settings.request_timeout = std::chrono::milliseconds(2000);
    WeightBudget budget;
    KeyCheckReport report = check_api_key(fake_credentials(), settings, budget);
    CHECK_FALSE(report.ok);
    REQUIRE_FALSE(report.checks.empty());
    CHECK(report.checks[0].code == "key_valid");
    CHECK(contains(report.checks[0].fix, "try the check again"));
}
