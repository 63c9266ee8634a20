// Decimal: exact fixed-point money (prices, quantities, balances, PnL) with 18 fractional digits, the same
// range as the database's DECIMAL(36,18). Binary floating point never touches the money path.
#pragma once

#include <compare>
#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>

namespace tradingd::money {

// How a result that needs more than 18 fractional digits (or a step) is brought back onto the grid.
enum class Rounding {
    down,       // toward zero: 1.29 -> 1.2, -1.29 -> -1.2
    up,         // away from zero: 1.21 -> 1.3, -1.21 -> -1.3
    half_even,  // to nearest, ties to the even neighbour (banker's rounding): 0.25 -> 0.2, 0.35 -> 0.4
};

enum class ParseError {
    empty,
    syntax,                    // anything but [-]digits[.digits]: exponents, spaces, '+', ',', "1.", ".5"
    too_many_fraction_digits,  // a nonzero digit after the 18th; use try_parse_rounded to accept it
    out_of_range,              // more than 18 integer digits
};
std::string_view describe(ParseError error);

class Decimal;

// The outcome of parsing untrusted text: a value, or why there is none.
struct ParseResult;

class Decimal {
  public:
    using Raw = __int128;
    static constexpr int kFractionDigits = 18;
    static constexpr Raw kOne = 1'000'000'000'000'000'000;  // 10^18
    // DECIMAL(36,18): at most 18 integer digits, so |raw| < 10^36.
    static constexpr Raw kMaxRaw = kOne * kOne - 1;

    constexpr Decimal() = default;

    // Throws std::overflow_error when |raw| exceeds kMaxRaw.
    static Decimal from_raw(Raw raw);
    // Throws std::overflow_error for |value| >= 10^18.
    static Decimal from_int(std::int64_t value);

    // Exact: rejects anything that would need rounding (see ParseError).
    static ParseResult try_parse(std::string_view text);
    // Accepts any number of fractional digits and rounds them to 18 with `mode`.
    static ParseResult try_parse_rounded(std::string_view text, Rounding mode);
    // try_parse for trusted text (config defaults, tests); throws std::invalid_argument with the reason.
    static Decimal parse(std::string_view text);

    // For turning a computed size (a double from indicator maths) into money, explicitly: the shortest text
    // that reads back as `value` ("0.29", not 0.28999999999999998) is rounded to `digits` fractional digits.
    // Throws std::invalid_argument for NaN/infinity or digits outside [0, 18], std::overflow_error past
    // range.
    static Decimal from_double_rounded(double value, int digits, Rounding mode);

    static constexpr Decimal max() { return Decimal(kMaxRaw); }
    static constexpr Decimal min() { return Decimal(-kMaxRaw); }

    constexpr Raw raw() const { return raw_; }
    constexpr bool is_zero() const { return raw_ == 0; }
    constexpr bool is_negative() const { return raw_ < 0; }
    constexpr bool is_positive() const { return raw_ > 0; }
    constexpr Decimal abs() const { return Decimal(raw_ < 0 ? -raw_ : raw_); }

    // Shortest exact text: "0.001", "-12.5", "0". parse(to_string()) gives the same value back.
    std::string to_string() const;
    // For indicators and charts only: may lose digits, never feed the result back into an order.
    double to_double() const;

    constexpr auto operator<=>(const Decimal&) const = default;

    // Exact; throw std::overflow_error rather than wrap.
    Decimal operator+(Decimal other) const;
    Decimal operator-(Decimal other) const;
    constexpr Decimal operator-() const { return Decimal(-raw_); }
    Decimal& operator+=(Decimal other) { return *this = *this + other; }
    Decimal& operator-=(Decimal other) { return *this = *this - other; }

    // Products and quotients usually need more than 18 digits, so the caller says how to round.
    // Throw std::overflow_error past range; div throws std::domain_error on a zero divisor.
    Decimal mul(Decimal other, Rounding mode) const;
    Decimal div(Decimal other, Rounding mode) const;

    // Snap to a grid of multiples of `step` (> 0, else std::invalid_argument), e.g. 0.001, 0.1 or 10.
    // floor: the largest multiple <= *this; ceil: the smallest multiple >= *this; round: nearest multiple
    // under `mode` (down/up are toward/away from zero, as everywhere in this type).
    Decimal floor_to_step(Decimal step) const;
    Decimal ceil_to_step(Decimal step) const;
    Decimal round_to_step(Decimal step, Rounding mode = Rounding::half_even) const;
    bool is_multiple_of(Decimal step) const;

  private:
    constexpr explicit Decimal(Raw raw) : raw_(raw) {}
    Raw raw_ = 0;
};

struct ParseResult {
    std::optional<Decimal> value;
    ParseError error = ParseError::syntax;  // meaningful only when value is empty

    explicit operator bool() const { return value.has_value(); }
    const Decimal& operator*() const { return *value; }
    const Decimal* operator->() const { return &*value; }
};

std::ostream& operator<<(std::ostream& out, const Decimal& value);
inline std::string to_string(const Decimal& value) {
    return value.to_string();
}

namespace literals {
// 1.5_dec / "0.001"_dec for constants in code and tests; bad text throws like Decimal::parse.
Decimal operator""_dec(const char* text, std::size_t length);
Decimal operator""_dec(const char* text);
}  // namespace literals

}  // namespace tradingd::money
