// The fake's own control API under /_fake/ (JSON in, JSON out): fault injection, balances, key
// restrictions, weight budget, clock skew, forced prices, and a state dump for tests to assert on.
#include <stdexcept>

#include "routes.h"
#include "views.h"

namespace fake {
namespace {

Account& account_for(World& w, const Json& body) {
    if (body.contains("key")) {
        auto it = w.accounts.find(body["key"].get<std::string>());
        if (it == w.accounts.end()) throw std::invalid_argument("unknown key");
        return it->second;
    }
    if (w.accounts.size() != 1)
        throw std::invalid_argument("\"key\" is required when there are several accounts");
    return w.accounts.begin()->second;
}

Json restrictions_json(const Restrictions& r) {
    return {{"ipRestrict", r.ip_restrict},
            {"enableReading", r.enable_reading},
            {"enableFutures", r.enable_futures},
            {"enableWithdrawals", r.enable_withdrawals},
            {"enableInternalTransfer", r.enable_internal_transfer},
            {"permitsUniversalTransfer", r.permits_universal_transfer},
            {"allowedIps", r.allowed_ips}};
}

Json fault_json(const Fault& f) {
    return {{"method", f.method}, {"path", f.path},       {"remaining", f.remaining}, {"action", f.action},
            {"status", f.status}, {"variant", f.variant}, {"after", f.after},         {"hold_ms", f.hold_ms}};
}

Json stream_counters(const World& w) {
    return {{"connections_open", w.stream.connections_open},
            {"connections_total", w.stream.connections_total},
            {"messages", w.stream.messages},
            {"dropped", w.stream.dropped},
            {"expired", w.stream.expired}};
}

Json state(App& app, const Json&) {
    std::int64_t now = app.now();
    return app.world.with([&](World& w) {
        run_matching(app, w, now);
        Json j;
        j["server_time"] = now;
        j["counters"] = {{"requests", w.counters.requests},
                         {"order_requests", w.counters.order_requests},
                         {"orders_placed", w.counters.orders_placed},
                         {"algo_orders_placed", w.counters.algo_orders_placed},
                         {"faults_fired", w.counters.faults_fired}};
        j["stream"] = stream_counters(w);
        j["limits"] = {{"weight_budget", w.limits.weight_budget},
                       {"orders_10s", w.limits.orders_10s},
                       {"orders_1m", w.limits.orders_1m},
                       {"ban_after", w.limits.ban_after},
                       {"ban_ms", w.limits.ban_ms}};
        j["weight"] = Json::object();
        for (auto& [ip, u] : w.ip_usage)
            j["weight"][ip] = {
                {"used", used_weight(w, ip, now)}, {"banned_until", u.banned_until}, {"bans", u.bans}};
        j["faults"] = Json::array();
        for (const Fault& f : w.faults) j["faults"].push_back(fault_json(f));
        j["latency"] = {{"all_ms", w.latency_all_ms}, {"paths", w.latency_path_ms}};
        j["clock_skew_ms"] = w.clock_skew_ms;
        j["accounts"] = Json::array();
        for (auto& [key, a] : w.accounts) {
            Json acct{{"key", key},
                      {"balance", money(a.wallet, 8)},
                      {"restrictions", restrictions_json(a.restrictions)}};
            acct["orders"] = Json::array();
            for (auto& [id, o] : a.orders)
                acct["orders"].push_back(order_json(o, *app.universe.find(o.symbol), OrderView::Query));
            acct["algo_orders"] = Json::array();
            for (auto& [id, o] : a.algos) acct["algo_orders"].push_back(algo_json(o));
            acct["positions"] = Json::array();
            for (auto& [symbol, p] : a.positions) {
                if (p.amount != 0)
                    acct["positions"].push_back(position_v3_json(app, a, *app.universe.find(symbol), now));
            }
            acct["trades"] = a.trades.size();
            j["accounts"].push_back(acct);
        }
        return j;
    });
}

Json reset(App& app, const Json&) {
    app.sim.clear_overrides();
    app.world.with([&](World& w) {
        // The stream server's running totals and its count of drop requests outlive a reset.
        StreamCounters kept = w.stream;
        std::int64_t drops = w.stream_drops_requested;
        w = app.fresh_world();
        w.stream = kept;
        w.stream_drops_requested = drops;
    });
    return Json::object();
}

Json latency(App& app, const Json& body) {
    std::int64_t ms = body.value("ms", 0);
    app.world.with([&](World& w) {
        if (body.contains("path"))
            w.latency_path_ms[body["path"].get<std::string>()] = ms;
        else
            w.latency_all_ms = ms;
    });
    return Json::object();
}

Fault fault_from(const Json& body) {
    Fault f;
    f.method = body.value("method", "");
    f.path = body.value("path", "*");
    f.remaining = body.value("count", 1);
    f.action = body.value("action", "status");
    f.status = body.value("status", 503);
    f.variant = body.value("variant", "unknown");
    f.code = body.value("code", 0);
    f.msg = body.value("msg", "");
    f.body = body.value("body", "");
    f.after = body.value("after", f.action == "hang");
    f.hold_ms = body.value("hold_ms", 10000);
    if (f.action != "status" && f.action != "hang" && f.action != "drop")
        throw std::invalid_argument("action must be status, hang or drop");
    if (f.remaining < 1) throw std::invalid_argument("count must be >= 1");
    return f;
}

Json fault(App& app, const Json& body) {
    if (body.value("clear", false)) {  // takes back every fault that has not fired yet
        std::size_t n = 0;
        app.world.with([&](World& w) {
            n = w.faults.size();
            w.faults.clear();
        });
        return Json{{"cleared", n}};
    }
    Fault f = fault_from(body);
    app.world.with([&](World& w) { w.faults.push_back(f); });
    return fault_json(f);
}

Json reject_orders(App& app, const Json& body) {
    Json spec = body;
    spec["action"] = "status";
    spec["status"] = body.value("status", 400);
    spec["code"] = body.value("code", -2010);
    spec["msg"] = body.value("msg", "NEW_ORDER_REJECTED");
    spec["method"] = "POST";
    spec["path"] = body.value("path", "/fapi/v1/order");
    return fault(app, spec);
}

Json balance(App& app, const Json& body) {
    double v = body.at("balance").is_string() ? std::stod(body["balance"].get<std::string>())
                                              : body["balance"].get<double>();
    app.world.with([&](World& w) { account_for(w, body).wallet = v; });
    return Json::object();
}

Json restrictions(App& app, const Json& body) {
    return app.world.with([&](World& w) {
        Restrictions& r = account_for(w, body).restrictions;
        auto flag = [&](const char* name, bool& field) { field = body.value(name, field); };
        flag("ipRestrict", r.ip_restrict);
        flag("enableReading", r.enable_reading);
        flag("enableFutures", r.enable_futures);
        flag("enableWithdrawals", r.enable_withdrawals);
        flag("enableInternalTransfer", r.enable_internal_transfer);
        flag("enableMargin", r.enable_margin);
        flag("enableSpotAndMarginTrading", r.enable_spot_and_margin_trading);
        flag("permitsUniversalTransfer", r.permits_universal_transfer);
        flag("enableVanillaOptions", r.enable_vanilla_options);
        flag("enablePortfolioMarginTrading", r.enable_portfolio_margin_trading);
        if (body.contains("allowedIps")) r.allowed_ips = body["allowedIps"].get<std::vector<std::string>>();
        return restrictions_json(r);
    });
}

Json weight(App& app, const Json& body) {
    return app.world.with([&](World& w) {
        w.limits.weight_budget = body.value("budget", w.limits.weight_budget);
        w.limits.ban_after = body.value("ban_after", w.limits.ban_after);
        if (body.contains("ban_seconds")) w.limits.ban_ms = body["ban_seconds"].get<std::int64_t>() * 1000;
        w.limits.orders_10s = body.value("orders_10s", w.limits.orders_10s);
        w.limits.orders_1m = body.value("orders_1m", w.limits.orders_1m);
        if (body.value("reset_usage", false)) w.ip_usage.clear();
        return Json{{"weight_budget", w.limits.weight_budget},
                    {"ban_after", w.limits.ban_after},
                    {"ban_ms", w.limits.ban_ms}};
    });
}

Json clock(App& app, const Json& body) {
    app.world.with([&](World& w) { w.clock_skew_ms = body.value("skew_ms", std::int64_t{0}); });
    return Json::object();
}

Json price(App& app, const Json& body) {
    const SymbolSpec* s = app.universe.find(body.at("symbol").get<std::string>());
    if (!s) throw std::invalid_argument("unknown symbol");
    double p = body.at("price").is_string() ? std::stod(body["price"].get<std::string>())
                                            : body["price"].get<double>();
    std::int64_t now = app.now();
    app.world.with([&](World& w) { run_matching(app, w, now); });  // settle up to now at the old price
    app.sim.override_price(*s, now, p);
    return {{"symbol", s->symbol}, {"price", tick_price(*s, app.sim.last_price(*s, now))}};
}

Json tick(App& app, const Json&) {
    std::int64_t now = app.now();
    app.world.with([&](World& w) { run_matching(app, w, now); });
    return Json::object();
}

// Drops every user-data-stream connection (reconnect tests), or lets every listenKey expire now.
Json stream(App& app, const Json& body) {
    std::int64_t now = app.now();
    return app.world.with([&](World& w) {
        if (body.value("drop", false)) ++w.stream_drops_requested;
        if (body.value("expire_listen_keys", false)) {
            for (auto& [key, a] : w.accounts) {
                if (!a.listen_key.empty()) a.listen_key_expiry = now;
            }
        }
        return stream_counters(w);
    });
}

Json help(App&, const Json&);

}  // namespace

std::vector<AdminRoute> admin_routes() {
    return {
        {"POST", "/_fake/balance", "{key?, balance}: set the account's USDT wallet balance", balance},
        {"POST", "/_fake/clock", "{skew_ms}: shift server time (for -1021 tests)", clock},
        {"POST", "/_fake/fault",
         "{path, method?, count=1, action=status|hang|drop, status=503, "
         "variant=unknown|unavailable|throttle, "
         "code?, msg?, body?, after?, hold_ms=10000}: fail the next requests; after=true lets the request "
         "take "
         "effect first (hang defaults to after=true: timeout-after-accept); {clear: true} takes back "
         "the faults that have not fired",
         fault},
        {"GET", "/_fake/help", "list these commands", help},
        {"POST", "/_fake/latency", "{ms, path?}: delay every reply, or one path's", latency},
        {"POST", "/_fake/price", "{symbol, price}: from now on the symbol trades around this price", price},
        {"POST", "/_fake/reject_orders",
         "{count=1, code=-2010, msg, status=400, path=/fapi/v1/order}: refuse orders", reject_orders},
        {"POST", "/_fake/reset", "back to the startup state (accounts, orders, faults, limits, counters)",
         reset},
        {"POST", "/_fake/restrictions", "{key?, ipRestrict, enableFutures, ..., allowedIps}: key permissions",
         restrictions},
        {"POST", "/_fake/stream",
         "{drop?, expire_listen_keys?}: close every user-data-stream connection / let every listenKey "
         "expire; "
         "stream counters (kept across /_fake/reset)",
         stream},
        {"GET", "/_fake/state", "orders, algo orders, positions, balances, counters, weights, faults", state},
        {"POST", "/_fake/tick", "fill resting orders and fire triggers up to now", tick},
        {"POST", "/_fake/weight", "{budget, ban_after, ban_seconds, orders_10s, orders_1m, reset_usage}",
         weight},
    };
}

namespace {
Json help(App&, const Json&) {
    Json out = Json::array();
    for (const AdminRoute& r : admin_routes())
        out.push_back({{"method", r.method}, {"path", r.path}, {"synopsis", r.synopsis}});
    return out;
}
}  // namespace

}  // namespace fake
