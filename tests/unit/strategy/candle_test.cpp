// parse_klines: Binance klines JSON in, Candles out, and errors that name the row and field to fix.
#include <catch2/catch.hpp>
#include <string>

#include "strategy/candle.h"

using namespace tradingd::strategy;
using Catch::Matchers::Contains;

namespace {

// A real BTCUSDT 1h row shape: numbers as strings, times as integers, 12 fields.
const char* kTwoRows = R"([
  [1700000000000,"36500.10","36620.00","36480.50","36600.00","812.345",1700003599999,"29700000.12",12345,"400.1","14600000.0","0"],
  [1700003600000,"36600.00","36700.00","36550.00","36555.50","700.000",1700007199999,"25600000.00",11000,"350.0","12800000.0","0"]
])";

std::string error_of(const std::string& json) {
    try {
        parse_klines(json);
    } catch (const KlinesError& e) {
        return e.what();
    }
    return "(no error)";
}

// One otherwise valid row with field `f` replaced by the raw JSON text `value`.
std::string row_with(int f, const std::string& value) {
    std::string fields[8] = {"1700000000000", "\"10\"", "\"12\"",        "\"9\"",
                             "\"11\"",        "\"5\"",  "1700003599999", "\"55\""};
    fields[f] = value;
    std::string row = "[";
    for (int i = 0; i < 8; ++i) row += (i ? "," : "") + fields[i];
    return "[" + row + "]]";
}

}  // namespace

TEST_CASE("parse_klines reads every field of Binance's string-encoded rows", "[candle]") {
    auto c = parse_klines(kTwoRows);
    REQUIRE(c.size() == 2);
    CHECK(c[0].open_time_ms == 1700000000000);
    CHECK(c[0].open == 36500.10);
    CHECK(c[0].high == 36620.00);
    CHECK(c[0].low == 36480.50);
    CHECK(c[0].close == 36600.00);
    CHECK(c[0].volume == 812.345);
    CHECK(c[0].close_time_ms == 1700003599999);
    CHECK(c[0].quote_volume == 29700000.12);
    CHECK(c[1].close == 36555.50);
}

TEST_CASE("parse_klines accepts plain JSON numbers and 8-field rows", "[candle]") {
    auto c = parse_klines("[[1000, 10, 12.5, 9, 11, 5, 1999, 55]]");
    REQUIRE(c.size() == 1);
    CHECK(c[0].high == 12.5);
    CHECK(c[0].quote_volume == 55);
    CHECK(parse_klines("[]").empty());
}

TEST_CASE("parse_klines rejects documents that are not a klines array", "[candle]") {
    CHECK_THAT(error_of("[[1000,"), Contains("not valid JSON"));
    CHECK_THAT(error_of(R"({"code":-1121,"msg":"Invalid symbol."})"), Contains("must be a JSON array"));
    CHECK_THAT(error_of("[[1000,\"1\",\"1\",\"1\",\"1\",\"1\",1999,\"1\"], 7]"),
               Contains("row 1: expected an array"));
}

TEST_CASE("parse_klines names the row when a row is too short", "[candle]") {
    CHECK_THAT(error_of(R"([[1000,"10","12","9","11"]])"), Contains("row 0: has 5 fields, need at least 8"));
}

TEST_CASE("parse_klines names row and field of a non-numeric value", "[candle]") {
    CHECK(error_of(row_with(4, "\"abc\"")) == "row 0, field 4 (close): \"abc\" is not a number");
    CHECK_THAT(error_of(row_with(2, "\"12abc\"")), Contains("row 0, field 2 (high)"));
    CHECK_THAT(error_of(row_with(1, "\"\"")), Contains("field 1 (open)"));
    CHECK_THAT(error_of(row_with(1, "\"nan\"")), Contains("not a finite number"));
    CHECK_THAT(error_of(row_with(5, "\"inf\"")),
               Contains("field 5 (volume): \"inf\" is not a finite number"));
}

TEST_CASE("parse_klines names row and field of a value of the wrong type", "[candle]") {
    CHECK_THAT(error_of(row_with(2, "true")), Contains("row 0, field 2 (high): expected a number"));
    CHECK_THAT(error_of(row_with(7, "null")), Contains("field 7 (quote volume): expected a number"));
    CHECK_THAT(error_of(row_with(0, "1.5")), Contains("field 0 (open time): expected an integer"));
    CHECK_THAT(error_of(row_with(6, "\"soon\"")), Contains("field 6 (close time)"));
}

TEST_CASE("parse_klines rejects candles that cannot exist", "[candle]") {
    CHECK_THAT(error_of(row_with(3, "\"13\"")), Contains("field 3 (low): low \"13\" is above high"));
    CHECK_THAT(error_of(row_with(4, "\"20\"")),
               Contains("field 4 (close): close \"20\" is outside [low, high]"));
    CHECK_THAT(error_of(row_with(5, "\"-1\"")), Contains("negative volume"));
    CHECK_THAT(error_of(row_with(6, "999")), Contains("close time is before the open time"));
}

TEST_CASE("parse_klines rejects open times that do not strictly increase", "[candle]") {
    const std::string a = R"([1000,"10","12","9","11","5",1999,"55"])";
    const std::string b = R"([2000,"10","12","9","11","5",2999,"55"])";
    CHECK_THAT(error_of("[" + a + "," + b + "," + b + "]"),
               Contains("row 2, field 0 (open time): open time 2000 does not increase (row 1 has 2000)"));
    CHECK_THAT(error_of("[" + b + "," + a + "]"), Contains("row 1, field 0"));
}
