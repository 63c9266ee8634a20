// Fitting an order request to its symbol's filters, shared by every Trading implementation (the Binance
// client before sending, the paper broker before filling), so both round the same way and refuse the same
// orders with the same filter_violation reasons.
#pragma once

#include <optional>

#include "exchange/errors.h"
#include "exchange/types.h"

namespace tradingd::exchange {

// Quantity floored onto the step; limit price, trigger and activation prices onto the tick (filters.h says
// which way each one rounds).
OrderRequest round_to_filters(const SymbolInfo& symbol, const OrderRequest& request);

// Whether check_order needs the mark price: MIN_NOTIONAL values an order with neither a limit nor a trigger
// price at the mark price.
bool needs_mark_price(const SymbolInfo& symbol, const OrderRequest& order);

// The filter_violation error for a rounded order that breaks a filter ("qty_below_min: ..."), or nothing.
// `requested` is the order before rounding: a quantity rounded down to zero is reported as below the minimum.
std::optional<Error> filter_refusal(const SymbolInfo& symbol, const OrderRequest& requested,
                                    const OrderRequest& rounded, Decimal mark_price);

}  // namespace tradingd::exchange
