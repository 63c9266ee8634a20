// Signed account endpoints: balances, account, positions, trades, income, leverage and margin type,
// symbol config, position mode and listen keys.
#include <algorithm>

#include "routes.h"
#include "views.h"

namespace fake {
namespace {

constexpr std::int64_t kDayMs = 86400000;

const SymbolSpec* optional_symbol(Ctx& ctx) {
    if (!ctx.params.has("symbol")) return nullptr;
    const SymbolSpec* s = ctx.app.universe.find(ctx.params.required("symbol"));
    if (!s) reject(-1121, "Invalid symbol.");
    return s;
}

Reply balance(Ctx& ctx) {
    return with_account(ctx, [&](World&, Account& a) {
        return Reply{200, balance_json(ctx.app, a, ctx.now)};
    });
}

Reply account(Ctx& ctx, int version) {
    return with_account(ctx, [&](World&, Account& a) {
        return Reply{200, account_json(ctx.app, a, ctx.now, version)};
    });
}

Reply position_risk(Ctx& ctx, int version) {
    const SymbolSpec* only = optional_symbol(ctx);
    return with_account(ctx, [&](World&, Account& a) {
        Json out = Json::array();
        for (const SymbolSpec& s : ctx.app.universe.all()) {
            if ((only && &s != only) || s.quote != "USDT") continue;
            if (version == 2) {
                out.push_back(position_v2_json(ctx.app, a, s, ctx.now));
                continue;
            }
            auto p = a.positions.find(s.symbol);
            bool has_orders = std::any_of(a.orders.begin(), a.orders.end(), [&](const auto& kv) {
                return kv.second.open() && kv.second.symbol == s.symbol;
            });
            // v3 lists only symbols with a position or open orders.
            if ((p != a.positions.end() && p->second.amount != 0) || has_orders)
                out.push_back(position_v3_json(ctx.app, a, s, ctx.now));
        }
        return Reply{200, out};
    });
}

Reply user_trades(Ctx& ctx) {
    const SymbolSpec& s = checked_symbol(ctx.app, ctx.params);
    auto order_id = ctx.params.integer("orderId");
    auto start = ctx.params.integer("startTime"), end = ctx.params.integer("endTime");
    auto from_id = ctx.params.integer("fromId");
    std::int64_t limit = std::clamp<std::int64_t>(ctx.params.integer("limit").value_or(500), 1, 1000);
    if (start && end && *end - *start > 7 * kDayMs)
        reject(-1127, "More than 168 hours between startTime and endTime.");
    if (start && end && *start > *end) reject(-1023, "Start time is greater than end time.");
    return with_account(ctx, [&](World&, Account& a) {
        std::int64_t lo =
            start.value_or(end ? *end - 7 * kDayMs : ctx.now - 7 * kDayMs);  // default: last 7 days
        std::int64_t hi = end.value_or(start ? *start + 7 * kDayMs : ctx.now);
        Json out = Json::array();
        std::vector<const Trade*> picked;
        for (const Trade& t : a.trades) {
            if (t.symbol != s.symbol || (order_id && t.order_id != *order_id) || (from_id && t.id < *from_id))
                continue;
            if (!order_id && !from_id && (t.time < lo || t.time > hi)) continue;
            picked.push_back(&t);
        }
        // Without fromId Binance returns the most recent trades; the list itself stays oldest first.
        size_t skip = !from_id && picked.size() > static_cast<size_t>(limit) ? picked.size() - limit : 0;
        for (size_t i = skip; i < picked.size() && out.size() < static_cast<size_t>(limit); ++i)
            out.push_back(trade_json(*picked[i]));
        return Reply{200, out};
    });
}

Reply income(Ctx& ctx) {
    const SymbolSpec* only = optional_symbol(ctx);
    std::string type = ctx.params.value_or("incomeType", "");
    auto start = ctx.params.integer("startTime"), end = ctx.params.integer("endTime");
    std::int64_t limit = std::clamp<std::int64_t>(ctx.params.integer("limit").value_or(100), 1, 1000);
    return with_account(ctx, [&](World&, Account& a) {
        std::int64_t lo = start.value_or(end ? *end - 7 * kDayMs : ctx.now - 7 * kDayMs);
        std::int64_t hi = end.value_or(ctx.now);
        Json out = Json::array();
        for (const Income& i : a.income) {
            if ((only && i.symbol != only->symbol) || (!type.empty() && i.type != type)) continue;
            if (i.time < lo || i.time > hi || out.size() >= static_cast<size_t>(limit)) continue;
            out.push_back(income_json(i));
        }
        return Reply{200, out};
    });
}

Reply set_leverage(Ctx& ctx) {
    const SymbolSpec& s = checked_symbol(ctx.app, ctx.params);
    ctx.params.required("leverage");
    std::int64_t lev = *ctx.params.integer("leverage");
    if (lev < 1 || lev > s.max_leverage) reject(-4028, "Leverage " + std::to_string(lev) + " is not valid");
    return with_account(ctx, [&](World&, Account& a) {
        a.settings[s.symbol].leverage = static_cast<int>(lev);
        return Reply{200, Json{{"leverage", lev},
                               {"maxNotionalValue", num(max_notional(s, static_cast<int>(lev)))},
                               {"symbol", s.symbol}}};
    });
}

Reply set_margin_type(Ctx& ctx) {
    const SymbolSpec& s = checked_symbol(ctx.app, ctx.params);
    const std::string& type = ctx.params.required("marginType");
    if (type != "ISOLATED" && type != "CROSSED")
        reject(-1130, "Data sent for parameter 'marginType' is not valid.");
    return with_account(ctx, [&](World&, Account& a) {
        bool iso = type == "ISOLATED";
        if (a.settings[s.symbol].isolated == iso) reject(-4046, "No need to change margin type.");
        for (const auto& [id, o] : a.orders) {
            if (o.open() && o.symbol == s.symbol)
                reject(-4047, "Margin type cannot be changed if there exists open orders.");
        }
        auto p = a.positions.find(s.symbol);
        if (p != a.positions.end() && p->second.amount != 0)
            reject(-4048, "Margin type cannot be changed if there exists position.");
        a.settings[s.symbol].isolated = iso;
        return Reply{200, Json{{"code", 200}, {"msg", "success"}}};
    });
}

Reply symbol_config(Ctx& ctx) {
    const SymbolSpec* only = optional_symbol(ctx);
    return with_account(ctx, [&](World&, Account& a) {
        Json out = Json::array();
        for (const SymbolSpec& s : ctx.app.universe.all()) {
            if ((only && &s != only) || s.quote != "USDT") continue;
            auto st = a.settings.find(s.symbol);
            SymbolSettings cfg = st == a.settings.end() ? SymbolSettings{} : st->second;
            out.push_back({{"symbol", s.symbol},
                           {"marginType", cfg.isolated ? "ISOLATED" : "CROSSED"},
                           {"isAutoAddMargin", false},
                           {"leverage", cfg.leverage},
                           {"maxNotionalValue", num(max_notional(s, cfg.leverage))}});
        }
        return Reply{200, out};
    });
}

Reply leverage_bracket(Ctx& ctx) {
    const SymbolSpec* only = optional_symbol(ctx);
    auto one = [](const SymbolSpec& s) {
        Json brackets = Json::array();
        for (const Bracket& b : leverage_brackets(s))
            brackets.push_back({{"bracket", b.bracket},
                                {"initialLeverage", b.initial_leverage},
                                {"notionalCap", b.notional_cap},
                                {"notionalFloor", b.notional_floor},
                                {"maintMarginRatio", b.maint_margin_ratio},
                                {"cum", b.cum}});
        return Json{{"symbol", s.symbol}, {"brackets", brackets}};
    };
    if (only) return {200, one(*only)};  // with a symbol Binance answers with the object, not an array
    Json out = Json::array();
    for (const SymbolSpec& s : ctx.app.universe.all()) {
        if (s.quote == "USDT") out.push_back(one(s));
    }
    return {200, out};
}

Reply set_position_mode(Ctx& ctx) {
    ctx.params.required("dualSidePosition");
    bool dual = ctx.params.boolean("dualSidePosition", false);
    if (!dual) reject(-4059, "No need to change position side.");
    reject(-4084, "Method is not allowed currently. Upcoming soon.");  // hedge mode is not simulated
}

Reply listen_key(Ctx& ctx) {
    return ctx.app.world.with([&](World& w) {
        Account& a = w.accounts.at(ctx.api_key);
        bool alive = !a.listen_key.empty() && a.listen_key_expiry > ctx.now;
        if (ctx.method == "POST") {
            if (!alive) a.listen_key = hmac_sha256_hex(a.key, std::to_string(ctx.now)) + "fake";
            a.listen_key_expiry = ctx.now + 3600000;
            return Reply{200, Json{{"listenKey", a.listen_key}}};
        }
        if (!alive) reject(-1125, "This listenKey does not exist.");
        if (ctx.method == "PUT") {
            a.listen_key_expiry = ctx.now + 3600000;
            return Reply{200, Json{{"listenKey", a.listen_key}}};
        }
        a.listen_key.clear();
        return Reply{200, Json::object()};
    });
}

int w1(const Params&) {
    return 1;
}
int w5(const Params&) {
    return 5;
}
int w20(const Params&) {
    return 20;
}
int w30(const Params&) {
    return 30;
}

}  // namespace

std::vector<Route> account_routes() {
    constexpr auto S = Security::Signed;
    return {
        {"GET", "/fapi/v2/balance", S, w5, false, balance},
        {"GET", "/fapi/v3/balance", S, w5, false, balance},
        {"GET", "/fapi/v2/account", S, w5, false, [](Ctx& c) { return account(c, 2); }},
        {"GET", "/fapi/v3/account", S, w5, false, [](Ctx& c) { return account(c, 3); }},
        {"GET", "/fapi/v2/positionRisk", S, w5, false, [](Ctx& c) { return position_risk(c, 2); }},
        {"GET", "/fapi/v3/positionRisk", S, w5, false, [](Ctx& c) { return position_risk(c, 3); }},
        {"GET", "/fapi/v1/userTrades", S, w5, false, user_trades},
        {"GET", "/fapi/v1/income", S, w30, false, income},
        {"POST", "/fapi/v1/leverage", S, w1, false, set_leverage},
        {"POST", "/fapi/v1/marginType", S, w1, false, set_margin_type},
        {"GET", "/fapi/v1/symbolConfig", S, w5, false, symbol_config},
        {"GET", "/fapi/v1/leverageBracket", S, w1, false, leverage_bracket},
        {"GET", "/fapi/v1/positionSide/dual", S, w30, false,
         [](Ctx&) {
             return Reply{200, Json{{"dualSidePosition", false}}};
         }},
        {"POST", "/fapi/v1/positionSide/dual", S, w1, false, set_position_mode},
        {"GET", "/fapi/v1/multiAssetsMargin", S, w30, false,
         [](Ctx&) {
             return Reply{200, Json{{"multiAssetsMargin", false}}};
         }},
        {"GET", "/fapi/v1/commissionRate", S, w20, false,
         [](Ctx& c) {
             const SymbolSpec& s = checked_symbol(c.app, c.params);
             return Reply{200, Json{{"symbol", s.symbol},
                                    {"makerCommissionRate", "0.000200"},
                                    {"takerCommissionRate", "0.000500"}}};
         }},
        {"GET", "/fapi/v1/rateLimit/order", S, w1, false,
         [](Ctx& c) {
             Limits l = c.app.world.with([](World& w) { return w.limits; });
             return Reply{200, Json::array({{{"rateLimitType", "ORDERS"},
                                             {"interval", "SECOND"},
                                             {"intervalNum", 10},
                                             {"limit", l.orders_10s}},
                                            {{"rateLimitType", "ORDERS"},
                                             {"interval", "MINUTE"},
                                             {"intervalNum", 1},
                                             {"limit", l.orders_1m}}})};
         }},
        {"POST", "/fapi/v1/listenKey", Security::ApiKey, w1, false, listen_key},
        {"PUT", "/fapi/v1/listenKey", Security::ApiKey, w1, false, listen_key},
        {"DELETE", "/fapi/v1/listenKey", Security::ApiKey, w1, false, listen_key},
    };
}

}  // namespace fake
