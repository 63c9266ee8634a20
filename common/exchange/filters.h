// Fitting orders to a symbol's exchange filters before they are sent: rounding quantities and prices onto
// the exchange's grid, and refusing locally, with a plain reason, what Binance would reject.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "exchange/types.h"

namespace tradingd::exchange {

// Quantity floored onto the LOT_SIZE grid, never rounded up: an order is never larger than the sizing asked.
// Orders that execute at market (MARKET and the *_MARKET conditional types) also use MARKET_LOT_SIZE's step.
// The grid is anchored at minQty as Binance defines it ((qty - minQty) % step == 0). A result below minQty
// is returned as is (check_order then refuses it) but never below zero.
Decimal round_quantity(const SymbolInfo& symbol, Decimal quantity, OrderType type);

// Which way a price may move onto the PRICE_FILTER tick depends on what it is for:
//   limit        BUY rounds down, SELL rounds up: never pay more, or sell for less, than asked.
//   stop_loss    rounds away from the entry: a long's SELL stop down, a short's BUY stop up. The stop is
//   never
//                tighter than the strategy placed it (it may be up to one tick wider).
//   take_profit  rounds toward the entry: a long's SELL target down, a short's BUY target up. The target is
//                never further than planned, so it is reached no later.
// Both exit rules come down to "SELL exits round down, BUY exits round up"; `side` is the order's side.
enum class PriceUse { limit, stop_loss, take_profit };
Decimal round_price(const SymbolInfo& symbol, Decimal price, Side side, PriceUse use);

// Why an order cannot be sent. The names are stable words for logs and events: never rename one.
enum class FilterReason {
    symbol_not_trading,
    qty_missing,
    qty_not_positive,
    qty_not_on_step,
    qty_below_min,
    qty_above_max,
    price_missing,
    price_not_positive,
    price_not_on_tick,
    price_below_min,
    price_above_max,
    notional_below_min,
};
std::string_view reason_code(FilterReason reason);

struct FilterViolation {
    FilterReason reason;
    std::string message;  // "order value 4.2 USDT is below BTCUSDT's minimum of 5 USDT"
};

// Checks an already rounded order against every filter the request touches. `mark_price` values MARKET
// orders for MIN_NOTIONAL (as Binance does); orders with a limit price use it, other conditional orders
// their stop price. Reduce-only and close-position orders are exempt from MIN_NOTIONAL, as on Binance. A
// non-positive mark price where one is needed is a caller bug and throws std::invalid_argument.
std::optional<FilterViolation> check_order(const SymbolInfo& symbol, const OrderRequest& order,
                                           Decimal mark_price);

}  // namespace tradingd::exchange
