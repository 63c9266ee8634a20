// See sim_exchange.h. Exact decimals throughout, like the exchange; commission 0.04 % (taker).
#include "sim_exchange.h"

#include <algorithm>

#include "exchange/filters.h"

namespace tradingd::bot::test {

using namespace tradingd::exchange;
using money::Rounding;

namespace {

const Decimal kFeeRate = Decimal::parse("0.0004");

Error timeout() {
    return make_error(0, std::nullopt, "timed out after sending", Transport::timed_out);
}

bool live(const OrderInfo& o) {
    if (o.kind == OrderKind::conditional) return o.algo_status == AlgoStatus::new_;
    return o.status == OrderStatus::new_ || o.status == OrderStatus::partially_filled;
}

}  // namespace

SimExchange::SimExchange(Decimal wallet) : wallet_(wallet) {}

void SimExchange::add_symbol(const SymbolInfo& info, Decimal price) {
    symbols_[info.symbol] = info;
    prices_[info.symbol] = price;
}

Decimal SimExchange::position_amount(const std::string& symbol) const {
    auto it = positions_.find(symbol);
    return it == positions_.end() ? Decimal{} : it->second.amount;
}

void SimExchange::set_price(const std::string& symbol, Decimal price) {
    prices_[symbol] = price;
    for (std::size_t i = 0; i < orders_.size(); ++i) {
        auto& o = orders_[i];
        if (o.symbol == symbol && o.kind == OrderKind::conditional && live(o) && fires(o, price)) trigger(o);
    }
}

bool SimExchange::fires(OrderInfo& o, Decimal p) {
    const bool sell = o.side == Side::sell;
    switch (o.type) {
        case OrderType::stop_market:
            return sell ? p <= o.stop_price : p >= o.stop_price;
        case OrderType::take_profit_market:
            return sell ? p >= o.stop_price : p <= o.stop_price;
        case OrderType::trailing_stop_market: {
            auto& t = trails_[o.algo_id];
            if (!t.armed && (o.stop_price.is_zero() || (sell ? p >= o.stop_price : p <= o.stop_price))) {
                t.armed = true;
                t.extreme = p;
            }
            if (!t.armed) return false;
            t.extreme = sell ? std::max(t.extreme, p) : std::min(t.extreme, p);
            // o.price holds the callback rate in percent (the sim's own convention).
            Decimal band = t.extreme.mul(o.price, Rounding::down).div(Decimal::from_int(100), Rounding::down);
            return sell ? p <= t.extreme - band : p >= t.extreme + band;
        }
        default:
            return false;
    }
}

void SimExchange::trigger(OrderInfo& o) {
    Decimal room = reducible(o.symbol, o.side);
    Decimal qty = o.close_position ? room : std::min(o.orig_qty, room);
    o.update_time = now_;
    if (qty.is_zero()) {
        o.algo_status = AlgoStatus::rejected;
        o.status = OrderStatus::rejected;
        return;
    }
    o.order_id = next_id_++;
    fill(o, qty, prices_[o.symbol]);
    o.algo_status = AlgoStatus::finished;
}

Decimal SimExchange::reducible(const std::string& symbol, Side side) const {
    Decimal amount = position_amount(symbol);
    if (side == Side::sell) return amount.is_positive() ? amount : Decimal{};
    return amount.is_negative() ? -amount : Decimal{};
}

void SimExchange::fill(OrderInfo& o, Decimal qty, Decimal price) {
    auto& pos = positions_[o.symbol];
    const Decimal signed_qty = o.side == Side::buy ? qty : -qty;
    Decimal realized;
    if (pos.amount.is_zero() || pos.amount.is_positive() == signed_qty.is_positive()) {
        Decimal cost =
            pos.amount.abs().mul(pos.entry, Rounding::half_even) + qty.mul(price, Rounding::half_even);
        pos.amount += signed_qty;
        pos.entry = cost.div(pos.amount.abs(), Rounding::half_even);
    } else {
        Decimal closing = std::min(qty, pos.amount.abs());
        Decimal diff = pos.amount.is_positive() ? price - pos.entry : pos.entry - price;
        realized = diff.mul(closing, Rounding::half_even);
        pos.amount += o.side == Side::buy ? closing : -closing;
        Decimal rest = qty - closing;
        if (rest.is_positive()) {
            pos.amount = o.side == Side::buy ? rest : -rest;
            pos.entry = price;
        } else if (pos.amount.is_zero()) {
            pos.entry = Decimal{};
        }
    }
    Decimal quote = qty.mul(price, Rounding::half_even);
    Decimal fee = quote.mul(kFeeRate, Rounding::half_even).round_to_step(Decimal::parse("0.00000001"));
    wallet_ += realized - fee;
    UserTrade t;
    t.id = next_id_++;
    t.order_id = o.order_id;
    t.symbol = o.symbol;
    t.side = o.side;
    t.price = price;
    t.qty = qty;
    t.quote_qty = quote;
    t.realized_pnl = realized;
    t.commission = fee;
    t.commission_asset = commission_asset;
    t.time = now_;
    trades_.push_back(t);
    o.executed_qty = qty;
    o.avg_price = price;
    o.cum_quote = quote;
    o.status = OrderStatus::filled;
    o.update_time = now_;
}

OrderInfo* SimExchange::find(const std::string& symbol, const std::string& id, OrderKind kind) {
    for (auto it = orders_.rbegin(); it != orders_.rend(); ++it)
        if (it->symbol == symbol && it->client_order_id == id && it->kind == kind) return &*it;
    return nullptr;
}

Result<OrderInfo> SimExchange::place_order(const OrderRequest& req) {
    Fault f = fault("place");
    if (f == Fault::timeout_before) return timeout();
    auto r = accept(req);
    if (f == Fault::timeout_after) return timeout();
    return r;
}

Result<OrderInfo> SimExchange::accept(const OrderRequest& req) {
    auto sym = symbols_.find(req.symbol);
    if (sym == symbols_.end()) return make_error(400, -1121, "Invalid symbol.");
    const OrderKind kind = kind_of(req.type);
    for (const auto& o : orders_)
        if (o.client_order_id == req.client_order_id && o.kind == kind && live(o))
            return make_error(400, -4116, "ClientOrderId is duplicated.");
    OrderInfo o;
    o.symbol = req.symbol;
    o.kind = kind;
    o.client_order_id = req.client_order_id;
    o.side = req.side;
    o.type = req.type;
    o.reduce_only = req.reduce_only;
    o.close_position = req.close_position;
    o.working_type = req.working_type;
    o.time = o.update_time = now_;
    const Decimal price = prices_[req.symbol];
    if (kind == OrderKind::plain) {
        if (req.type != OrderType::market) return make_error(400, -1116, "Invalid orderType.");
        Decimal qty = round_quantity(sym->second, req.quantity.value_or(Decimal{}), req.type);
        if (!qty.is_positive()) return make_error(400, -4003, "Quantity less than or equal to zero.");
        if (req.reduce_only) {
            qty = std::min(qty, reducible(req.symbol, req.side));
            if (qty.is_zero()) return make_error(400, -2022, "ReduceOnly Order is rejected.");
        } else {
            Balance bal = account();
            int lev = leverage_.count(req.symbol) ? leverage_[req.symbol] : 20;
            Decimal need = qty.mul(price, Rounding::up).div(Decimal::from_int(lev), Rounding::up);
            if (need > bal.available_balance) return make_error(400, -2019, "Margin is insufficient.");
        }
        o.order_id = next_id_++;
        o.orig_qty = qty;
        orders_.push_back(o);
        fill(orders_.back(), qty, price);
        return orders_.back();
    }
    o.algo_id = next_id_++;
    o.algo_status = AlgoStatus::new_;
    o.orig_qty = req.quantity.value_or(Decimal{});
    if (req.type == OrderType::trailing_stop_market) {
        o.stop_price = req.activation_price.value_or(Decimal{});
        o.price = req.callback_rate.value_or(Decimal::parse("1"));
    } else {
        o.stop_price = req.stop_price.value_or(Decimal{});
        OrderInfo probe = o;
        if (fires(probe, price)) return make_error(400, -2021, "Order would immediately trigger.");
    }
    orders_.push_back(o);
    return o;
}

Result<OrderInfo> SimExchange::query_order(const std::string& symbol, const std::string& id, OrderKind kind) {
    if (fault("query") != Fault::none) return timeout();
    if (auto* o = find(symbol, id, kind)) return *o;
    return make_error(400, -2013, "Order does not exist.");
}

Result<OrderInfo> SimExchange::cancel_order(const std::string& symbol, const std::string& id,
                                            OrderKind kind) {
    Fault f = fault("cancel");
    if (f == Fault::timeout_before) return timeout();
    auto* o = find(symbol, id, kind);
    if (!o || !live(*o)) return make_error(400, -2011, "Unknown order sent.");
    o->status = OrderStatus::canceled;
    if (kind == OrderKind::conditional) o->algo_status = AlgoStatus::canceled;
    o->update_time = now_;
    if (f == Fault::timeout_after) return timeout();
    return *o;
}

Result<std::vector<Balance>> SimExchange::balances() {
    if (fault("balances") != Fault::none) return timeout();
    return std::vector<Balance>{account()};
}

Balance SimExchange::account() {
    Balance b;
    b.asset = "USDT";
    b.wallet_balance = wallet_;
    Decimal used;
    for (const auto& [symbol, pos] : positions_) {
        if (pos.amount.is_zero()) continue;
        b.unrealized_pnl += (prices_[symbol] - pos.entry).mul(pos.amount, Rounding::half_even);
        int lev = leverage_.count(symbol) ? leverage_[symbol] : 20;
        used += pos.amount.abs().mul(prices_[symbol], Rounding::up).div(Decimal::from_int(lev), Rounding::up);
    }
    b.available_balance = wallet_ + b.unrealized_pnl - used;
    return b;
}

Result<std::vector<PositionInfo>> SimExchange::positions() {
    if (fault("positions") != Fault::none) return timeout();
    std::vector<PositionInfo> out;
    for (const auto& [symbol, pos] : positions_) {
        if (pos.amount.is_zero()) continue;
        PositionInfo p;
        p.symbol = symbol;
        p.amount = pos.amount;
        p.entry_price = pos.entry;
        p.mark_price = prices_[symbol];
        p.leverage = leverage_.count(symbol) ? leverage_[symbol] : 20;
        out.push_back(p);
    }
    return out;
}

Result<std::vector<OrderInfo>> SimExchange::open_orders(const std::optional<std::string>& symbol) {
    if (fault("open_orders") != Fault::none) return timeout();
    std::vector<OrderInfo> out;
    for (const auto& o : orders_)
        if (live(o) && (!symbol || o.symbol == *symbol)) out.push_back(o);
    return out;
}

Result<LeverageInfo> SimExchange::set_leverage(const std::string& symbol, int leverage) {
    Fault f = fault("leverage");
    if (f == Fault::timeout_before) return timeout();
    leverage_[symbol] = leverage;
    if (f == Fault::timeout_after) return timeout();
    return LeverageInfo{symbol, leverage, Decimal::from_int(1'000'000)};
}

Result<void> SimExchange::set_margin_type(const std::string&, MarginType) {
    if (fault("margin_type") != Fault::none) return timeout();
    return {};
}

Result<std::vector<UserTrade>> SimExchange::user_trades(const TradeQuery& q) {
    if (fault("user_trades") != Fault::none) return timeout();
    std::vector<UserTrade> out;
    for (const auto& t : trades_) {
        if (t.symbol != q.symbol) continue;
        if (q.order_id && t.order_id != *q.order_id) continue;
        if (q.start_time && t.time < *q.start_time) continue;
        if (q.end_time && t.time > *q.end_time) continue;
        out.push_back(t);
        if (static_cast<int>(out.size()) >= q.limit) break;
    }
    return out;
}

}  // namespace tradingd::bot::test
