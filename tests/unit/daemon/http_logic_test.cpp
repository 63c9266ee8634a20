// The HTTP layer's decisions, exhaustively: who gets CORS headers, which address is the client's, which
// route a path reaches, when a login must wait.
#include <catch2/catch.hpp>

#include "http/api.h"
#include "http/cors.h"
#include "http/http_server.h"
#include "http/login_throttle.h"

using namespace tradingd::daemon::http;

TEST_CASE("CORS: only exact allowlisted origins get headers, always with Vary: Origin", "[http]") {
    const std::vector<std::string> allow = {"https://app.example.com", "http://localhost:5173"};
    auto ok = decide_cors(allow, "OPTIONS", "https://app.example.com", "POST");
    CHECK(ok.preflight);
    CHECK(ok.allowed);
    CHECK(ok.headers.at("Access-Control-Allow-Origin") == "https://app.example.com");
    CHECK(ok.headers.at("Access-Control-Allow-Credentials") == "true");
    CHECK(ok.headers.at("Vary") == "Origin");
    CHECK(ok.headers.count("Access-Control-Allow-Methods") == 1);

    auto simple = decide_cors(allow, "GET", "http://localhost:5173", "");
    CHECK_FALSE(simple.preflight);
    CHECK(simple.headers.at("Access-Control-Allow-Origin") == "http://localhost:5173");
    CHECK(simple.headers.count("Access-Control-Allow-Methods") == 0);

    for (const char* bad :
         {"https://app.example.com.evil.io", "http://app.example.com", "https://APP.EXAMPLE.COM",
          "https://app.example.com:443", "null", "*", "https://evil.io"}) {
        INFO(bad);
        auto d = decide_cors(allow, "OPTIONS", bad, "POST");
        CHECK_FALSE(d.allowed);
        CHECK(d.headers.size() == 1);  // Vary only
    }
    auto no_origin = decide_cors(allow, "GET", "", "");
    CHECK_FALSE(no_origin.allowed);
    CHECK(decide_cors({}, "OPTIONS", "https://app.example.com", "POST").allowed == false);
}

TEST_CASE("X-Forwarded-For is believed only from a trusted proxy", "[http]") {
    const std::vector<std::string> proxies = {"127.0.0.1", "10.0.0.2"};
    CHECK(client_address("203.0.113.9", "1.2.3.4", proxies) == "203.0.113.9");  // not a proxy: header ignored
    CHECK(client_address("127.0.0.1", "", proxies) == "127.0.0.1");
    CHECK(client_address("127.0.0.1", "198.51.100.7", proxies) == "198.51.100.7");
    // A client may prepend anything; the last address not added by our own proxies is the real one.
    CHECK(client_address("127.0.0.1", "6.6.6.6, 198.51.100.7", proxies) == "198.51.100.7");
    CHECK(client_address("127.0.0.1", "198.51.100.7, 10.0.0.2", proxies) == "198.51.100.7");
    CHECK(client_address("127.0.0.1", "10.0.0.2", proxies) == "10.0.0.2");
}

TEST_CASE("routes match whole segments and capture parameters", "[http]") {
    std::map<std::string, std::string> p;
    CHECK(match_route("/api/agent/notifications/{id}/read", "/api/agent/notifications/42/read", p));
    CHECK(p.at("id") == "42");
    p.clear();
    CHECK_FALSE(match_route("/api/agent/notifications/{id}/read", "/api/agent/notifications//read", p));
    CHECK_FALSE(match_route("/api/agent/me", "/api/agent/me/", p));
    CHECK_FALSE(match_route("/api/agent/me", "/api/agent/meow", p));
    CHECK_FALSE(match_route("/api/agent/me", "/api/agent", p));
    CHECK(match_route("/healthz", "/healthz", p));
    CHECK(to_id("17") == 17);
    CHECK_FALSE(to_id("0"));
    CHECK_FALSE(to_id("-1"));
    CHECK_FALSE(to_id("1e3"));
    CHECK_FALSE(to_id("12abc"));
    CHECK_FALSE(to_id("99999999999999999999"));
}

TEST_CASE("failed logins are limited per account and per address within a sliding window", "[http]") {
    LoginThrottle t;
    ThrottleLimits limits{3, 5, std::chrono::seconds(60)};
    auto t0 = LoginThrottle::Clock::now();
    for (int i = 0; i < 3; ++i) {
        CHECK(t.retry_after("a@x", "1.1.1.1", limits, t0) == 0);
        t.record_failure("a@x", "1.1.1.1", t0 + std::chrono::seconds(i));
    }
    auto wait = t.retry_after("a@x", "1.1.1.1", limits, t0 + std::chrono::seconds(3));
    CHECK(wait == 57);  // until the first failure leaves the window
    CHECK(t.retry_after("a@x", "2.2.2.2", limits, t0 + std::chrono::seconds(3)) > 0);  // per account
    CHECK(t.retry_after("b@x", "1.1.1.1", limits, t0 + std::chrono::seconds(3)) ==
          0);  // other account, same ip
    CHECK(t.retry_after("a@x", "1.1.1.1", limits, t0 + std::chrono::seconds(61)) == 0);  // window passed

    // Guessing many accounts from one address trips the per-address limit.
    for (int i = 0; i < 5; ++i) t.record_failure("user" + std::to_string(i), "9.9.9.9", t0);
    CHECK(t.retry_after("fresh@x", "9.9.9.9", limits, t0) > 0);
    // A success clears the account, not the address.
    t.record_success("a@x");
    CHECK(t.retry_after("a@x", "3.3.3.3", limits, t0 + std::chrono::seconds(3)) == 0);
    CHECK(t.retry_after("fresh@x", "9.9.9.9", limits, t0) > 0);
}
