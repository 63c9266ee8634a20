// Conditional orders on Binance's Algo Service (since 2025-12-09): POST/GET/DELETE /fapi/v1/algoOrder.
// They wait outside the book, without a margin check, until the chosen price crosses the trigger.
#include <algorithm>
#include <cmath>

#include "engine.h"

namespace fake {
namespace {

bool is_stop(const std::string& t) {
    return t == "STOP" || t == "STOP_MARKET";
}
bool is_take_profit(const std::string& t) {
    return t == "TAKE_PROFIT" || t == "TAKE_PROFIT_MARKET";
}
bool is_market_kind(const std::string& t) {
    return t.size() > 7 && t.substr(t.size() - 7) == "_MARKET";
}

double reference_price(const App& app, const SymbolSpec& s, const std::string& working_type,
                       std::int64_t now) {
    return working_type == "MARK_PRICE" ? app.sim.mark_price(s, now) : app.sim.last_price(s, now);
}

}  // namespace

AlgoOrder& place_algo(App& app, World& w, Account& acct, const Params& p, std::int64_t now) {
    const std::string& algo_type = p.required("algoType");
    if (algo_type != "CONDITIONAL") reject(-1130, "Data sent for parameter 'algoType' is not valid.");
    const SymbolSpec& s = checked_symbol(app, p);
    const std::string& side = p.required("side");
    if (side != "BUY" && side != "SELL") reject(-1117, "Invalid side.");
    const std::string& type = p.required("type");
    bool trailing = type == "TRAILING_STOP_MARKET";
    if (!is_stop(type) && !is_take_profit(type) && !trailing) reject(-1116, "Invalid orderType.");
    if (p.value_or("positionSide", "BOTH") != "BOTH")
        reject(-4061, "Order's position side does not match user's setting.");
    if (s.status != "TRADING") reject(-4140, "Invalid symbol status for opening position");
    std::string client_id = p.value_or("clientAlgoId", "");
    if (p.has("clientAlgoId")) check_client_id(client_id);
    std::string working = p.value_or("workingType", "CONTRACT_PRICE");
    if (working != "CONTRACT_PRICE" && working != "MARK_PRICE")
        reject(-4031, "Invalid parameter working type");

    AlgoOrder a;
    a.close_position = p.boolean("closePosition", false);
    a.reduce_only = p.boolean("reduceOnly", false);
    a.price_protect = p.boolean("priceProtect", false);
    if (a.close_position) {
        if (type != "STOP_MARKET" && type != "TAKE_PROFIT_MARKET")
            reject(-1106, "Parameter 'closePosition' sent when not required.");
        if (p.has("quantity")) reject(-4137, "Quantity must be zero with closePosition equals true");
        if (a.reduce_only) reject(-4138, "Reduce only must be true with closePosition equals true");
    } else {
        p.required("quantity");
        a.qty = checked_quantity(s, p, is_market_kind(type));
    }
    if (!trailing) a.trigger = checked_price(s, p, "triggerPrice");
    if (type == "STOP" || type == "TAKE_PROFIT") {
        a.price = checked_price(s, p, "price");
        a.tif = p.value_or("timeInForce", "GTC");
    }
    double ref = reference_price(app, s, working, now);
    double trig = fx_to_double(a.trigger);
    bool immediate = (is_stop(type) && (side == "BUY" ? trig <= ref : trig >= ref)) ||
                     (is_take_profit(type) && (side == "BUY" ? trig >= ref : trig <= ref));
    if (trailing) {
        const std::string& rate = p.required("callbackRate");
        auto r = parse_decimal(rate);
        if (!r || r->value < kFxOne / 10 || r->value > 10 * kFxOne)
            reject(-1130, "Data sent for parameter 'callbackRate' is not valid.");
        a.callback_rate = rate;
        if (p.has("activatePrice")) {
            a.activate = checked_price(s, p, "activatePrice");
            double act = fx_to_double(a.activate);
            immediate = side == "SELL" ? act <= ref : act >= ref;
        } else {
            a.activated = true;
            a.extreme = ref;
        }
    }
    if (immediate) reject(-2021, "Order would immediately trigger.");
    for (const auto& [id, other] : acct.algos) {
        if (other.open() && !client_id.empty() && other.client_id == client_id)
            reject(-4116, "ClientOrderId is duplicated.");
    }
    int open_algos = 0;
    for (const auto& [id, other] : acct.algos) open_algos += other.open();
    if (open_algos >= 200) reject(-4045, "Reach max stop order limit.");
    double notional_price = trailing ? (a.activate ? fx_to_double(a.activate) : ref) : trig;
    if (!a.reduce_only && !a.close_position &&
        fx_to_double(a.qty) * notional_price < fx_to_double(s.min_notional))
        reject(-4164, "Order's notional must be no smaller than " + fx_str(s.min_notional) +
                          " (unless you choose reduce only).");

    a.id = w.next_algo_id++;
    a.client_id = client_id.empty() ? generated_client_id(a.id) : client_id;
    a.symbol = s.symbol;
    a.side = side;
    a.type = type;
    a.working_type = working;
    a.create_time = a.update_time = now;
    a.good_till = p.integer("goodTillDate").value_or(0);
    ++w.counters.algo_orders_placed;
    return acct.algos[a.id] = a;
}

const AlgoOrder& find_algo(const Account& acct, const Params& p) {
    auto algo_id = p.integer("algoId");
    const std::string* client_id = p.get("clientAlgoId");
    if (!algo_id && !client_id)
        reject(-1102, "Param 'algoId' or 'clientAlgoId' must be sent, but both were empty/null!");
    for (auto it = acct.algos.rbegin(); it != acct.algos.rend(); ++it) {
        if (algo_id ? it->second.id == *algo_id : it->second.client_id == *client_id) return it->second;
    }
    reject(-2013, "Order does not exist.");
}

AlgoOrder& cancel_algo(Account& acct, const Params& p, std::int64_t now) {
    AlgoOrder* a = nullptr;
    try {
        a = &acct.algos.at(find_algo(acct, p).id);
    } catch (const ApiError& e) {
        if (e.code == -2013) reject(-2011, "Unknown order sent.");
        throw;
    }
    if (!a->open()) reject(-2011, "Unknown order sent.");
    a->status = "CANCELED";
    a->update_time = now;
    return *a;
}

void trigger_algo(App& app, World& w, Account& acct, AlgoOrder& a, std::int64_t now) {
    const SymbolSpec& s = *app.universe.find(a.symbol);
    a.trigger_time = a.update_time = now;
    Fx qty = a.qty;
    if (a.close_position || a.reduce_only) {
        Fx room = reducible(acct, a.symbol, a.side);
        qty = a.close_position ? room : std::min(qty, room);
    }
    bool market = is_market_kind(a.type);
    if (qty <= 0) {  // nothing left to reduce: the matching engine refuses the triggered order
        a.status = "REJECTED";
        a.reject_reason = "REDUCE_ONLY_REJECT";
        return;
    }
    if (!a.reduce_only && !a.close_position) {
        try {  // the margin check happens only now, after the trigger (Algo Service behaviour)
            check_margin(app, acct, s, a.side, qty, app.sim.mark_price(s, now), now);
        } catch (const ApiError&) {
            a.status = "REJECTED";
            a.reject_reason = "MARGIN_NOT_SUFFICIEN";
            return;
        }
    }
    Order o;
    o.id = w.next_order_id++;
    o.client_id = a.client_id;
    o.symbol = a.symbol;
    o.side = a.side;
    o.type = market ? "MARKET" : "LIMIT";
    o.orig_type = a.type;
    o.tif = a.tif;
    o.price = market ? 0 : a.price;
    o.qty = qty;
    o.stop_price = a.trigger;
    o.reduce_only = a.reduce_only || a.close_position;
    o.close_position = a.close_position;
    o.working_type = a.working_type;
    o.price_protect = a.price_protect;
    o.time = o.update_time = now;
    Order& stored = acct.orders[o.id] = o;
    a.actual_order_id = o.id;
    if (market) {
        fill(w, acct, stored, qty, taker_price(app, s, a.side, now), false, now);
        a.status = "FINISHED";
    } else {
        a.status = "TRIGGERED";  // the LIMIT child rests in the book; FINISHED once it is done
    }
}

}  // namespace fake
