// Decimal arithmetic by example: the rounding modes, snapping to steps, and overflow that throws instead of
// wrapping into a wrong balance.
#include <catch2/catch.hpp>

#include "money/decimal.h"

using namespace tradingd::money;
using namespace tradingd::money::literals;

TEST_CASE("addition and subtraction are exact", "[money][arith]") {
    CHECK(("0.1"_dec + "0.2"_dec) == "0.3"_dec);
    CHECK(("43250.1"_dec - "43250.10000001"_dec).to_string() == "-0.00000001");
    CHECK((-"5"_dec).to_string() == "-5");
    Decimal balance = "100"_dec;
    balance -= "12.75"_dec;
    balance += "0.000000000000000001"_dec;
    CHECK(balance.to_string() == "87.250000000000000001");
}

TEST_CASE("arithmetic past 18 integer digits throws instead of wrapping", "[money][overflow]") {
    const Decimal ulp = "0.000000000000000001"_dec;
    CHECK_THROWS_AS(Decimal::max() + ulp, std::overflow_error);
    CHECK_THROWS_AS(Decimal::min() - ulp, std::overflow_error);
    CHECK_THROWS_AS(Decimal::max() - Decimal::min(), std::overflow_error);
    CHECK((Decimal::max() + Decimal::min()) == Decimal());
    CHECK(-Decimal::max() == Decimal::min());
    CHECK_THROWS_AS(Decimal::max().mul("1.000000000000000001"_dec, Rounding::down), std::overflow_error);
    CHECK_THROWS_AS(Decimal::max().mul(Decimal::max(), Rounding::down), std::overflow_error);
    CHECK_THROWS_AS("1000000000"_dec.mul("1000000000"_dec, Rounding::down), std::overflow_error);
    CHECK_THROWS_AS("1"_dec.div(ulp, Rounding::down), std::overflow_error);
    CHECK_THROWS_AS(Decimal::min().div("0.5"_dec, Rounding::down), std::overflow_error);
    CHECK_THROWS_AS(Decimal::min().floor_to_step("7"_dec), std::overflow_error);
    CHECK_THROWS_AS(Decimal::max().ceil_to_step("10"_dec), std::overflow_error);
    CHECK_THROWS_AS(Decimal::from_raw(Decimal::kMaxRaw + 1), std::overflow_error);
    // The largest products that still fit come out exact.
    CHECK("999999999.999999999"_dec.mul("999999999"_dec, Rounding::down).to_string() ==
          "999999998999999999.000000001");
    CHECK(Decimal::max().mul("1"_dec, Rounding::down) == Decimal::max());
    CHECK(Decimal::min().div("-1"_dec, Rounding::down) == Decimal::max());
}

TEST_CASE("multiplication rounds the 19th digit by the mode asked for", "[money][arith]") {
    // 0.000000000000000015 * 0.5 = 0.0000000000000000075: a tie at the last digit.
    const Decimal a = "0.000000000000000015"_dec;
    const Decimal half = "0.5"_dec;
    CHECK(a.mul(half, Rounding::down).to_string() == "0.000000000000000007");
    CHECK(a.mul(half, Rounding::up).to_string() == "0.000000000000000008");
    CHECK(a.mul(half, Rounding::half_even).to_string() == "0.000000000000000008");
    CHECK("0.000000000000000025"_dec.mul(half, Rounding::half_even).to_string() == "0.000000000000000012");
    CHECK((-a).mul(half, Rounding::down).to_string() == "-0.000000000000000007");
    CHECK((-a).mul(half, Rounding::up).to_string() == "-0.000000000000000008");
    CHECK(a.mul(-half, Rounding::half_even).to_string() == "-0.000000000000000008");
    // The usual money product: quantity times price.
    CHECK("0.003"_dec.mul("43250.1"_dec, Rounding::down).to_string() == "129.7503");
    CHECK("-2"_dec.mul("-1.5"_dec, Rounding::down).to_string() == "3");
}

TEST_CASE("division rounds toward zero, away from zero or half-even as asked", "[money][arith]") {
    const Decimal one = "1"_dec, three = "3"_dec;
    CHECK(one.div(three, Rounding::down).to_string() == "0.333333333333333333");
    CHECK(one.div(three, Rounding::up).to_string() == "0.333333333333333334");
    CHECK("2"_dec.div(three, Rounding::half_even).to_string() == "0.666666666666666667");
    CHECK((-one).div(three, Rounding::down).to_string() == "-0.333333333333333333");
    CHECK((-one).div(three, Rounding::up).to_string() == "-0.333333333333333334");
    CHECK("10"_dec.div("4"_dec, Rounding::down).to_string() == "2.5");
    CHECK("100"_dec.div("0.001"_dec, Rounding::down).to_string() == "100000");
    // Large divisors take the wide path; the answer must still be exact.
    CHECK("123456789012345678.9"_dec.div("123456789012345678.9"_dec, Rounding::down) == one);
    CHECK("1"_dec.div("400000000000000000"_dec, Rounding::half_even).to_string() == "0.000000000000000002");
    CHECK("1"_dec.div("400000000000000000"_dec, Rounding::up).to_string() == "0.000000000000000003");
    CHECK("1"_dec.div("666666666666666666"_dec, Rounding::half_even).to_string() == "0.000000000000000002");
    CHECK_THROWS_AS(one.div(Decimal(), Rounding::down), std::domain_error);
}

TEST_CASE("snapping to a step: floor, ceil and round", "[money][step]") {
    const Decimal x = "1.23456"_dec;
    CHECK(x.floor_to_step("0.001"_dec).to_string() == "1.234");
    CHECK(x.ceil_to_step("0.001"_dec).to_string() == "1.235");
    CHECK(x.round_to_step("0.001"_dec).to_string() == "1.235");
    CHECK(x.round_to_step("0.001"_dec, Rounding::down).to_string() == "1.234");
    CHECK("1234.5"_dec.floor_to_step("10"_dec).to_string() == "1230");
    CHECK("1234.5"_dec.ceil_to_step("10"_dec).to_string() == "1240");
    CHECK("1235"_dec.round_to_step("10"_dec).to_string() == "1240");  // tie: 124 is even
    CHECK("1225"_dec.round_to_step("10"_dec).to_string() == "1220");  // tie: 122 is even
    CHECK("0.37"_dec.floor_to_step("0.25"_dec).to_string() == "0.25");
    CHECK("0.1"_dec.floor_to_step("0.1"_dec).to_string() == "0.1");
    CHECK("0.0999"_dec.floor_to_step("0.1"_dec).to_string() == "0");

    // Floor and ceil follow the number line, so negatives move the other way from zero.
    CHECK("-1.23456"_dec.floor_to_step("0.001"_dec).to_string() == "-1.235");
    CHECK("-1.23456"_dec.ceil_to_step("0.001"_dec).to_string() == "-1.234");
    CHECK("-1.2345"_dec.round_to_step("0.001"_dec).to_string() == "-1.234");
    CHECK("-1.2345"_dec.round_to_step("0.001"_dec, Rounding::up).to_string() == "-1.235");

    CHECK("1.5"_dec.is_multiple_of("0.5"_dec));
    CHECK_FALSE("1.5"_dec.is_multiple_of("0.4"_dec));
    CHECK_THROWS_AS(x.floor_to_step(Decimal()), std::invalid_argument);
    CHECK_THROWS_AS(x.ceil_to_step("-0.1"_dec), std::invalid_argument);
    CHECK_THROWS_AS(x.round_to_step(Decimal()), std::invalid_argument);
}

TEST_CASE("comparisons follow the number line across signs and scales", "[money][compare]") {
    CHECK("-1"_dec < "-0.999999999999999999"_dec);
    CHECK("-0.000000000000000001"_dec < Decimal());
    CHECK("0.1"_dec > "0.099999999999999999"_dec);
    CHECK("10"_dec > "9.999"_dec);
    CHECK("5.00"_dec == "5"_dec);
    CHECK(Decimal::min() < Decimal::max());
    CHECK("-3"_dec.abs() == "3"_dec);
    CHECK("-3"_dec.is_negative());
    CHECK("3"_dec.is_positive());
    CHECK(Decimal().is_zero());
}
