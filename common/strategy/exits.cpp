// Exit planning. ATR is indicator maths (double); it becomes a Decimal once, explicitly, and every price
// after that is exact and rounded by the same exchange/filters.h code that checks orders.
#include "strategy/exits.h"

#include <cmath>
#include <stdexcept>

#include "exchange/filters.h"

namespace tradingd::strategy {
namespace {

using exchange::OrderRequest;
using exchange::OrderType;
using exchange::PriceUse;
using exchange::Side;
using money::Decimal;
using money::Rounding;

// pct/100 x ATR, exact from the shortest decimal spelling of the ATR.
Decimal atr_multiple(Decimal atr, int pct) {
    return atr.mul(Decimal::from_int(pct), Rounding::half_even)
        .div(Decimal::from_int(100), Rounding::half_even);
}

OrderRequest protective(const exchange::SymbolInfo& symbol, Side side, OrderType type) {
    OrderRequest o;
    o.symbol = symbol.symbol;
    o.side = side;
    o.type = type;
    o.working_type = exchange::WorkingType::mark_price;
    return o;
}

ExitPlanResult refuse(ExitRefusal refusal, std::string message) {
    return {std::nullopt, refusal, std::move(message)};
}

}  // namespace

std::string_view refusal_code(ExitRefusal refusal) {
    switch (refusal) {
        case ExitRefusal::invalid_atr:
            return "invalid_atr";
        case ExitRefusal::stop_not_positive:
            return "stop_not_positive";
        case ExitRefusal::target_not_positive:
            return "target_not_positive";
        case ExitRefusal::target_too_close:
            return "target_too_close";
        case ExitRefusal::exchange_filter:
            return "exchange_filter";
    }
    return "unknown";
}

ExitPlanResult plan_exits(const exchange::SymbolInfo& symbol, Direction direction, Decimal entry_price,
                          Decimal quantity, double atr, exchange::TimeMs entry_time_ms,
                          const StrategyParams& params) {
    if (!entry_price.is_positive() || !quantity.is_positive()) {
        throw std::invalid_argument("plan_exits: entry price and quantity must be above zero");
    }
    if (const auto problems = validate(params); !problems.empty()) {
        throw std::invalid_argument("strategy params: " + problems.front());
    }
    if (!std::isfinite(atr) || atr <= 0) return refuse(ExitRefusal::invalid_atr, "ATR must be above zero");

    const bool is_long = direction == Direction::long_side;
    const Side exit_side = is_long ? Side::sell : Side::buy;
    const Decimal atr_dec = Decimal::from_double_rounded(atr, Decimal::kFractionDigits, Rounding::half_even);
    const Decimal sl_distance = atr_multiple(atr_dec, params.stop_loss_atr_pct);
    const Decimal tp_distance = atr_multiple(atr_dec, params.take_profit_atr_pct);

    ExitPlan plan;
    plan.direction = direction;
    plan.entry_price = entry_price;
    plan.quantity = quantity;
    const Decimal raw_stop = is_long ? entry_price - sl_distance : entry_price + sl_distance;
    const Decimal raw_target = is_long ? entry_price + tp_distance : entry_price - tp_distance;
    if (!raw_stop.is_positive()) {
        return refuse(ExitRefusal::stop_not_positive,
                      "stop-loss " + raw_stop.to_string() + " is not above zero");
    }
    if (!raw_target.is_positive()) {
        return refuse(ExitRefusal::target_not_positive,
                      "take-profit " + raw_target.to_string() + " is not above zero");
    }
    plan.stop_loss = exchange::round_price(symbol, raw_stop, exit_side, PriceUse::stop_loss);
    plan.take_profit = exchange::round_price(symbol, raw_target, exit_side, PriceUse::take_profit);
    if (!plan.stop_loss.is_positive()) {
        return refuse(ExitRefusal::stop_not_positive, "stop-loss " + raw_stop.to_string() + " rounds to " +
                                                          plan.stop_loss.to_string() + " on the tick");
    }
    const bool target_beyond = is_long ? plan.take_profit > entry_price : plan.take_profit < entry_price;
    if (!target_beyond) {
        return refuse(ExitRefusal::target_too_close,
                      "take-profit " + plan.take_profit.to_string() + " is not beyond the entry " +
                          entry_price.to_string() + " on the tick " + symbol.tick_size.to_string());
    }

    OrderRequest stop = protective(symbol, exit_side, OrderType::stop_market);
    stop.stop_price = plan.stop_loss;
    stop.close_position = true;
    OrderRequest target = protective(symbol, exit_side, OrderType::take_profit_market);
    target.stop_price = plan.take_profit;
    target.close_position = true;
    plan.orders = {stop, target};

    if (params.trailing_stop) {
        TrailingStop trailing;
        trailing.callback_rate =
            Decimal::from_int(params.trailing_callback_tenths).div(Decimal::from_int(10), Rounding::down);
        if (params.trailing_activation_atr_pct > 0) {
            const Decimal distance = atr_multiple(atr_dec, params.trailing_activation_atr_pct);
            const Decimal raw = is_long ? entry_price + distance : entry_price - distance;
            // Rounded like a target (toward the entry) so it arms no later than planned. A SHORT's activation
            // below zero cannot be reached; arming at once is the closest meaningful order.
            if (raw.is_positive()) {
                trailing.activation_price =
                    exchange::round_price(symbol, raw, exit_side, PriceUse::take_profit);
            }
        }
        OrderRequest trail = protective(symbol, exit_side, OrderType::trailing_stop_market);
        trail.quantity = exchange::round_quantity(symbol, quantity, OrderType::trailing_stop_market);
        trail.reduce_only = true;
        trail.activation_price = trailing.activation_price;
        trail.callback_rate = trailing.callback_rate;
        plan.orders.push_back(trail);
        plan.trailing = trailing;
    }

    // The same check the order path runs, so a plan that passes here is not rejected there.
    for (const auto& order : plan.orders) {
        if (const auto violation = exchange::check_order(symbol, order, entry_price)) {
            return refuse(ExitRefusal::exchange_filter, violation->message);
        }
    }

    if (params.max_holding_hours > 0) {
        plan.time_stop_at_ms =
            entry_time_ms + static_cast<exchange::TimeMs>(params.max_holding_hours) * 3'600'000;
    }
    return {plan, std::nullopt, ""};
}

bool time_stop_due(const ExitPlan& plan, exchange::TimeMs now_ms) {
    return plan.time_stop_at_ms && now_ms >= *plan.time_stop_at_ms;
}

}  // namespace tradingd::strategy
