// The fake's matching loop: resting LIMIT orders fill at their price once the simulated last price
// crosses it, and conditional orders fire once their working price crosses the trigger.
#include <algorithm>

#include "engine.h"

namespace fake {
namespace {

void match_limit(App& app, World& w, Account& acct, Order& o, std::int64_t from, std::int64_t now) {
    const SymbolSpec& s = *app.universe.find(o.symbol);
    PriceRange r = app.sim.last_range(s, std::max(from, o.time), now);
    double limit = fx_to_double(o.price);
    bool crossed = o.side == "BUY" ? r.low <= limit : r.high >= limit;
    if (!crossed) return;
    Fx qty = o.qty - o.executed;
    if (o.reduce_only) {
        qty = std::min(qty, reducible(acct, o.symbol, o.side));
        if (qty <= 0) {  // the position it was meant to reduce is gone
            o.status = "EXPIRED";
            o.update_time = now;
            return;
        }
    }
    fill(w, acct, o, qty, limit, true, now);
    if (o.executed < o.qty) o.status = "EXPIRED";
}

bool should_fire(App& app, AlgoOrder& a, std::int64_t from, std::int64_t now) {
    const SymbolSpec& s = *app.universe.find(a.symbol);
    std::int64_t start = std::max(from, a.create_time);
    PriceRange r = a.working_type == "MARK_PRICE" ? app.sim.mark_range(s, start, now)
                                                  : app.sim.last_range(s, start, now);
    double trig = fx_to_double(a.trigger);
    bool buy = a.side == "BUY";
    if (a.type == "STOP" || a.type == "STOP_MARKET") return buy ? r.high >= trig : r.low <= trig;
    if (a.type == "TAKE_PROFIT" || a.type == "TAKE_PROFIT_MARKET")
        return buy ? r.low <= trig : r.high >= trig;
    // TRAILING_STOP_MARKET: activate, follow the best price, fire on a callbackRate pull-back.
    double rate = std::stod(a.callback_rate) / 100.0;
    if (!a.activated) {
        double act = fx_to_double(a.activate);
        if (buy ? r.low <= act : r.high >= act) {
            a.activated = true;
            a.extreme = act;
        } else {
            return false;
        }
    }
    if (buy) {
        a.extreme = std::min(a.extreme, r.low);
        return r.high >= a.extreme * (1 + rate);
    }
    a.extreme = std::max(a.extreme, r.high);
    return r.low <= a.extreme * (1 - rate);
}

}  // namespace

void run_matching(App& app, World& w, std::int64_t now) {
    std::int64_t from = w.last_match_ms ? w.last_match_ms : now - 1000;
    // Always look at the price at `now`, even within the same millisecond as the last run: a forced price
    // (/_fake/price) may have changed it. A clock moved back by a skew reset restarts from now.
    if (now < from) from = now;
    for (auto& [key, acct] : w.accounts) {
        for (auto& [id, a] : acct.algos) {
            if (a.open() && should_fire(app, a, from, now)) trigger_algo(app, w, acct, a, now);
        }
        for (auto& [id, o] : acct.orders) {
            if (o.open() && o.type == "LIMIT") match_limit(app, w, acct, o, from, now);
        }
        for (auto& [id, a] : acct.algos) {  // a triggered STOP/TAKE_PROFIT is done once its child is
            if (a.status != "TRIGGERED") continue;
            auto child = acct.orders.find(a.actual_order_id);
            if (child == acct.orders.end() || !child->second.open())
                a.status = "FINISHED", a.update_time = now;
        }
    }
    w.last_match_ms = now;
}

}  // namespace fake
