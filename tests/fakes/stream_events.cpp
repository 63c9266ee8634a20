// The user-data-stream event shapes (reference §6) and the diff that produces them.
#include "stream_events.h"

#include <algorithm>
#include <cmath>

#include "engine.h"
#include "views.h"

namespace fake {
namespace {

bool terminal(const std::string& status) {
    return status == "CANCELED" || status == "EXPIRED" || status == "REJECTED";
}

// One ORDER_TRADE_UPDATE. `trade` is the fill it reports (x TRADE), or null for a state change.
Json order_event(const Order& o, const std::string& exec, const std::string& status, Fx cum_qty,
                 double cum_quote, const Trade* trade, std::int64_t now) {
    Json e;
    e["s"] = o.symbol;
    e["c"] = o.client_id;
    e["S"] = o.side;
    e["o"] = o.type;
    e["f"] = o.tif;
    e["q"] = fx_str(o.qty);
    e["p"] = fx_str(o.price);
    e["ap"] = num(cum_qty > 0 ? cum_quote / fx_to_double(cum_qty) : 0.0);
    e["sp"] = fx_str(o.stop_price);
    e["x"] = exec;
    e["X"] = status;
    e["i"] = o.id;
    e["l"] = trade ? fx_str(trade->qty) : "0";
    e["z"] = fx_str(cum_qty);
    e["L"] = trade ? num(trade->price) : "0";
    e["N"] = "USDT";
    e["n"] = trade ? money(trade->commission, 8) : "0";
    e["T"] = trade ? trade->time : now;
    e["t"] = trade ? trade->id : 0;
    e["b"] = "0";
    e["a"] = "0";
    e["m"] = trade ? trade->maker : false;
    e["R"] = o.reduce_only;
    e["wt"] = o.working_type;
    e["ot"] = o.orig_type;
    e["ps"] = o.position_side;
    e["cp"] = o.close_position;
    e["rp"] = trade ? money(trade->realized, 8) : "0";
    e["pP"] = o.price_protect;
    e["si"] = 0;
    e["ss"] = 0;
    e["V"] = "EXPIRE_MAKER";
    e["pm"] = "NONE";
    e["gtd"] = o.good_till;
    if (status == "EXPIRED") e["er"] = "0";
    return Json{{"e", "ORDER_TRADE_UPDATE"}, {"E", now}, {"T", now}, {"o", e}};
}

Json algo_event(const AlgoOrder& a, const std::string& status, std::int64_t now) {
    Json e;
    e["caid"] = a.client_id;
    e["aid"] = a.id;
    e["at"] = "CONDITIONAL";
    e["o"] = a.type;
    e["s"] = a.symbol;
    e["S"] = a.side;
    e["ps"] = "BOTH";
    e["f"] = a.tif;
    e["q"] = fx_str(a.qty);
    e["X"] = status;
    e["ai"] = a.actual_order_id ? std::to_string(a.actual_order_id) : "";
    e["tp"] = fx_str(a.trigger);
    e["p"] = fx_str(a.price);
    e["V"] = "EXPIRE_MAKER";
    e["wt"] = a.working_type;
    e["pm"] = "NONE";
    e["cp"] = a.close_position;
    e["pP"] = a.price_protect;
    e["R"] = a.reduce_only;
    e["tt"] = a.trigger_time;
    e["gtd"] = a.good_till;
    e["rm"] = a.reject_reason;
    return Json{{"e", "ALGO_UPDATE"}, {"T", now}, {"E", now}, {"o", e}};
}

Json position_entry(const App& app, const std::string& symbol, const Position& p, std::int64_t now) {
    const SymbolSpec& s = *app.universe.find(symbol);
    double be = p.amount == 0 ? 0 : p.entry * (p.amount > 0 ? 1 + kTakerFee : 1 - kTakerFee);
    return {{"s", symbol},        {"pa", fx_fixed(p.amount, s.quantity_precision)},
            {"ep", num(p.entry)}, {"bep", num(be)},
            {"cr", "0"},          {"up", money(unrealized_pnl(app, s, p, now), 8)},
            {"mt", "cross"},      {"iw", "0"},
            {"ps", "BOTH"}};
}

bool same(const Position& a, const Position& b) {
    return a.amount == b.amount && a.entry == b.entry;
}

}  // namespace

Json listen_key_expired_json(const std::string& listen_key, std::int64_t now) {
    return {{"e", "listenKeyExpired"}, {"E", now}, {"listenKey", listen_key}};
}

StreamLedger::Seen StreamLedger::baseline(const App& app, const std::string& key) {
    // A World starts with the seeded accounts and nothing else, so what differs from the seed is news
    // even when it happened before the first run (an order placed right after a reset).
    Seen s;
    for (const AccountSeed& seed : app.seeds) {
        if (seed.key == key) s.wallet = seed.balance;
    }
    return s;
}

void StreamLedger::collect(const App& app, const World& w, std::int64_t now, std::vector<StreamEvent>& out) {
    if (w.epoch != epoch_) {  // a reset World: nothing that happened before it is news
        epoch_ = w.epoch;
        seen_.clear();
    }
    for (const auto& [key, acct] : w.accounts) {
        auto it = seen_.find(key);
        if (it == seen_.end()) it = seen_.emplace(key, baseline(app, key)).first;
        diff(app, acct, it->second, now, out);
    }
}

void StreamLedger::diff(const App& app, const Account& a, Seen& seen, std::int64_t now,
                        std::vector<StreamEvent>& out) {
    const std::size_t first = out.size();
    auto push = [&](Json body, std::int64_t at) { out.push_back({a.key, std::move(body), at}); };
    // Fills since the last run, by order; Binance reports each one as its own x=TRADE event.
    std::map<std::int64_t, std::vector<const Trade*>> fills;
    for (std::size_t i = seen.trades; i < a.trades.size(); ++i)
        fills[a.trades[i].order_id].push_back(&a.trades[i]);

    // Conditional orders first up to their trigger, so a stop's ALGO_UPDATE precedes its child order's.
    for (const auto& [id, al] : a.algos) {
        auto [prev, fresh] = seen.algos.try_emplace(id, "NEW");
        if (fresh) push(algo_event(al, "NEW", al.create_time), al.create_time);
        if (prev->second == "NEW" && al.actual_order_id != 0) {
            push(algo_event(al, "TRIGGERED", al.trigger_time), al.trigger_time);
            prev->second = "TRIGGERED";
        }
    }
    for (const auto& [id, o] : a.orders) {
        auto prev = seen.orders.find(id);
        auto f = fills.find(id);
        if (prev != seen.orders.end() && prev->second == o.status && f == fills.end()) continue;
        if (prev == seen.orders.end()) push(order_event(o, "NEW", "NEW", 0, 0, nullptr, o.time), o.time);
        if (f != fills.end()) {
            // Cumulative figures as of each fill: what was executed before this run's fills, then each.
            Fx cum = o.executed;
            double quote = o.cum_quote;
            for (const Trade* t : f->second) cum -= t->qty, quote -= t->quote;
            for (const Trade* t : f->second) {
                cum += t->qty;
                quote += t->quote;
                push(order_event(o, "TRADE", cum >= o.qty ? "FILLED" : "PARTIALLY_FILLED", cum, quote, t,
                                 t->time),
                     t->time);
            }
        }
        if (terminal(o.status) && (prev == seen.orders.end() || prev->second != o.status))
            push(order_event(o, o.status == "CANCELED" ? "CANCELED" : "EXPIRED", o.status, o.executed,
                             o.cum_quote, nullptr, o.update_time),
                 o.update_time);
        seen.orders[id] = o.status;
    }
    for (const auto& [id, al] : a.algos) {
        std::string& before = seen.algos[id];
        if (al.status != "NEW" && al.status != before)
            push(algo_event(al, al.status, al.update_time), al.update_time);
        before = al.status;
    }

    Json changed = Json::array();
    for (const auto& [symbol, p] : a.positions) {
        auto prev = seen.positions.find(symbol);
        if (prev == seen.positions.end() ? p.amount != 0 : !same(prev->second, p))
            changed.push_back(position_entry(app, symbol, p, now));
    }
    const bool wallet_moved = std::fabs(a.wallet - seen.wallet) > 1e-12;
    if (!changed.empty() || wallet_moved) {
        Json balance{{"a", "USDT"},
                     {"wb", money(a.wallet, 8)},
                     {"cw", money(a.wallet, 8)},
                     {"bc", money(fills.empty() ? a.wallet - seen.wallet : 0.0, 8)}};
        // Fills are reason ORDER; a balance set through /_fake/balance looks like a deposit.
        const char* reason = fills.empty() ? "DEPOSIT" : "ORDER";
        std::int64_t at = now;  // with the last fill that moved it
        if (!fills.empty()) at = a.trades.back().time;
        push(Json{{"e", "ACCOUNT_UPDATE"},
                  {"E", now},
                  {"T", now},
                  {"a", {{"m", reason}, {"B", Json::array({balance})}, {"P", changed}}}},
             at);
    }
    // Gathered by kind (stops, orders, stops' ends, balances); sent in the order they happened.
    std::stable_sort(out.begin() + static_cast<std::ptrdiff_t>(first), out.end(),
                     [](const StreamEvent& x, const StreamEvent& y) { return x.at < y.at; });
    seen.positions = a.positions;
    seen.wallet = a.wallet;
    seen.trades = a.trades.size();
}

}  // namespace fake
