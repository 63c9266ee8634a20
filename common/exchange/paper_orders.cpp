// Paper orders: what happens when one is placed (Binance's refusals with Binance's codes, immediate fills
// of market and marketable limit orders) and when the mark price moves (resting limits fill, stops, targets
// and trailing stops trigger and execute at market).
#include <algorithm>

#include "exchange/paper_account.h"

namespace tradingd::exchange::paper {
namespace {

using money::Rounding;

Error refuse(int code, std::string message) {
    return make_error(400, code, std::move(message));
}

// The part of a position an order on `side` can close now.
Decimal reducible(const Account& account, const std::string& symbol, Side side) {
    const Position* p = account.position(symbol);
    if (!p || p->amount.is_positive() != (side == Side::sell)) return Decimal{};
    return p->amount.abs();
}

void fill(Account& account, Order& order, Decimal qty, Decimal price, bool maker, TimeMs now) {
    UserTrade t =
        book_fill(account, order.info.symbol, order.info.side, qty, price, maker, order.info.order_id, now);
    order.info.executed_qty += qty;
    order.info.cum_quote += t.quote_qty;
    order.info.avg_price = order.info.cum_quote.div(order.info.executed_qty, Rounding::half_even);
    order.info.status = OrderStatus::filled;
    order.info.update_time = now;
}

void finish(Order& order, OrderStatus status, std::optional<AlgoStatus> algo, TimeMs now) {
    order.info.status = status;
    if (order.info.kind == OrderKind::conditional) order.info.algo_status = algo;
    order.info.update_time = now;
}

bool limit_crossed(const OrderInfo& o, Decimal mark) {
    return o.side == Side::buy ? mark <= o.price : mark >= o.price;
}

// Stop: a BUY fires on a rise to the trigger, a SELL on a fall. Take-profit: the other way round.
bool trigger_reached(const OrderInfo& o, Decimal mark) {
    bool rises = (o.type == OrderType::stop_market) == (o.side == Side::buy);
    return rises ? mark >= o.stop_price : mark <= o.stop_price;
}

// A trailing SELL follows the highest mark since activation and fires callback_rate % below it; a BUY
// follows the lowest and fires callback_rate % above it.
bool trailing_fires(Order& o, Decimal mark) {
    bool sell = o.info.side == Side::sell;
    if (!o.activated) {
        if (sell ? mark < o.activation_price : mark > o.activation_price) return false;
        o.activated = true;
        o.extreme = mark;
    }
    o.extreme = sell ? std::max(o.extreme, mark) : std::min(o.extreme, mark);
    Decimal band =
        o.extreme.mul(o.callback_rate, Rounding::half_even).div(Decimal::from_int(100), Rounding::half_even);
    return sell ? mark <= o.extreme - band : mark >= o.extreme + band;
}

// A triggered conditional order executes at market for what it may trade now.
void execute_triggered(Account& account, const SymbolInfo& s, Order& o, Decimal mark, TimeMs now) {
    Decimal qty = o.info.orig_qty;
    if (o.info.close_position)
        qty = reducible(account, s.symbol, o.info.side);
    else if (o.info.reduce_only)
        qty = std::min(qty, reducible(account, s.symbol, o.info.side));
    if (!qty.is_positive()) return finish(o, OrderStatus::expired, AlgoStatus::expired, now);
    o.info.order_id = account.next_order_id++;
    fill(account, o, qty, market_fill_price(s, o.info.side, mark, account.settings.slippage_rate), false,
         now);
    o.info.algo_status = AlgoStatus::finished;
}

Result<Order> new_order(Account& account, const OrderRequest& r, TimeMs now) {
    Order o;
    OrderInfo& i = o.info;
    i.symbol = r.symbol;
    i.kind = kind_of(r.type);
    if (i.kind == OrderKind::plain)
        i.order_id = account.next_order_id++;
    else
        i.algo_id = account.next_algo_id++;
    i.client_order_id = !r.client_order_id.empty()   ? r.client_order_id
                        : i.kind == OrderKind::plain ? "paper-o" + std::to_string(i.order_id)
                                                     : "paper-a" + std::to_string(i.algo_id);
    i.side = r.side;
    i.type = r.type;
    i.position_side = r.position_side;
    i.status = OrderStatus::new_;
    if (i.kind == OrderKind::conditional) i.algo_status = AlgoStatus::new_;
    i.price = r.price.value_or(Decimal{});
    i.stop_price = r.stop_price.value_or(Decimal{});
    i.orig_qty = r.quantity.value_or(Decimal{});
    i.reduce_only = r.reduce_only;
    i.close_position = r.close_position;
    i.time_in_force =
        r.type == OrderType::limit ? r.time_in_force.value_or(TimeInForce::gtc) : r.time_in_force;
    i.working_type = r.working_type;
    i.time = i.update_time = now;
    return o;
}

// Refusals that do not depend on the type's execution (Binance checks these before matching).
std::optional<Error> refusal(const Account& account, const OrderRequest& r, Decimal mark, Decimal available) {
    if (r.type == OrderType::stop || r.type == OrderType::take_profit)
        return local_error(Outcome::rejected,
                           "the paper broker does not simulate STOP/TAKE_PROFIT with a limit "
                           "price; use STOP_MARKET or TAKE_PROFIT_MARKET");
    if (r.position_side != PositionSide::both)
        return refuse(-4061, "Order's position side does not match user's setting.");
    OrderKind kind = kind_of(r.type);
    for (const Order& o : account.orders) {
        if (o.open() && o.info.kind == kind && o.info.client_order_id == r.client_order_id &&
            !r.client_order_id.empty())
            return refuse(-4116, "ClientOrderId is duplicated.");
    }
    if (r.close_position) {
        if (r.type != OrderType::stop_market && r.type != OrderType::take_profit_market)
            return refuse(-1106, "Parameter 'closePosition' sent when not required.");
        if (r.quantity) return refuse(-4137, "Quantity must be zero with closePosition equals true.");
        if (r.reduce_only) return refuse(-4138, "Reduce only must be true with closePosition equals true.");
    } else if (!r.quantity) {
        return refuse(-1102, "Mandatory parameter 'quantity' was not sent, was empty/null, or malformed.");
    }
    if (kind == OrderKind::conditional && r.type != OrderType::trailing_stop_market && !r.stop_price)
        return refuse(-1102,
                      "Mandatory parameter 'triggerPrice' was not sent, was empty/null, or malformed.");
    if (r.type == OrderType::limit && !r.price)
        return refuse(-1102, "Mandatory parameter 'price' was not sent, was empty/null, or malformed.");
    if (kind == OrderKind::plain && r.reduce_only && !reducible(account, r.symbol, r.side).is_positive())
        return refuse(-2022, "ReduceOnly Order is rejected.");
    if (kind == OrderKind::plain && !r.reduce_only) {
        // Margin for the part that opens or grows the position, plus the taker fee on it.
        Decimal opening = opening_quantity(account, r.symbol, r.side, *r.quantity);
        Decimal price = r.type == OrderType::limit ? *r.price : mark;
        Decimal notional = opening.mul(price, Rounding::up);
        Decimal margin = notional.div(Decimal::from_int(account.leverage_of(r.symbol)), Rounding::up) +
                         notional.mul(account.settings.taker_fee_rate, Rounding::up);
        if (opening.is_positive() && margin > available) return refuse(-2019, "Margin is insufficient.");
    }
    return std::nullopt;
}

Result<OrderInfo> place_conditional(Account& account, Order o, const OrderRequest& r, Decimal mark) {
    if (r.type == OrderType::trailing_stop_market) {
        Decimal rate = r.callback_rate.value_or(Decimal{});
        if (rate < Decimal::parse("0.1") || rate > Decimal::from_int(10))
            return refuse(-1130, "Data sent for parameter 'callbackRate' is not valid.");
        o.callback_rate = rate;
        if (r.activation_price) {  // an activation the mark has already passed would fire at once
            bool passed = r.side == Side::sell ? *r.activation_price <= mark : *r.activation_price >= mark;
            if (passed) return refuse(-2021, "Order would immediately trigger.");
            o.activation_price = o.info.stop_price = *r.activation_price;
        } else {  // active from placement, following the mark from here
            o.activated = true;
            o.extreme = mark;
        }
    } else if (trigger_reached(o.info, mark)) {
        return refuse(-2021, "Order would immediately trigger.");
    }
    account.orders.push_back(o);
    return o.info;
}

}  // namespace

Result<OrderInfo> place(Account& account, const SymbolInfo& s, const OrderRequest& r, Decimal mark,
                        Decimal available, TimeMs now) {
    if (auto error = refusal(account, r, mark, available)) return *error;
    Result<Order> made = new_order(account, r, now);
    Order o = std::move(made).value();
    Result<OrderInfo> result = o.info;
    if (o.info.kind == OrderKind::conditional) {
        result = place_conditional(account, o, r, mark);
    } else if (r.type == OrderType::market) {
        Decimal qty =
            r.reduce_only ? std::min(*r.quantity, reducible(account, s.symbol, r.side)) : *r.quantity;
        fill(account, o, qty, market_fill_price(s, r.side, mark, account.settings.slippage_rate), false, now);
        account.orders.push_back(o);
        result = o.info;
    } else {  // LIMIT: takes at once if the mark is already through its price, else rests
        bool marketable = limit_crossed(o.info, mark);
        TimeInForce tif = *o.info.time_in_force;
        if (marketable && tif == TimeInForce::gtx)
            return refuse(-5022,
                          "Due to the order could not be executed as maker, the Post Only order will be "
                          "rejected. The order will not be recorded in the order history");
        if (!marketable && tif == TimeInForce::fok)
            return refuse(-5021,
                          "Due to the order could not be filled immediately, the FOK order has been "
                          "rejected. The order will not be recorded in the order history");
        if (marketable) {
            Decimal taker = market_fill_price(s, r.side, mark, account.settings.slippage_rate);
            Decimal price = r.side == Side::buy ? std::min(*r.price, taker) : std::max(*r.price, taker);
            Decimal qty =
                r.reduce_only ? std::min(*r.quantity, reducible(account, s.symbol, r.side)) : *r.quantity;
            fill(account, o, qty, price, false, now);
        } else if (tif == TimeInForce::ioc) {
            finish(o, OrderStatus::expired, std::nullopt, now);
        }
        account.orders.push_back(o);
        result = o.info;
    }
    if (result.ok()) {
        ++account.version;
        trim_history(account);
    }
    return result;
}

bool on_mark(Account& account, const SymbolInfo& s, Decimal mark, TimeMs now) {
    bool changed = false;
    for (Order& o : account.orders) {
        if (!o.open() || o.info.symbol != s.symbol) continue;
        if (o.info.kind == OrderKind::plain) {
            if (o.info.type != OrderType::limit || !limit_crossed(o.info, mark)) continue;
            Decimal qty = o.info.orig_qty - o.info.executed_qty;
            if (o.info.reduce_only) qty = std::min(qty, reducible(account, s.symbol, o.info.side));
            if (qty.is_positive())
                fill(account, o, qty, o.info.price, true, now);
            else
                finish(o, OrderStatus::expired, std::nullopt, now);
            changed = true;
            continue;
        }
        Decimal before = o.extreme;
        bool was_active = o.activated;
        bool fires = o.info.type == OrderType::trailing_stop_market ? trailing_fires(o, mark)
                                                                    : trigger_reached(o.info, mark);
        if (fires) execute_triggered(account, s, o, mark, now);
        changed = changed || fires || before != o.extreme || was_active != o.activated;
    }
    if (changed) ++account.version;
    return changed;
}

}  // namespace tradingd::exchange::paper
