// Decimal arithmetic: products and quotients go through a 256-bit intermediate so that nothing wraps, and
// every digit dropped is dropped by the caller's rounding mode.
#include "money/decimal.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <ostream>
#include <stdexcept>

namespace tradingd::money {

namespace {

using u128 = unsigned __int128;
using u64 = std::uint64_t;

struct U256 {
    u128 hi = 0;
    u128 lo = 0;
};

U256 mul_wide(u128 a, u128 b) {
    const u128 a0 = static_cast<u64>(a), a1 = a >> 64;
    const u128 b0 = static_cast<u64>(b), b1 = b >> 64;
    const u128 p00 = a0 * b0, p01 = a0 * b1, p10 = a1 * b0, p11 = a1 * b1;
    // Each term is below 2^64, so the sum of three cannot overflow 128 bits.
    const u128 mid = (p00 >> 64) + static_cast<u64>(p01) + static_cast<u64>(p10);
    U256 r;
    r.lo = static_cast<u64>(p00) | (mid << 64);
    r.hi = p11 + (p01 >> 64) + (p10 >> 64) + (mid >> 64);
    return r;
}

struct DivMod {
    U256 quotient;
    u128 remainder = 0;
};

DivMod divmod(U256 n, u128 d) {
    DivMod out;
    if (n.hi == 0) {
        out.quotient.lo = n.lo / d;
        out.remainder = n.lo % d;
        return out;
    }
    // Schoolbook binary long division; only division by a large value reaches here, which is rare.
    u128 r = 0;
    for (int i = 255; i >= 0; --i) {
        const u128 bit = i >= 128 ? (n.hi >> (i - 128)) & 1 : (n.lo >> i) & 1;
        const bool carry = (r >> 127) != 0;
        r = (r << 1) | bit;
        if (carry || r >= d) {
            r -= d;
            if (i >= 128) {
                out.quotient.hi |= u128{1} << (i - 128);
            } else {
                out.quotient.lo |= u128{1} << i;
            }
        }
    }
    out.remainder = r;
    return out;
}

// Rounds the magnitude quotient + remainder/d to an integer. Rounding is symmetric in sign, so working on
// magnitudes makes `down` toward zero and `up` away from zero for negative results too.
U256 round_magnitude(DivMod qr, u128 d, Rounding mode) {
    bool bump = false;
    if (qr.remainder != 0) {
        switch (mode) {
            case Rounding::down:
                break;
            case Rounding::up:
                bump = true;
                break;
            case Rounding::half_even: {
                const u128 rest = d - qr.remainder;
                bump = qr.remainder > rest || (qr.remainder == rest && (qr.quotient.lo & 1) != 0);
                break;
            }
        }
    }
    U256 q = qr.quotient;
    if (bump && ++q.lo == 0) ++q.hi;
    return q;
}

u128 magnitude(Decimal::Raw raw) {
    return raw < 0 ? static_cast<u128>(-raw) : static_cast<u128>(raw);
}

Decimal from_magnitude(U256 mag, bool negative, const char* what) {
    if (mag.hi != 0 || mag.lo > static_cast<u128>(Decimal::kMaxRaw)) {
        throw std::overflow_error(std::string("decimal overflow in ") + what);
    }
    const auto raw = static_cast<Decimal::Raw>(mag.lo);
    return Decimal::from_raw(negative ? -raw : raw);
}

constexpr u128 pow10(int n) {
    u128 v = 1;
    while (n-- > 0) v *= 10;
    return v;
}

bool is_digit(char c) {
    return c >= '0' && c <= '9';
}

ParseResult failure(ParseError error) {
    return ParseResult{std::nullopt, error};
}

// Parses [-]digits[.digits], keeping `digits` fractional digits. Without a mode, a nonzero digit past those
// is an error; with one, it is rounded from the full text in one step (no double rounding).
ParseResult parse_impl(std::string_view text, int digits, std::optional<Rounding> mode) {
    if (text.empty()) return failure(ParseError::empty);
    std::size_t pos = 0;
    const bool negative = text[0] == '-';
    if (negative) ++pos;

    const std::size_t int_begin = pos;
    while (pos < text.size() && is_digit(text[pos])) ++pos;
    const std::string_view int_part = text.substr(int_begin, pos - int_begin);
    if (int_part.empty()) return failure(ParseError::syntax);

    std::string_view frac_part;
    if (pos < text.size()) {
        if (text[pos] != '.') return failure(ParseError::syntax);
        const std::size_t frac_begin = ++pos;
        while (pos < text.size() && is_digit(text[pos])) ++pos;
        frac_part = text.substr(frac_begin, pos - frac_begin);
        if (frac_part.empty() || pos != text.size()) return failure(ParseError::syntax);
    }

    const std::size_t first_significant = int_part.find_first_not_of('0');
    const std::string_view significant =
        first_significant == std::string_view::npos ? std::string_view{} : int_part.substr(first_significant);
    if (significant.size() > 18) return failure(ParseError::out_of_range);

    u128 mag = 0;
    for (char c : significant) mag = mag * 10 + static_cast<u128>(c - '0');
    mag *= static_cast<u128>(Decimal::kOne);

    const std::size_t kept = std::min<std::size_t>(frac_part.size(), static_cast<std::size_t>(digits));
    for (std::size_t i = 0; i < kept; ++i) {
        mag += static_cast<u128>(frac_part[i] - '0') * pow10(17 - static_cast<int>(i));
    }

    const std::string_view dropped = frac_part.substr(kept);
    if (dropped.find_first_not_of('0') != std::string_view::npos) {
        if (!mode) return failure(ParseError::too_many_fraction_digits);
        const u128 unit = pow10(Decimal::kFractionDigits - digits);
        bool bump = false;
        switch (*mode) {
            case Rounding::down:
                break;
            case Rounding::up:
                bump = true;
                break;
            case Rounding::half_even: {
                const char first = dropped[0];
                const bool sticky = dropped.substr(1).find_first_not_of('0') != std::string_view::npos;
                const bool odd = (mag / unit) % 2 == 1;
                bump = first > '5' || (first == '5' && (sticky || odd));
                break;
            }
        }
        if (bump) mag += unit;
    }

    if (mag > static_cast<u128>(Decimal::kMaxRaw)) return failure(ParseError::out_of_range);
    const auto raw = static_cast<Decimal::Raw>(mag);
    return ParseResult{Decimal::from_raw(negative ? -raw : raw), ParseError::syntax};
}

}  // namespace

std::string_view describe(ParseError error) {
    switch (error) {
        case ParseError::empty:
            return "empty text";
        case ParseError::syntax:
            return "not a plain decimal number (digits, an optional leading '-' and at most one '.' with "
                   "digits on both sides; no exponent, spaces or '+')";
        case ParseError::too_many_fraction_digits:
            return "more than 18 digits after the decimal point";
        case ParseError::out_of_range:
            return "more than 18 digits before the decimal point";
    }
    return "unknown parse error";
}

Decimal Decimal::from_raw(Raw raw) {
    if (raw > kMaxRaw || raw < -kMaxRaw) throw std::overflow_error("decimal out of range");
    return Decimal(raw);
}

Decimal Decimal::from_int(std::int64_t value) {
    if (value >= 1'000'000'000'000'000'000 || value <= -1'000'000'000'000'000'000) {
        throw std::overflow_error("decimal out of range: " + std::to_string(value));
    }
    return Decimal(static_cast<Raw>(value) * kOne);
}

ParseResult Decimal::try_parse(std::string_view text) {
    return parse_impl(text, kFractionDigits, std::nullopt);
}

ParseResult Decimal::try_parse_rounded(std::string_view text, Rounding mode) {
    return parse_impl(text, kFractionDigits, mode);
}

Decimal Decimal::parse(std::string_view text) {
    auto result = try_parse(text);
    if (!result) {
        const std::string shown =
            text.size() > 64 ? std::string(text.substr(0, 64)) + "..." : std::string(text);
        throw std::invalid_argument("\"" + shown +
                                    "\" is not a valid decimal: " + std::string(describe(result.error)));
    }
    return *result;
}

Decimal Decimal::from_double_rounded(double value, int digits, Rounding mode) {
    if (!std::isfinite(value)) throw std::invalid_argument("cannot turn NaN or infinity into a decimal");
    if (digits < 0 || digits > kFractionDigits) {
        throw std::invalid_argument("decimal digits must be within [0, 18], got " + std::to_string(digits));
    }
    if (std::fabs(value) >= 1e18) throw std::overflow_error("decimal out of range: " + std::to_string(value));
    // Shortest round-trip text in fixed notation: the smallest subnormal needs ~330 characters.
    char buf[400];
    const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value, std::chars_format::fixed);
    if (ec != std::errc()) throw std::invalid_argument("cannot format double");
    auto result = parse_impl(std::string_view(buf, static_cast<std::size_t>(end - buf)), digits, mode);
    if (!result) throw std::overflow_error("decimal out of range after rounding: " + std::to_string(value));
    return *result;
}

std::string Decimal::to_string() const {
    const u128 mag = magnitude(raw_);
    const auto int_part = static_cast<u64>(mag / static_cast<u128>(kOne));
    auto frac_part = static_cast<u64>(mag % static_cast<u128>(kOne));
    std::string out = raw_ < 0 ? "-" : "";
    out += std::to_string(int_part);
    if (frac_part != 0) {
        char digits[18];
        for (int i = 17; i >= 0; --i) {
            digits[i] = static_cast<char>('0' + frac_part % 10);
            frac_part /= 10;
        }
        int length = 18;
        while (digits[length - 1] == '0') --length;
        out += '.';
        out.append(digits, static_cast<std::size_t>(length));
    }
    return out;
}

double Decimal::to_double() const {
    return static_cast<double>(raw_) / 1e18;
}

Decimal Decimal::operator+(Decimal other) const {
    // Both operands are below 10^36 in magnitude, so the int128 sum itself cannot wrap.
    const Raw sum = raw_ + other.raw_;
    if (sum > kMaxRaw || sum < -kMaxRaw) throw std::overflow_error("decimal overflow in addition");
    return Decimal(sum);
}

Decimal Decimal::operator-(Decimal other) const {
    return *this + -other;
}

Decimal Decimal::mul(Decimal other, Rounding mode) const {
    const bool negative = (raw_ < 0) != (other.raw_ < 0);
    const DivMod qr = divmod(mul_wide(magnitude(raw_), magnitude(other.raw_)), static_cast<u128>(kOne));
    return from_magnitude(round_magnitude(qr, static_cast<u128>(kOne), mode), negative, "multiplication");
}

Decimal Decimal::div(Decimal other, Rounding mode) const {
    if (other.raw_ == 0) throw std::domain_error("decimal division by zero");
    const bool negative = (raw_ < 0) != (other.raw_ < 0);
    const u128 divisor = magnitude(other.raw_);
    const DivMod qr = divmod(mul_wide(magnitude(raw_), static_cast<u128>(kOne)), divisor);
    return from_magnitude(round_magnitude(qr, divisor, mode), negative, "division");
}

namespace {
void require_positive_step(Decimal step) {
    if (!step.is_positive()) throw std::invalid_argument("step must be positive, got " + step.to_string());
}
}  // namespace

Decimal Decimal::floor_to_step(Decimal step) const {
    require_positive_step(step);
    Raw q = raw_ / step.raw_;
    if (raw_ % step.raw_ != 0 && raw_ < 0) --q;
    return from_raw(q * step.raw_);
}

Decimal Decimal::ceil_to_step(Decimal step) const {
    require_positive_step(step);
    Raw q = raw_ / step.raw_;
    if (raw_ % step.raw_ != 0 && raw_ > 0) ++q;
    return from_raw(q * step.raw_);
}

Decimal Decimal::round_to_step(Decimal step, Rounding mode) const {
    require_positive_step(step);
    const u128 s = static_cast<u128>(step.raw_);
    const u128 mag = magnitude(raw_);
    const U256 q = round_magnitude(DivMod{U256{0, mag / s}, mag % s}, s, mode);
    // q * s is at most |x| + s < 2 * 10^36, which fits; the range check is from_magnitude's.
    return from_magnitude(U256{0, q.lo * s}, raw_ < 0, "rounding to step");
}

bool Decimal::is_multiple_of(Decimal step) const {
    require_positive_step(step);
    return raw_ % step.raw_ == 0;
}

std::ostream& operator<<(std::ostream& out, const Decimal& value) {
    return out << value.to_string();
}

namespace literals {
Decimal operator""_dec(const char* text, std::size_t length) {
    return Decimal::parse({text, length});
}
Decimal operator""_dec(const char* text) {
    return Decimal::parse(text);
}
}  // namespace literals

}  // namespace tradingd::money
