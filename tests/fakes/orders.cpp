// POST/GET/DELETE /fapi/v1/order logic: the checks Binance makes (codes from the reference), then the
// order is stored and filled at once (MARKET, marketable LIMIT) or rests until the price crosses it.
#include <algorithm>
#include <cctype>
#include <cmath>

#include "engine.h"

namespace fake {
namespace {

bool is_conditional(const std::string& type) {
    return type == "STOP" || type == "STOP_MARKET" || type == "TAKE_PROFIT" || type == "TAKE_PROFIT_MARKET" ||
           type == "TRAILING_STOP_MARKET";
}

void check_percent_price(const App& app, const SymbolSpec& s, const std::string& side, Fx price,
                         std::int64_t now) {
    double mark = app.sim.mark_price(s, now);
    double up = std::stod(s.multiplier_up), down = std::stod(s.multiplier_down);
    if (side == "BUY" && fx_to_double(price) > mark * up)
        reject(-4016, "Limit price can't be higher than " +
                          fx_str(fx_from_double(mark * up, s.tick, Round::Down)) + ".");
    if (side == "SELL" && fx_to_double(price) < mark * down)
        reject(-4024, "Limit price can't be lower than " +
                          fx_str(fx_from_double(mark * down, s.tick, Round::Up)) + ".");
}

}  // namespace

const SymbolSpec& checked_symbol(const App& app, const Params& p) {
    const SymbolSpec* s = app.universe.find(p.required("symbol"));
    if (!s) reject(-1121, "Invalid symbol.");
    return *s;
}

Fx checked_quantity(const SymbolSpec& s, const Params& p, bool market) {
    ParsedDecimal q = *p.decimal("quantity");
    if (q.decimals > s.quantity_precision)
        reject(-1111, "Precision is over the maximum defined for this asset.");
    if (q.value <= 0) reject(-4003, "Quantity less than or equal to zero.");
    Fx max = market ? s.market_max_qty : s.max_qty;
    if (q.value < s.min_qty) reject(-4004, "Quantity less than min quantity.");
    if (q.value > max) reject(-4005, "Quantity greater than max quantity.");
    if ((q.value - s.min_qty) % s.step != 0) reject(-4023, "Qty not increased by step size.");
    return q.value;
}

Fx checked_price(const SymbolSpec& s, const Params& p, const std::string& key) {
    p.required(key);
    ParsedDecimal d = *p.decimal(key);
    if (d.decimals > s.price_precision)
        reject(-1111, "Precision is over the maximum defined for this asset.");
    if (d.value <= 0) reject(-4001, "Price less than 0.");
    if (d.value < s.min_price) reject(-4013, "Price less than min price.");
    if (d.value > s.max_price) reject(-4002, "Price greater than max price.");
    if ((d.value - s.min_price) % s.tick != 0) reject(-4014, "Price not increased by tick size.");
    return d.value;
}

void check_client_id(const std::string& id) {
    bool ok = !id.empty() && id.size() <= 36;
    for (char c : id)
        ok = ok && (std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == ':' || c == '/' ||
                    c == '_' || c == '-');
    if (!ok) reject(-4015, "Client order id is not valid.");
}

std::string generated_client_id(std::int64_t id) {
    static const char kAlphabet[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    std::uint64_t h = static_cast<std::uint64_t>(id) * 0x9E3779B97F4A7C15ull;
    std::string out;
    for (int i = 0; i < 22; ++i) {
        h ^= h >> 29;
        h *= 0xBF58476D1CE4E5B9ull;
        out += kAlphabet[(h >> 33) % 62];
    }
    return out;
}

Fx reducible(const Account& acct, const std::string& symbol, const std::string& side) {
    auto it = acct.positions.find(symbol);
    Fx amt = it == acct.positions.end() ? 0 : it->second.amount;
    if (side == "BUY" && amt < 0) return -amt;
    if (side == "SELL" && amt > 0) return amt;
    return 0;
}

double taker_price(const App& app, const SymbolSpec& s, const std::string& side, std::int64_t now) {
    double last = app.sim.last_price(s, now);
    // A tiny slippage, never less than one tick, always against the taker.
    double slip = std::max(last * 0.0001, fx_to_double(s.tick));
    return fx_to_double(side == "BUY" ? fx_from_double(last + slip, s.tick, Round::Up)
                                      : fx_from_double(last - slip, s.tick, Round::Down));
}

Order& place_order(App& app, World& w, Account& acct, const Params& p, std::int64_t now) {
    const SymbolSpec& s = checked_symbol(app, p);
    const std::string& side = p.required("side");
    if (side != "BUY" && side != "SELL") reject(-1117, "Invalid side.");
    const std::string& type = p.required("type");
    if (is_conditional(type))
        reject(
            -4120,
            "Order type not supported for this endpoint. Please use the Algo Order API endpoints instead.");
    if (type != "LIMIT" && type != "MARKET") reject(-1116, "Invalid orderType.");
    if (p.value_or("positionSide", "BOTH") != "BOTH")
        reject(-4061, "Order's position side does not match user's setting.");
    if (s.status != "TRADING") reject(-4140, "Invalid symbol status for opening position");
    std::string client_id = p.value_or("newClientOrderId", "");
    if (p.has("newClientOrderId")) check_client_id(client_id);
    bool reduce_only = p.boolean("reduceOnly", false);
    const std::string& resp_type = p.value_or("newOrderRespType", "ACK");
    if (resp_type != "ACK" && resp_type != "RESULT") reject(-1136, "Invalid newOrderRespType.");
    p.required("quantity");
    bool market = type == "MARKET";
    Fx qty = checked_quantity(s, p, market);
    Fx price = 0;
    std::string tif;
    if (market) {
        if (p.has("price")) reject(-1106, "Parameter 'price' sent when not required.");
    } else {
        tif = p.required("timeInForce");
        if (tif != "GTC" && tif != "IOC" && tif != "FOK" && tif != "GTX" && tif != "GTD")
            reject(-1115, "Invalid timeInForce.");
        price = checked_price(s, p, "price");
        check_percent_price(app, s, side, price, now);
    }
    for (const auto& [id, o] : acct.orders) {
        if (o.open() && !client_id.empty() && o.client_id == client_id)
            reject(-4116, "ClientOrderId is duplicated.");
    }
    int open_here = 0;
    for (const auto& [id, o] : acct.orders) open_here += o.open() && o.symbol == s.symbol;
    if (open_here >= 200) reject(-2025, "Reach max open order limit.");
    if (reduce_only && reducible(acct, s.symbol, side) == 0) reject(-2022, "ReduceOnly Order is rejected.");
    double ref = market ? app.sim.mark_price(s, now) : fx_to_double(price);
    if (!reduce_only && fx_to_double(qty) * ref < fx_to_double(s.min_notional))
        reject(-4164, "Order's notional must be no smaller than " + fx_str(s.min_notional) +
                          " (unless you choose reduce only).");
    if (!reduce_only) check_margin(app, acct, s, side, qty, ref, now);

    double taker = taker_price(app, s, side, now);
    bool marketable = market || (side == "BUY" ? fx_to_double(price) >= taker : fx_to_double(price) <= taker);
    if (tif == "GTX" && marketable)
        reject(-5022,
               "Due to the order could not be executed as maker, the Post Only order will be rejected. "
               "The order will not be recorded in the order history");
    if (tif == "FOK" && !marketable)
        reject(-5021,
               "Due to the order could not be filled immediately, the FOK order has been rejected. "
               "The order will not be recorded in the order history");

    Order o;
    o.id = w.next_order_id++;
    o.client_id = client_id.empty() ? generated_client_id(o.id) : client_id;
    o.symbol = s.symbol;
    o.side = side;
    o.type = o.orig_type = type;
    o.tif = market ? "GTC" : tif;
    o.price = price;
    o.qty = qty;
    o.reduce_only = reduce_only;
    o.time = o.update_time = now;
    o.good_till = p.integer("goodTillDate").value_or(0);
    Order& stored = acct.orders[o.id] = o;
    ++w.counters.orders_placed;

    if (marketable) {
        double limit = fx_to_double(price);
        double px = market ? taker : side == "BUY" ? std::min(limit, taker) : std::max(limit, taker);
        Fx q = reduce_only ? std::min(qty, reducible(acct, s.symbol, side)) : qty;
        fill(w, acct, stored, q, px, false, now);
        if (stored.executed < stored.qty) stored.status = "EXPIRED";  // reduce-only capped at the position
    } else if (tif == "IOC") {
        stored.status = "EXPIRED";
    }
    return stored;
}

const Order& find_order(const Account& acct, const Params& p) {
    const std::string& symbol = p.required("symbol");
    auto order_id = p.integer("orderId");
    const std::string* client_id = p.get("origClientOrderId");
    if (!order_id && !client_id)
        reject(-1102, "Param 'orderId' or 'origClientOrderId' must be sent, but both were empty/null!");
    // Newest first: a client id may be reused once its first order is closed.
    for (auto it = acct.orders.rbegin(); it != acct.orders.rend(); ++it) {
        const Order& o = it->second;
        if (o.symbol != symbol) continue;
        if (order_id ? o.id == *order_id : o.client_id == *client_id) return o;
    }
    reject(-2013, "Order does not exist.");
}

Order& cancel_order(Account& acct, const Params& p, std::int64_t now) {
    Order* o = nullptr;
    try {
        o = &acct.orders.at(find_order(acct, p).id);
    } catch (const ApiError& e) {
        if (e.code == -2013) reject(-2011, "Unknown order sent.");
        throw;
    }
    if (!o->open()) reject(-2011, "Unknown order sent.");
    o->status = "CANCELED";
    o->update_time = now;
    return *o;
}

}  // namespace fake
