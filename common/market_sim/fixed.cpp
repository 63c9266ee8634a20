// Exact decimal parsing and formatting for the fake exchange's prices, quantities and money fields.
#include "market_sim/fixed.h"

#include <cmath>
#include <cstdio>

namespace tradingd::market_sim {

std::optional<ParsedDecimal> parse_decimal(std::string_view text) {
    if (text.empty()) return std::nullopt;
    bool negative = false;
    size_t i = 0;
    if (text[0] == '-') {
        negative = true;
        i = 1;
    }
    Fx whole = 0, frac = 0;
    int decimals = 0, int_digits = 0;
    bool point = false;
    for (; i < text.size(); ++i) {
        char c = text[i];
        if (c == '.') {
            if (point) return std::nullopt;
            point = true;
            continue;
        }
        if (c < '0' || c > '9') return std::nullopt;
        if (!point) {
            if (++int_digits > 11) return std::nullopt;  // 1e11 * 1e8 still fits in int64
            whole = whole * 10 + (c - '0');
        } else {
            if (++decimals > kFxDecimals) return std::nullopt;
            frac = frac * 10 + (c - '0');
        }
    }
    if (int_digits == 0 && decimals == 0) return std::nullopt;
    for (int d = decimals; d < kFxDecimals; ++d) frac *= 10;
    Fx v = whole * kFxOne + frac;
    return ParsedDecimal{negative ? -v : v, decimals};
}

std::string fx_fixed(Fx v, int decimals) {
    if (decimals < 0) decimals = 0;
    if (decimals > kFxDecimals) decimals = kFxDecimals;
    Fx div = 1;
    for (int d = decimals; d < kFxDecimals; ++d) div *= 10;
    bool negative = v < 0;
    Fx a = negative ? -v : v;
    a = (a + div / 2) / div;  // round half up at the requested precision
    Fx scale = 1;
    for (int d = 0; d < decimals; ++d) scale *= 10;
    char buf[48];
    if (decimals == 0)
        std::snprintf(buf, sizeof buf, "%s%lld", negative && a ? "-" : "", static_cast<long long>(a));
    else
        std::snprintf(buf, sizeof buf, "%s%lld.%0*lld", negative && a ? "-" : "",
                      static_cast<long long>(a / scale), decimals, static_cast<long long>(a % scale));
    return buf;
}

std::string fx_str(Fx v) {
    std::string s = fx_fixed(v, kFxDecimals);
    while (!s.empty() && s.back() == '0') s.pop_back();
    if (!s.empty() && s.back() == '.') s.pop_back();
    return s == "-0" ? "0" : s;
}

double fx_to_double(Fx v) {
    return static_cast<double>(v) / static_cast<double>(kFxOne);
}

Fx fx_from_double(double v, Fx step, Round mode) {
    if (step <= 0) step = 1;
    double units = v * static_cast<double>(kFxOne) / static_cast<double>(step);
    // A small epsilon keeps 0.1+0.2 style noise from pushing an exact multiple to the next step.
    double n = mode == Round::Down ? std::floor(units + 1e-9)
               : mode == Round::Up ? std::ceil(units - 1e-9)
                                   : std::round(units);
    return static_cast<Fx>(n) * step;
}

int step_decimals(Fx step) {
    int d = kFxDecimals;
    while (d > 0 && step % 10 == 0) {
        step /= 10;
        --d;
    }
    return d;
}

std::string money(double v, int decimals) {
    if (std::fabs(v) < 0.5 * std::pow(10.0, -decimals)) v = 0.0;  // never print "-0.00000000"
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    return buf;
}

}  // namespace tradingd::market_sim
