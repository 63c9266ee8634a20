// Decimal properties over thousands of values from a fixed-seed generator, so a failure reproduces exactly:
// text round trips, step snapping, arithmetic inverses, rounding brackets and ordering.
#include <catch2/catch.hpp>

#include <random>
#include <vector>

#include "money/decimal.h"

using namespace tradingd::money;
using namespace tradingd::money::literals;

namespace {

constexpr int kCases = 5000;

__int128 pow10(int n) {
    __int128 v = 1;
    while (n-- > 0) v *= 10;
    return v;
}

// Values with a random count of integer and fractional digits, so that tiny, huge, short and full-precision
// numbers are all common rather than drowned out by uniformly random 36-digit ones.
class DecimalGen {
  public:
    explicit DecimalGen(std::uint64_t seed) : rng_(seed) {}

    Decimal next(int max_int_digits = 18, int max_frac_digits = 18, bool allow_negative = true) {
        const int int_digits = pick(0, max_int_digits);
        const int frac_digits = pick(0, max_frac_digits);
        const __int128 int_part = digits(int_digits);
        const __int128 frac_part = digits(frac_digits) * pow10(18 - frac_digits);
        __int128 raw = int_part * Decimal::kOne + frac_part;
        if (allow_negative && pick(0, 1) == 1) raw = -raw;
        return Decimal::from_raw(raw);
    }
    Decimal nonzero(int max_int_digits, int max_frac_digits, bool allow_negative = true) {
        for (;;) {
            const Decimal d = next(max_int_digits, max_frac_digits, allow_negative);
            if (!d.is_zero()) return d;
        }
    }
    int pick(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }

  private:
    __int128 digits(int n) {
        __int128 v = 0;
        for (int i = 0; i < n; ++i) v = v * 10 + pick(0, 9);
        return v;
    }
    std::mt19937_64 rng_;
};

const std::vector<Decimal>& typical_steps() {
    static const std::vector<Decimal> steps = {
        "0.001"_dec,  "0.1"_dec,    "10"_dec,         "1"_dec,
        "0.25"_dec,   "5"_dec,      "0.00000001"_dec, "0.000000000000000001"_dec,
        "0.0005"_dec, "100000"_dec, "0.3"_dec};
    return steps;
}

}  // namespace

TEST_CASE("property: format then parse gives back the same value", "[money][property]") {
    DecimalGen gen(20240601);
    for (int i = 0; i < kCases; ++i) {
        const Decimal x = gen.next();
        const std::string text = x.to_string();
        INFO(text);
        auto back = Decimal::try_parse(text);
        REQUIRE(back);
        REQUIRE(*back == x);
        // Shortest form: no trailing fractional zero, no leading zero before a nonzero integer digit.
        if (text.find('.') != std::string::npos) REQUIRE(text.back() != '0');
        const std::size_t digits_start = text[0] == '-' ? 1 : 0;
        if (text.size() > digits_start + 1 && text[digits_start + 1] != '.')
            REQUIRE(text[digits_start] != '0');
    }
}

TEST_CASE("property: floor_to_step is a multiple of the step, at most x, and within one step",
          "[money][property]") {
    DecimalGen gen(7);
    for (int i = 0; i < kCases; ++i) {
        const Decimal x = gen.next(17, 18);
        for (const Decimal& step : typical_steps()) {
            INFO(x << " step " << step);
            const Decimal f = x.floor_to_step(step);
            REQUIRE(f.is_multiple_of(step));
            REQUIRE(f <= x);
            REQUIRE(x - f < step);

            const Decimal c = x.ceil_to_step(step);
            REQUIRE(c.is_multiple_of(step));
            REQUIRE(c >= x);
            REQUIRE(c - x < step);

            const Decimal r = x.round_to_step(step);
            REQUIRE(r.is_multiple_of(step));
            REQUIRE((r == f || r == c));
            const Decimal twice_distance = (x - r).abs() + (x - r).abs();
            REQUIRE(twice_distance <= step);

            const Decimal toward_zero = x.round_to_step(step, Rounding::down);
            REQUIRE(toward_zero.abs() <= x.abs());
            REQUIRE(toward_zero == (x.is_negative() ? c : f));
        }
    }
}

TEST_CASE("property: adding then subtracting the same value is the identity", "[money][property]") {
    DecimalGen gen(11);
    for (int i = 0; i < kCases; ++i) {
        const Decimal a = gen.next(17, 18), b = gen.next(17, 18);
        INFO(a << " and " << b);
        REQUIRE((a + b) - b == a);
        REQUIRE(a - b == -(b - a));
        REQUIRE(a + b == b + a);
    }
}

TEST_CASE("property: an exact product divided by its factor gives the other factor", "[money][property]") {
    DecimalGen gen(13);
    for (int i = 0; i < kCases; ++i) {
        // Nine fractional digits each keep the product within 18, so no mode needs to round it.
        const Decimal a = gen.next(8, 9);
        const Decimal b = gen.nonzero(8, 9);
        INFO(a << " times " << b);
        const Decimal p = a.mul(b, Rounding::down);
        REQUIRE(p == a.mul(b, Rounding::up));
        REQUIRE(p == b.mul(a, Rounding::half_even));
        REQUIRE(p.div(b, Rounding::down) == a);
        REQUIRE(p.div(b, Rounding::up) == a);
        REQUIRE(p.div(b, Rounding::half_even) == a);
    }
}

TEST_CASE("property: rounding modes bracket the exact result one unit apart", "[money][property]") {
    DecimalGen gen(17);
    const Decimal ulp = Decimal::from_raw(1);
    for (int i = 0; i < kCases; ++i) {
        const Decimal a = gen.next(12, 18);
        const Decimal b = gen.nonzero(5, 6);
        INFO(a << " and " << b);
        for (const bool dividing : {false, true}) {
            const auto op = [&](Rounding m) { return dividing ? a.div(b, m) : a.mul(b, m); };
            const Decimal down = op(Rounding::down), up = op(Rounding::up), even = op(Rounding::half_even);
            REQUIRE(down.abs() <= up.abs());
            REQUIRE(up.abs() - down.abs() <= ulp);
            REQUIRE((even == down || even == up));
            // Signs follow the operands, as on paper.
            if (!down.is_zero()) REQUIRE(down.is_negative() == (a.is_negative() != b.is_negative()));
        }
    }
}

TEST_CASE("property: ordering agrees with the numeric value", "[money][property]") {
    DecimalGen gen(19);
    for (int i = 0; i < kCases; ++i) {
        const Decimal a = gen.next(), b = gen.next();
        INFO(a << " vs " << b);
        // Doubles are monotonic: a strictly smaller double means a strictly smaller value, and vice versa
        // the decimal order can never contradict the double order.
        if (a.to_double() < b.to_double()) REQUIRE(a < b);
        if (a < b) REQUIRE(a.to_double() <= b.to_double());
        REQUIRE((a < b) == (b > a));
        REQUIRE((a == b) == (a.to_string() == b.to_string()));
        // b - a only fits when both are below half the range.
        const Decimal half = Decimal::from_int(500'000'000'000'000'000);
        if (a.abs() < half && b.abs() < half) REQUIRE((a < b) == (b - a).is_positive());
        REQUIRE((-a < -b) == (b < a));
    }
}

TEST_CASE("property: values next to each other on the 10^-18 grid keep their order", "[money][property]") {
    DecimalGen gen(23);
    const Decimal ulp = Decimal::from_raw(1);
    for (int i = 0; i < kCases; ++i) {
        const Decimal x = gen.next(17, 18);
        INFO(x);
        REQUIRE(x < x + ulp);
        REQUIRE(x - ulp < x);
        REQUIRE((x + ulp).to_string() != x.to_string());
    }
}
