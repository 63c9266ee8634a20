// Client order ids: deterministic, distinct for distinct inputs, inside Binance's 36-character alphabet even
// at their largest, and parsed back to exactly what built them.
#include <catch2/catch.hpp>

#include <limits>
#include <regex>
#include <unordered_set>

#include "exchange/client_order_id.h"

using namespace tradingd::exchange;

namespace {

const Leg kLegs[] = {Leg::entry, Leg::stop_loss, Leg::take_profit, Leg::exit};
const std::regex kBinanceRule(R"(^[\.A-Z\:/a-z0-9_-]{1,36}$)");

constexpr std::uint64_t kU64Max = std::numeric_limits<std::uint64_t>::max();

}  // namespace

TEST_CASE("the same inputs always give the same readable id", "[exchange][client_id]") {
    const ClientOrderIdParts parts{42, 1234567, Leg::stop_loss, 2};
    CHECK(make_client_order_id(parts) == "td1-16-qglj-s2");
    CHECK(make_client_order_id(parts) == make_client_order_id(parts));
    CHECK(make_client_order_id({0, 0, Leg::entry, 0}) == "td1-0-0-e0");
    CHECK(make_client_order_id({1, 2, Leg::take_profit, 35}) == "td1-1-2-tz");
    CHECK(make_client_order_id({1, 2, Leg::exit, 36}) == "td1-1-2-x10");
}

TEST_CASE("distinct inputs give distinct ids that parse back to their inputs, over whole ranges",
          "[exchange][client_id]") {
    std::unordered_set<std::string> seen;
    std::size_t made = 0;
    for (std::uint64_t agent = 0; agent < 40; ++agent) {
        for (std::uint64_t position = 0; position < 140; ++position) {
            for (Leg leg : kLegs) {
                for (std::uint32_t attempt = 0; attempt < 40; ++attempt) {
                    const ClientOrderIdParts parts{agent, position, leg, attempt};
                    const std::string id = make_client_order_id(parts);
                    ++made;
                    REQUIRE(seen.insert(id).second);
                    REQUIRE(parse_client_order_id(id) == parts);
                    REQUIRE(is_valid_client_order_id(id));
                }
            }
        }
    }
    CHECK(seen.size() == made);
    CHECK(made == 40u * 140u * 4u * 40u);
}

TEST_CASE("ids around base-36 digit boundaries and at the maximum still fit Binance's rule",
          "[exchange][client_id]") {
    const std::uint64_t edges[] = {
        0,           1,      35, 36, 1295, 1296, 46655, 46656, 4294967295ull, 4294967296ull, kU64Max / 36,
        kU64Max - 1, kU64Max};
    const std::uint32_t attempts[] = {0, 1, 35, 36, 1295, 1296, kMaxAttempt};
    std::unordered_set<std::string> seen;
    for (std::uint64_t agent : edges) {
        for (std::uint64_t position : edges) {
            for (Leg leg : kLegs) {
                for (std::uint32_t attempt : attempts) {
                    const ClientOrderIdParts parts{agent, position, leg, attempt};
                    const std::string id = make_client_order_id(parts);
                    INFO(id);
                    REQUIRE(id.size() <= 36);
                    REQUIRE(std::regex_match(id, kBinanceRule));
                    REQUIRE(parse_client_order_id(id) == parts);
                    REQUIRE(seen.insert(id).second);
                }
            }
        }
    }
    const std::string longest = make_client_order_id({kU64Max, kU64Max, Leg::take_profit, kMaxAttempt});
    CHECK(longest == "td1-3w5e11264sgsf-3w5e11264sgsf-tzzz");
    CHECK(longest.size() == 36);
}

TEST_CASE("an attempt beyond what fits in the id is refused rather than truncated", "[exchange][client_id]") {
    CHECK_THROWS_AS(make_client_order_id({1, 1, Leg::entry, kMaxAttempt + 1}), std::out_of_range);
}

TEST_CASE("ids that are not ours, or not in canonical form, are not parsed as ours",
          "[exchange][client_id]") {
    for (const char* id : {"",
                           "web_abc123",
                           "x-1-2-e0",
                           "td1-",
                           "td1-1",
                           "td1-1-2",
                           "td1-1-2-",
                           "td1-1-2-e",
                           "td1-1-2-q0",   // unknown leg letter
                           "td1-01-2-e0",  // leading zero
                           "td1-1-02-e0",
                           "td1-1-2-e01",
                           "td1-A-2-e0",  // uppercase is not our alphabet
                           "td1-1-2-e0-",
                           "td1--2-e0",
                           "td1-1-2-e1000",           // attempt past kMaxAttempt
                           "td1-3w5e11264sgsg-1-e0",  // one past 2^64-1
                           "td1-1-2-e0 ",
                           "TD1-1-2-e0",
                           "autoclose-123",
                           "adl_autoclose"}) {
        INFO('"' << id << '"');
        CHECK_FALSE(parse_client_order_id(id).has_value());
        CHECK_FALSE(is_our_client_order_id(id));
    }
    CHECK(is_our_client_order_id("td1-2s-1a-x3"));
}

TEST_CASE("Binance's client id rule accepts its alphabet up to 36 characters and nothing else",
          "[exchange][client_id]") {
    CHECK(is_valid_client_order_id("a"));
    CHECK(is_valid_client_order_id("web_ABC.def:ghi/jkl-012"));
    CHECK(is_valid_client_order_id(std::string(36, 'x')));
    CHECK_FALSE(is_valid_client_order_id(""));
    CHECK_FALSE(is_valid_client_order_id(std::string(37, 'x')));
    for (const char* bad : {"a b", "a+b", "a#b", "a@b", "ä", "a=b", "a&b", "a%b", "a,b", "a~b"}) {
        INFO(bad);
        CHECK_FALSE(is_valid_client_order_id(bad));
        CHECK_FALSE(std::regex_match(std::string(bad), kBinanceRule));
    }
}
