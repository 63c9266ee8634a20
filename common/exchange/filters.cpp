// Filter rounding and checks. A filter field at zero is one the exchange did not set; it neither rounds nor
// refuses anything.
#include "exchange/filters.h"

#include <algorithm>
#include <array>
#include <stdexcept>

namespace tradingd::exchange {

namespace {

using money::Rounding;

// One quantity filter (LOT_SIZE or MARKET_LOT_SIZE) as a single shape, so both are applied the same way.
struct LotRule {
    Decimal step, min, max;
    std::string_view label;  // appended to messages: "" or " for market orders"
};

bool executes_at_market(OrderType type) {
    return !has_limit_price(type);
}

// LOT_SIZE always applies; orders that fill at market must also satisfy MARKET_LOT_SIZE when it is set.
// Binance does not document which one it checks for conditional market orders, so both are met.
std::array<std::optional<LotRule>, 2> lot_rules(const SymbolInfo& s, OrderType type) {
    std::array<std::optional<LotRule>, 2> rules;
    rules[0] = LotRule{s.step_size, s.min_qty, s.max_qty, ""};
    const bool has_market_filter =
        s.market_step_size.is_positive() || s.market_min_qty.is_positive() || s.market_max_qty.is_positive();
    if (executes_at_market(type) && has_market_filter) {
        rules[1] = LotRule{s.market_step_size, s.market_min_qty, s.market_max_qty, " for market orders"};
    }
    return rules;
}

// Binance's grid is (value - min) % step == 0; with min at zero (unset) that is plain multiples of step.
Decimal anchor_of(Decimal min) {
    return min.is_positive() ? min : Decimal();
}

Decimal floor_on_grid(Decimal value, Decimal step, Decimal min) {
    if (!step.is_positive()) return value;
    const Decimal anchor = anchor_of(min);
    return anchor + (value - anchor).floor_to_step(step);
}

Decimal ceil_on_grid(Decimal value, Decimal step, Decimal min) {
    if (!step.is_positive()) return value;
    const Decimal anchor = anchor_of(min);
    return anchor + (value - anchor).ceil_to_step(step);
}

bool on_grid(Decimal value, Decimal step, Decimal min) {
    return !step.is_positive() || (value - anchor_of(min)).is_multiple_of(step);
}

FilterViolation violation(FilterReason reason, std::string message) {
    return {reason, std::move(message)};
}

std::optional<FilterViolation> check_quantity(const SymbolInfo& s, const OrderRequest& o) {
    if (!o.quantity) return violation(FilterReason::qty_missing, "the order has no quantity");
    const Decimal q = *o.quantity;
    if (!q.is_positive()) {
        return violation(FilterReason::qty_not_positive, "quantity " + q.to_string() + " must be above zero");
    }
    for (const auto& rule : lot_rules(s, o.type)) {
        if (!rule) continue;
        const std::string label(rule->label);
        if (rule->min.is_positive() && q < rule->min) {
            return violation(FilterReason::qty_below_min, "quantity " + q.to_string() + " is below " +
                                                              s.symbol + "'s minimum of " +
                                                              rule->min.to_string() + label);
        }
        if (rule->max.is_positive() && q > rule->max) {
            return violation(FilterReason::qty_above_max, "quantity " + q.to_string() + " is above " +
                                                              s.symbol + "'s maximum of " +
                                                              rule->max.to_string() + label);
        }
        if (!on_grid(q, rule->step, rule->min)) {
            return violation(FilterReason::qty_not_on_step, "quantity " + q.to_string() +
                                                                " is not a multiple of " + s.symbol +
                                                                "'s step " + rule->step.to_string() + label);
        }
    }
    return std::nullopt;
}

std::optional<FilterViolation> check_price(const SymbolInfo& s, const std::optional<Decimal>& price,
                                           std::string_view what) {
    const std::string name(what);
    if (!price) return violation(FilterReason::price_missing, "the order has no " + name);
    const Decimal p = *price;
    if (!p.is_positive()) {
        return violation(FilterReason::price_not_positive,
                         name + " " + p.to_string() + " must be above zero");
    }
    if (s.min_price.is_positive() && p < s.min_price) {
        return violation(FilterReason::price_below_min, name + " " + p.to_string() + " is below " + s.symbol +
                                                            "'s minimum price of " + s.min_price.to_string());
    }
    if (s.max_price.is_positive() && p > s.max_price) {
        return violation(FilterReason::price_above_max, name + " " + p.to_string() + " is above " + s.symbol +
                                                            "'s maximum price of " + s.max_price.to_string());
    }
    if (!on_grid(p, s.tick_size, s.min_price)) {
        return violation(
            FilterReason::price_not_on_tick,
            name + " " + p.to_string() + " is not on " + s.symbol + "'s tick of " + s.tick_size.to_string());
    }
    return std::nullopt;
}

}  // namespace

Decimal round_quantity(const SymbolInfo& s, Decimal quantity, OrderType type) {
    Decimal q = quantity;
    for (const auto& rule : lot_rules(s, type)) {
        if (rule) q = floor_on_grid(q, rule->step, rule->min);
    }
    return std::max(q, Decimal());
}

Decimal round_price(const SymbolInfo& s, Decimal price, Side side, PriceUse use) {
    const bool down = use == PriceUse::limit ? side == Side::buy : side == Side::sell;
    return down ? floor_on_grid(price, s.tick_size, s.min_price)
                : ceil_on_grid(price, s.tick_size, s.min_price);
}

std::string_view reason_code(FilterReason reason) {
    switch (reason) {
        case FilterReason::symbol_not_trading:
            return "symbol_not_trading";
        case FilterReason::qty_missing:
            return "qty_missing";
        case FilterReason::qty_not_positive:
            return "qty_not_positive";
        case FilterReason::qty_not_on_step:
            return "qty_not_on_step";
        case FilterReason::qty_below_min:
            return "qty_below_min";
        case FilterReason::qty_above_max:
            return "qty_above_max";
        case FilterReason::price_missing:
            return "price_missing";
        case FilterReason::price_not_positive:
            return "price_not_positive";
        case FilterReason::price_not_on_tick:
            return "price_not_on_tick";
        case FilterReason::price_below_min:
            return "price_below_min";
        case FilterReason::price_above_max:
            return "price_above_max";
        case FilterReason::notional_below_min:
            return "notional_below_min";
    }
    return "unknown";
}

std::optional<FilterViolation> check_order(const SymbolInfo& s, const OrderRequest& o, Decimal mark_price) {
    if (!s.trading()) {
        return violation(FilterReason::symbol_not_trading,
                         s.symbol + " is not open for trading (status " + s.status + ")");
    }
    if (!o.close_position) {
        if (auto v = check_quantity(s, o)) return v;
    }
    if (has_limit_price(o.type)) {
        if (auto v = check_price(s, o.price, "price")) return v;
    }
    if (kind_of(o.type) == OrderKind::conditional && o.type != OrderType::trailing_stop_market) {
        if (auto v = check_price(s, o.stop_price, "stop price")) return v;
    }
    if (o.type == OrderType::trailing_stop_market && o.activation_price) {
        if (auto v = check_price(s, o.activation_price, "activation price")) return v;
    }

    if (o.reduce_only || o.close_position || !s.min_notional.is_positive()) return std::nullopt;
    Decimal valued_at = mark_price;
    if (o.stop_price && kind_of(o.type) == OrderKind::conditional) valued_at = *o.stop_price;
    if (has_limit_price(o.type)) valued_at = *o.price;
    if (!valued_at.is_positive()) {
        throw std::invalid_argument("check_order needs a positive mark price to value a " + s.symbol +
                                    " order without a price");
    }
    // Rounded down, so an order passes only if its exact value really reaches the minimum.
    const Decimal notional = o.quantity->mul(valued_at, Rounding::down);
    if (notional < s.min_notional) {
        return violation(FilterReason::notional_below_min,
                         "order value " + notional.to_string() + " " + s.quote_asset + " is below " +
                             s.symbol + "'s minimum of " + s.min_notional.to_string() + " " + s.quote_asset);
    }
    return std::nullopt;
}

}  // namespace tradingd::exchange
