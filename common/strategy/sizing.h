// How big an entry is: from the agent's risk settings to an exchange-ready quantity, in exact decimals,
// rounded down onto the symbol's step and refused (with the reason) when it cannot meet the minimums.
#pragma once

// quantity = floor_to_step(equity x equity_fraction x leverage / price), where
//   equity x equity_fraction  is the initial margin (margin_per_position in signal_filters.h), and
//   leverage = min(agent's leverage, strategy.max_leverage, the symbol's bracket limit when known).
// A quantity above the symbol's maximum is cut to it. Every product and quotient rounds down, so the
// order's value never exceeds the margin times the leverage.

#include <optional>
#include <string>
#include <string_view>

#include "exchange/types.h"
#include "money/decimal.h"
#include "strategy/params.h"
#include "strategy/scoring.h"

namespace tradingd::strategy {

// Stable words, like the filter reasons: reported as the decision for a signal that passed every filter
// but could not be sized.
enum class SizingRefusal {
    no_margin,           // equity x fraction is 0: nothing to put up
    below_min_qty,       // the quantity rounds down to 0 or under the symbol's minimum quantity
    below_min_notional,  // the order's value is under the symbol's minimum notional (5 USDT on most)
    exchange_filter,     // any other exchange filter, e.g. the symbol stopped trading (see message)
};
std::string_view refusal_code(SizingRefusal refusal);

struct PositionSize {
    money::Decimal quantity;
    money::Decimal notional;  // quantity x price, rounded down
    money::Decimal margin;    // equity x fraction
    int leverage = 1;         // the leverage to set on the symbol before entering
};

struct SizingResult {
    std::optional<PositionSize> size;
    std::optional<SizingRefusal> refusal;
    std::string message;  // for a refusal: "order value 4.2 USDT is below ...'s minimum of 5 USDT"

    explicit operator bool() const { return size.has_value(); }
};

int effective_leverage(const RiskSettings& risk, const StrategyParams& params,
                       std::optional<int> symbol_max_leverage = std::nullopt);

// `price` is the reference price the entry will fill near (the mark or last price). Throws
// std::invalid_argument for a non-positive price or risk settings that fail validate().
SizingResult size_position(const exchange::SymbolInfo& symbol, money::Decimal equity,
                           const RiskSettings& risk, money::Decimal price, const StrategyParams& params,
                           std::optional<int> symbol_max_leverage = std::nullopt);

// The MARKET entry order for a sized position (BUY for LONG, SELL for SHORT). The caller fills in
// client_order_id (exchange/client_order_id.h, leg entry).
exchange::OrderRequest entry_order(const exchange::SymbolInfo& symbol, Direction direction,
                                   money::Decimal quantity);

}  // namespace tradingd::strategy
