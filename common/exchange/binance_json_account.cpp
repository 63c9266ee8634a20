// Reading Binance's account and order reply shapes: balances, positions, plain and algo (conditional)
// orders, leverage and trades.
#include "exchange/binance_json.h"

#include "exchange/binance_json_fields.h"

namespace tradingd::exchange::binance_json {

using namespace fields;

namespace {

// Binance also sends words this type has no name for (GTE_GTC on close-position orders): not an error.
std::optional<TimeInForce> time_in_force(const json& obj) {
    const json* v = find(obj, "timeInForce");
    return v && v->is_string() ? lookup(v->get_ref<const std::string&>(), kTifs) : std::nullopt;
}

WorkingType working_type(const json& obj) {
    return find(obj, "workingType") ? word(obj, "workingType", kWorkingTypes) : WorkingType::contract_price;
}

// An untriggered conditional order has no order status of its own; this is the nearest one.
OrderStatus status_of(AlgoStatus s) {
    switch (s) {
        case AlgoStatus::new_:
        case AlgoStatus::triggering:
        case AlgoStatus::triggered:
            return OrderStatus::new_;
        case AlgoStatus::finished:
            return OrderStatus::filled;
        case AlgoStatus::canceled:
            return OrderStatus::canceled;
        case AlgoStatus::rejected:
            return OrderStatus::rejected;
        case AlgoStatus::expired:
            return OrderStatus::expired;
    }
    return OrderStatus::new_;
}

OrderInfo plain_order(const json& j) {
    OrderInfo o;
    o.kind = OrderKind::plain;
    o.symbol = text(j, "symbol");
    o.order_id = integer(j, "orderId");
    o.client_order_id = text(j, "clientOrderId");
    o.side = word(j, "side", kSides);
    o.type = word(j, "type", kTypes);
    o.position_side = find(j, "positionSide") ? word(j, "positionSide", kPositionSides) : PositionSide::both;
    o.status = word(j, "status", kStatuses);
    o.price = dec(j, "price");
    o.stop_price = dec_or_zero(j, "stopPrice");
    o.avg_price = dec_or_zero(j, "avgPrice");
    o.orig_qty = dec(j, "origQty");
    o.executed_qty = dec(j, "executedQty");
    o.cum_quote = dec_or_zero(j, "cumQuote");
    o.reduce_only = flag(j, "reduceOnly", false);
    o.close_position = flag(j, "closePosition", false);
    o.time_in_force = time_in_force(j);
    o.working_type = working_type(j);
    o.update_time = integer_or(j, "updateTime", 0);
    o.time = integer_or(j, "time", o.update_time);
    return o;
}

OrderInfo conditional_order(const json& j) {
    OrderInfo o;
    o.kind = OrderKind::conditional;
    o.symbol = text(j, "symbol");
    o.algo_id = integer(j, "algoId");
    o.order_id = integer_or(j, "actualOrderId", 0);
    o.client_order_id = text(j, "clientAlgoId");
    o.side = word(j, "side", kSides);
    o.type = word(j, "orderType", kTypes);
    o.position_side = find(j, "positionSide") ? word(j, "positionSide", kPositionSides) : PositionSide::both;
    o.algo_status = word(j, "algoStatus", kAlgoStatuses);
    o.status = status_of(*o.algo_status);
    o.price = dec_or_zero(j, "price");
    o.stop_price = dec(j, "triggerPrice");
    o.orig_qty = dec_or_zero(j, "quantity");
    o.reduce_only = flag(j, "reduceOnly", false);
    o.close_position = flag(j, "closePosition", false);
    o.time_in_force = time_in_force(j);
    o.working_type = working_type(j);
    o.time = integer_or(j, "createTime", 0);
    o.update_time = integer_or(j, "updateTime", o.time);
    return o;
}

}  // namespace

Result<std::vector<Balance>> balances(const json& body) {
    return read("balance", [&] {
        return each<Balance>(body, "balances", [](const json& j) {
            Balance b;
            b.asset = text(j, "asset");
            b.wallet_balance = dec(j, "balance");
            b.available_balance = dec(j, "availableBalance");
            b.unrealized_pnl = dec_or_zero(j, "crossUnPnl");
            return b;
        });
    });
}

Result<std::vector<PositionInfo>> positions(const json& body) {
    return read("positionRisk", [&] {
        std::vector<PositionInfo> out;
        for (const json& j : need_array(body, "positions")) {
            PositionInfo p;
            p.amount = dec(j, "positionAmt");
            if (p.amount.is_zero()) continue;
            p.symbol = text(j, "symbol");
            p.position_side =
                find(j, "positionSide") ? word(j, "positionSide", kPositionSides) : PositionSide::both;
            p.entry_price = dec(j, "entryPrice");
            p.mark_price = dec(j, "markPrice");
            p.unrealized_pnl = dec(j, "unRealizedProfit");
            p.liquidation_price = dec_or_zero(j, "liquidationPrice");
            p.leverage = static_cast<int>(integer_or(j, "leverage", 0));
            p.margin_type = find(j, "marginType") && text(j, "marginType") == "isolated"
                                ? MarginType::isolated
                                : MarginType::cross;
            p.update_time = integer_or(j, "updateTime", 0);
            out.push_back(std::move(p));
        }
        return out;
    });
}

Result<OrderInfo> order(const json& body) {
    return read("order", [&] { return plain_order(body); });
}

Result<OrderInfo> algo_order(const json& body) {
    return read("algoOrder", [&] { return conditional_order(body); });
}

Result<std::vector<OrderInfo>> orders(const json& body) {
    return read("openOrders", [&] { return each<OrderInfo>(body, "orders", plain_order); });
}

Result<std::vector<OrderInfo>> algo_orders(const json& body) {
    return read("openAlgoOrders", [&] { return each<OrderInfo>(body, "algo orders", conditional_order); });
}

Result<LeverageInfo> leverage(const json& body) {
    return read("leverage", [&] {
        LeverageInfo l;
        l.symbol = text(body, "symbol");
        l.leverage = static_cast<int>(integer(body, "leverage"));
        l.max_notional = dec(body, "maxNotionalValue");
        return l;
    });
}

Result<std::vector<UserTrade>> user_trades(const json& body) {
    return read("userTrades", [&] {
        return each<UserTrade>(body, "trades", [](const json& j) {
            UserTrade t;
            t.id = integer(j, "id");
            t.order_id = integer(j, "orderId");
            t.symbol = text(j, "symbol");
            t.side = word(j, "side", kSides);
            t.position_side =
                find(j, "positionSide") ? word(j, "positionSide", kPositionSides) : PositionSide::both;
            t.price = dec(j, "price");
            t.qty = dec(j, "qty");
            t.quote_qty = dec_or_zero(j, "quoteQty");
            t.realized_pnl = dec_or_zero(j, "realizedPnl");
            t.commission = dec_or_zero(j, "commission");
            t.commission_asset = find(j, "commissionAsset") ? text(j, "commissionAsset") : std::string();
            t.maker = flag(j, "maker", false);
            t.time = integer(j, "time");
            return t;
        });
    });
}

}  // namespace tradingd::exchange::binance_json
