// Exact decimals for prices and quantities (int64 scaled by 1e8): Binance's filters are decimal rules, and
// a tick check done in binary floating point would accept or refuse the wrong orders.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace tradingd::market_sim {

using Fx = std::int64_t;
inline constexpr Fx kFxOne = 100000000;  // 1.0
inline constexpr int kFxDecimals = 8;

struct ParsedDecimal {
    Fx value = 0;
    int decimals = 0;  // digits after the point as sent, to tell -1111 (precision) from -4014 (tick)
};

// Parses "123", "-0.5", "0.00100". Refuses exponents, blanks and more than 8 decimals (nullopt); Binance
// itself rejects exponents with -1100.
std::optional<ParsedDecimal> parse_decimal(std::string_view text);

// "0.001", "36000": trailing zeros trimmed, like most order fields Binance returns.
std::string fx_str(Fx v);
// Fixed number of decimals (0..8), like kline prices that follow the tick size.
std::string fx_fixed(Fx v, int decimals);
double fx_to_double(Fx v);
inline Fx fx_abs(Fx v) {
    return v < 0 ? -v : v;
}

enum class Round { Down, Up, Nearest };
// Rounds a double to a multiple of step (in Fx units).
Fx fx_from_double(double v, Fx step, Round mode = Round::Nearest);

// Decimal places that a step such as 0.00100000 needs (3).
int step_decimals(Fx step);

// Money fields (balances, PnL) with a fixed number of decimals: "1000.00000000".
std::string money(double v, int decimals = 8);

}  // namespace tradingd::market_sim
