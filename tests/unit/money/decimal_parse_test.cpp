// Decimal text in and out: what the exchange and the database send us is read exactly or refused with a
// reason; what we send back is the shortest exact text.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <sstream>

#include "money/decimal.h"

using namespace tradingd::money;
using namespace tradingd::money::literals;

namespace {

ParseError error_of(std::string_view text) {
    auto r = Decimal::try_parse(text);
    REQUIRE_FALSE(r);
    return r.error;
}

std::string roundtrip(std::string_view text) {
    return Decimal::parse(text).to_string();
}

}  // namespace

TEST_CASE("Binance's padded strings parse to the shortest exact text", "[money][parse]") {
    CHECK(roundtrip("0.00100000") == "0.001");
    CHECK(roundtrip("-12.5") == "-12.5");
    CHECK(roundtrip("43250.10") == "43250.1");
    CHECK(roundtrip("5.0") == "5");
    CHECK(roundtrip("0") == "0");
    CHECK(roundtrip("0.00000000") == "0");
    CHECK(roundtrip("0001.50") == "1.5");
    CHECK(roundtrip("10") == "10");
    CHECK(roundtrip("0.000000000000000001") == "0.000000000000000001");
}

TEST_CASE("negative zero reads and prints as plain zero", "[money][parse]") {
    for (auto text : {"-0", "-0.0", "-0.000000000000000000", "-000"}) {
        INFO(text);
        const Decimal d = Decimal::parse(text);
        CHECK(d == Decimal());
        CHECK_FALSE(d.is_negative());
        CHECK(d.to_string() == "0");
    }
    CHECK(Decimal::from_double_rounded(-0.0, 8, Rounding::half_even).to_string() == "0");
    CHECK(Decimal::try_parse_rounded("-0.0000000000000000001", Rounding::down)->to_string() == "0");
}

TEST_CASE("exponents, spaces, signs and stray characters are refused as syntax errors", "[money][parse]") {
    for (auto text :
         {"1e-5", "1E5", "1.5e3", " 1",   "1 ",   "1 000", "+1", "--1", "-",   ".5",   "1.", "1.2.3",
          "12,5", "NaN", "inf",   "-inf", "0x10", "1_000", "１", "1\n", "\t2", "0.1f", "1/2"}) {
        INFO('"' << text << '"');
        CHECK(error_of(text) == ParseError::syntax);
    }
    CHECK(error_of("") == ParseError::empty);
}

TEST_CASE("more than 18 fractional digits is refused unless a rounding parse is asked for",
          "[money][parse]") {
    CHECK(error_of("0.1234567890123456789") == ParseError::too_many_fraction_digits);
    CHECK(error_of("-1.0000000000000000001") == ParseError::too_many_fraction_digits);
    // Extra zeros lose nothing, so exact text with long padding is still exact.
    CHECK(roundtrip("0.1000000000000000000000") == "0.1");

    const std::string_view long_text = "0.1234567890123456785";
    CHECK(Decimal::try_parse_rounded(long_text, Rounding::down)->to_string() == "0.123456789012345678");
    CHECK(Decimal::try_parse_rounded(long_text, Rounding::up)->to_string() == "0.123456789012345679");
    // ...785 is a tie at the 18th digit: half-even keeps the even 8.
    CHECK(Decimal::try_parse_rounded(long_text, Rounding::half_even)->to_string() == "0.123456789012345678");
    CHECK(Decimal::try_parse_rounded("0.12345678901234567851", Rounding::half_even)->to_string() ==
          "0.123456789012345679");
    CHECK(Decimal::try_parse_rounded("-0.1234567890123456789", Rounding::up)->to_string() ==
          "-0.123456789012345679");
}

TEST_CASE("more than 18 integer digits is out of range, also when rounding carries into it",
          "[money][parse]") {
    CHECK(roundtrip("999999999999999999.999999999999999999") == "999999999999999999.999999999999999999");
    CHECK(roundtrip("-999999999999999999.999999999999999999") == "-999999999999999999.999999999999999999");
    CHECK(error_of("1000000000000000000") == ParseError::out_of_range);
    CHECK(error_of("-1000000000000000000.5") == ParseError::out_of_range);
    CHECK(roundtrip("000000000000000000001") == "1");  // leading zeros are not digits of the value
    auto carried = Decimal::try_parse_rounded("999999999999999999.9999999999999999999", Rounding::up);
    REQUIRE_FALSE(carried);
    CHECK(carried.error == ParseError::out_of_range);
}

TEST_CASE("the throwing parse names the text and the reason", "[money][parse]") {
    try {
        Decimal::parse("1e-5");
        FAIL("parse accepted an exponent");
    } catch (const std::invalid_argument& e) {
        const std::string what = e.what();
        CHECK(what.find("\"1e-5\"") != std::string::npos);
        CHECK(what.find("no exponent") != std::string::npos);
    }
    CHECK_THROWS_AS("12.5.1"_dec, std::invalid_argument);
    CHECK("0.001"_dec == Decimal::parse("0.001"));
    CHECK(2.5_dec == Decimal::parse("2.5"));
}

TEST_CASE("a computed double becomes money only through an explicit digit count and rounding",
          "[money][double]") {
    // 0.29 is stored as 0.28999999999999998; rounding its shortest text keeps what the caller meant.
    CHECK(Decimal::from_double_rounded(0.29, 2, Rounding::down).to_string() == "0.29");
    CHECK(Decimal::from_double_rounded(0.1 + 0.2, 2, Rounding::down).to_string() == "0.3");
    CHECK(Decimal::from_double_rounded(0.1 + 0.2, 2, Rounding::up).to_string() == "0.31");
    CHECK(Decimal::from_double_rounded(1.23456789, 3, Rounding::down).to_string() == "1.234");
    CHECK(Decimal::from_double_rounded(1.23456789, 3, Rounding::up).to_string() == "1.235");
    CHECK(Decimal::from_double_rounded(-1.23456789, 3, Rounding::down).to_string() == "-1.234");
    CHECK(Decimal::from_double_rounded(2.5, 0, Rounding::half_even).to_string() == "2");
    CHECK(Decimal::from_double_rounded(3.5, 0, Rounding::half_even).to_string() == "4");
    CHECK(Decimal::from_double_rounded(1e-30, 18, Rounding::up).to_string() == "0.000000000000000001");
    CHECK(Decimal::from_double_rounded(123456.0, 0, Rounding::down).to_string() == "123456");

    CHECK_THROWS_AS(Decimal::from_double_rounded(std::nan(""), 2, Rounding::down), std::invalid_argument);
    CHECK_THROWS_AS(Decimal::from_double_rounded(std::numeric_limits<double>::infinity(), 2, Rounding::down),
                    std::invalid_argument);
    CHECK_THROWS_AS(Decimal::from_double_rounded(1.0, 19, Rounding::down), std::invalid_argument);
    CHECK_THROWS_AS(Decimal::from_double_rounded(1.0, -1, Rounding::down), std::invalid_argument);
    CHECK_THROWS_AS(Decimal::from_double_rounded(1e18, 0, Rounding::down), std::overflow_error);
    CHECK_THROWS_AS(Decimal::from_double_rounded(-2e20, 0, Rounding::down), std::overflow_error);
}

TEST_CASE("to_double gives the nearest double for indicator maths", "[money][double]") {
    CHECK("0.1"_dec.to_double() == 0.1);
    CHECK("-12.5"_dec.to_double() == -12.5);
    CHECK("43250.1"_dec.to_double() == 43250.1);
    CHECK(Decimal().to_double() == 0.0);
    CHECK(Decimal::max().to_double() == Approx(1e18));
}

TEST_CASE("integers convert exactly within 18 digits", "[money][parse]") {
    CHECK(Decimal::from_int(125).to_string() == "125");
    CHECK(Decimal::from_int(-7).to_string() == "-7");
    CHECK(Decimal::from_int(999'999'999'999'999'999).to_string() == "999999999999999999");
    CHECK_THROWS_AS(Decimal::from_int(1'000'000'000'000'000'000), std::overflow_error);
    CHECK_THROWS_AS(Decimal::from_int(std::numeric_limits<std::int64_t>::min()), std::overflow_error);
}

TEST_CASE("streaming a decimal writes its text", "[money][parse]") {
    std::ostringstream out;
    out << "-0.0500"_dec;
    CHECK(out.str() == "-0.05");
}
