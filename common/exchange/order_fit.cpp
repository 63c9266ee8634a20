// Rounding an order onto its symbol's grid and turning a filter violation into the error callers see.
#include "exchange/order_fit.h"

#include <string>

#include "exchange/filters.h"

namespace tradingd::exchange {
namespace {

PriceUse trigger_use(OrderType type) {
    return type == OrderType::take_profit_market || type == OrderType::take_profit ? PriceUse::take_profit
                                                                                   : PriceUse::stop_loss;
}

}  // namespace

OrderRequest round_to_filters(const SymbolInfo& s, const OrderRequest& request) {
    OrderRequest o = request;
    if (o.quantity) o.quantity = round_quantity(s, *o.quantity, o.type);
    if (o.price && has_limit_price(o.type)) o.price = round_price(s, *o.price, o.side, PriceUse::limit);
    if (o.stop_price) o.stop_price = round_price(s, *o.stop_price, o.side, trigger_use(o.type));
    if (o.activation_price)
        o.activation_price = round_price(s, *o.activation_price, o.side, PriceUse::stop_loss);
    return o;
}

bool needs_mark_price(const SymbolInfo& s, const OrderRequest& o) {
    if (o.reduce_only || o.close_position || !s.min_notional.is_positive()) return false;
    return !has_limit_price(o.type) && !(kind_of(o.type) == OrderKind::conditional && o.stop_price);
}

std::optional<Error> filter_refusal(const SymbolInfo& s, const OrderRequest& requested,
                                    const OrderRequest& rounded, Decimal mark_price) {
    auto violation = check_order(s, rounded, mark_price);
    if (!violation) return std::nullopt;
    // Rounding down can turn a small positive quantity into zero; the user asked for a quantity below the
    // minimum, and that is the reason to report.
    if (violation->reason == FilterReason::qty_not_positive && requested.quantity &&
        requested.quantity->is_positive()) {
        violation->reason = FilterReason::qty_below_min;
        violation->message = "quantity " + requested.quantity->to_string() + " is below " + s.symbol +
                             "'s minimum of " + s.min_qty.to_string();
    }
    return local_error(Outcome::filter_violation,
                       std::string(reason_code(violation->reason)) + ": " + violation->message);
}

}  // namespace tradingd::exchange
