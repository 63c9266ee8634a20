// Position sizing. Rounding goes through exchange/filters.h, the same code that checks orders before they
// are sent, so a size this file accepts is one the order check accepts.
#include "strategy/sizing.h"

#include <algorithm>
#include <stdexcept>

#include "exchange/filters.h"
#include "strategy/signal_filters.h"

namespace tradingd::strategy {
namespace {

using money::Decimal;
using money::Rounding;

// The tighter of LOT_SIZE and MARKET_LOT_SIZE maxima; zero when neither is set.
Decimal max_market_quantity(const exchange::SymbolInfo& s) {
    Decimal max = s.max_qty;
    if (s.market_max_qty.is_positive() && (!max.is_positive() || s.market_max_qty < max))
        max = s.market_max_qty;
    return max;
}

SizingResult refuse(SizingRefusal refusal, std::string message) {
    return {std::nullopt, refusal, std::move(message)};
}

}  // namespace

std::string_view refusal_code(SizingRefusal refusal) {
    switch (refusal) {
        case SizingRefusal::no_margin:
            return "no_margin";
        case SizingRefusal::below_min_qty:
            return "below_min_qty";
        case SizingRefusal::below_min_notional:
            return "below_min_notional";
        case SizingRefusal::exchange_filter:
            return "exchange_filter";
    }
    return "unknown";
}

int effective_leverage(const RiskSettings& risk, const StrategyParams& params,
                       std::optional<int> symbol_max_leverage) {
    int leverage = std::min(risk.leverage, params.max_leverage);
    if (symbol_max_leverage && *symbol_max_leverage > 0) leverage = std::min(leverage, *symbol_max_leverage);
    return std::max(leverage, 1);
}

SizingResult size_position(const exchange::SymbolInfo& symbol, Decimal equity, const RiskSettings& risk,
                           Decimal price, const StrategyParams& params,
                           std::optional<int> symbol_max_leverage) {
    if (!price.is_positive()) {
        throw std::invalid_argument("size_position: price " + price.to_string() + " must be above zero");
    }
    if (const auto problems = validate(risk); !problems.empty()) {
        throw std::invalid_argument("risk settings: " + problems.front());
    }
    PositionSize size;
    size.leverage = effective_leverage(risk, params, symbol_max_leverage);
    size.margin = margin_per_position(equity, risk);
    if (!size.margin.is_positive()) {
        return refuse(SizingRefusal::no_margin,
                      "equity " + equity.to_string() + " USDT leaves no margin to use");
    }

    const Decimal target_notional = size.margin.mul(Decimal::from_int(size.leverage), Rounding::down);
    Decimal qty = exchange::round_quantity(symbol, target_notional.div(price, Rounding::down),
                                           exchange::OrderType::market);
    if (const Decimal max = max_market_quantity(symbol); max.is_positive() && qty > max) {
        qty = exchange::round_quantity(symbol, max, exchange::OrderType::market);
    }
    size.quantity = qty;
    size.notional = qty.mul(price, Rounding::down);

    if (!qty.is_positive()) {
        return refuse(SizingRefusal::below_min_qty, target_notional.to_string() +
                                                        " USDT buys less than one step (" +
                                                        symbol.step_size.to_string() + ") of " +
                                                        symbol.symbol + " at " + price.to_string());
    }
    // The same check the order path runs before sending; the side does not matter to any filter.
    const auto order = entry_order(symbol, Direction::long_side, qty);
    if (const auto violation = exchange::check_order(symbol, order, price)) {
        switch (violation->reason) {
            case exchange::FilterReason::qty_below_min:
                return refuse(SizingRefusal::below_min_qty, violation->message);
            case exchange::FilterReason::notional_below_min:
                return refuse(SizingRefusal::below_min_notional, violation->message);
            default:
                return refuse(SizingRefusal::exchange_filter, violation->message);
        }
    }
    return {size, std::nullopt, ""};
}

exchange::OrderRequest entry_order(const exchange::SymbolInfo& symbol, Direction direction,
                                   Decimal quantity) {
    exchange::OrderRequest order;
    order.symbol = symbol.symbol;
    order.side = direction == Direction::long_side ? exchange::Side::buy : exchange::Side::sell;
    order.type = exchange::OrderType::market;
    order.quantity = quantity;
    return order;
}

}  // namespace tradingd::strategy
