// Order endpoints: new/query/cancel order, open and all orders, cancel-all, and the Algo Service
// endpoints for conditional orders.
#include <algorithm>

#include "routes.h"
#include "views.h"

namespace fake {
namespace {

const SymbolSpec& spec(const App& app, const std::string& symbol) {
    return *app.universe.find(symbol);
}

const SymbolSpec* optional_symbol(Ctx& ctx) {
    if (!ctx.params.has("symbol")) return nullptr;
    const SymbolSpec* s = ctx.app.universe.find(ctx.params.required("symbol"));
    if (!s) reject(-1121, "Invalid symbol.");
    return s;
}

Reply new_order(Ctx& ctx) {
    return with_account(ctx, [&](World& w, Account& a) {
        ++w.counters.order_requests;
        Order& o = place_order(ctx.app, w, a, ctx.params, ctx.now);
        bool result = ctx.params.value_or("newOrderRespType", "ACK") == "RESULT";
        return Reply{200,
                     order_json(o, spec(ctx.app, o.symbol), result ? OrderView::New : OrderView::NewAck)};
    });
}

Reply query_order(Ctx& ctx) {
    checked_symbol(ctx.app, ctx.params);
    return with_account(ctx, [&](World&, Account& a) {
        const Order& o = find_order(a, ctx.params);
        return Reply{200, order_json(o, spec(ctx.app, o.symbol), OrderView::Query)};
    });
}

Reply query_open_order(Ctx& ctx) {
    checked_symbol(ctx.app, ctx.params);
    return with_account(ctx, [&](World&, Account& a) {
        const Order& o = find_order(a, ctx.params);
        if (!o.open()) reject(-2013, "Order does not exist.");
        return Reply{200, order_json(o, spec(ctx.app, o.symbol), OrderView::Query)};
    });
}

Reply delete_order(Ctx& ctx) {
    checked_symbol(ctx.app, ctx.params);
    return with_account(ctx, [&](World&, Account& a) {
        Order& o = cancel_order(a, ctx.params, ctx.now);
        return Reply{200, order_json(o, spec(ctx.app, o.symbol), OrderView::Cancel)};
    });
}

Reply open_orders(Ctx& ctx) {
    const SymbolSpec* only = optional_symbol(ctx);
    return with_account(ctx, [&](World&, Account& a) {
        Json out = Json::array();
        for (const auto& [id, o] : a.orders) {
            if (o.open() && (!only || o.symbol == only->symbol))
                out.push_back(order_json(o, spec(ctx.app, o.symbol), OrderView::Query));
        }
        return Reply{200, out};
    });
}

Reply all_orders(Ctx& ctx) {
    const SymbolSpec& s = checked_symbol(ctx.app, ctx.params);
    auto from_id = ctx.params.integer("orderId");
    auto start = ctx.params.integer("startTime"), end = ctx.params.integer("endTime");
    std::int64_t limit = std::clamp<std::int64_t>(ctx.params.integer("limit").value_or(500), 1, 1000);
    return with_account(ctx, [&](World&, Account& a) {
        std::vector<const Order*> picked;
        for (const auto& [id, o] : a.orders) {
            if (o.symbol != s.symbol || (from_id && o.id < *from_id)) continue;
            if ((start && o.time < *start) || (end && o.time > *end)) continue;
            picked.push_back(&o);
        }
        size_t skip = !from_id && picked.size() > static_cast<size_t>(limit) ? picked.size() - limit : 0;
        Json out = Json::array();
        for (size_t i = skip; i < picked.size() && out.size() < static_cast<size_t>(limit); ++i)
            out.push_back(order_json(*picked[i], s, OrderView::Query));
        return Reply{200, out};
    });
}

Reply cancel_all(Ctx& ctx) {
    const SymbolSpec& s = checked_symbol(ctx.app, ctx.params);
    return with_account(ctx, [&](World&, Account& a) {
        for (auto& [id, o] : a.orders) {
            if (o.open() && o.symbol == s.symbol) o.status = "CANCELED", o.update_time = ctx.now;
        }
        return Reply{200, Json{{"code", 200}, {"msg", "The operation of cancel all open order is done."}}};
    });
}

Reply new_algo(Ctx& ctx) {
    return with_account(ctx, [&](World& w, Account& a) {
        AlgoOrder& o = place_algo(ctx.app, w, a, ctx.params, ctx.now);
        return Reply{200, algo_json(o)};
    });
}

Reply query_algo(Ctx& ctx) {
    return with_account(ctx, [&](World&, Account& a) {
        const AlgoOrder& o = find_algo(a, ctx.params);
        return Reply{200, algo_json(o)};
    });
}

Reply delete_algo(Ctx& ctx) {
    return with_account(ctx, [&](World&, Account& a) {
        AlgoOrder& o = cancel_algo(a, ctx.params, ctx.now);
        return Reply{
            200, Json{{"algoId", o.id}, {"clientAlgoId", o.client_id}, {"code", "200"}, {"msg", "success"}}};
    });
}

Reply algo_list(Ctx& ctx, bool open_only) {
    const SymbolSpec* only = open_only ? optional_symbol(ctx) : &checked_symbol(ctx.app, ctx.params);
    return with_account(ctx, [&](World&, Account& a) {
        Json out = Json::array();
        for (const auto& [id, o] : a.algos) {
            if ((!open_only || o.open()) && (!only || o.symbol == only->symbol)) out.push_back(algo_json(o));
        }
        return Reply{200, out};
    });
}

Reply cancel_all_algos(Ctx& ctx) {
    const SymbolSpec& s = checked_symbol(ctx.app, ctx.params);
    return with_account(ctx, [&](World&, Account& a) {
        for (auto& [id, o] : a.algos) {
            if (o.open() && o.symbol == s.symbol) o.status = "CANCELED", o.update_time = ctx.now;
        }
        return Reply{200, Json{{"code", 200}, {"msg", "The operation of cancel all open order is done."}}};
    });
}

int w0(const Params&) {
    return 0;
}
int w1(const Params&) {
    return 1;
}
int w5(const Params&) {
    return 5;
}
int w1_or_40(const Params& p) {
    return p.has("symbol") ? 1 : 40;
}

}  // namespace

std::vector<Route> order_routes() {
    constexpr auto S = Security::Signed;
    return {
        {"POST", "/fapi/v1/order", S, w0, true, new_order},
        {"GET", "/fapi/v1/order", S, w1, false, query_order},
        {"DELETE", "/fapi/v1/order", S, w1, false, delete_order},
        {"GET", "/fapi/v1/openOrder", S, w1, false, query_open_order},
        {"GET", "/fapi/v1/openOrders", S, w1_or_40, false, open_orders},
        {"GET", "/fapi/v1/allOrders", S, w5, false, all_orders},
        {"DELETE", "/fapi/v1/allOpenOrders", S, w1, false, cancel_all},
        {"POST", "/fapi/v1/algoOrder", S, w0, true, new_algo},
        {"GET", "/fapi/v1/algoOrder", S, w1, false, query_algo},
        {"DELETE", "/fapi/v1/algoOrder", S, w1, false, delete_algo},
        {"GET", "/fapi/v1/openAlgoOrders", S, w1_or_40, false, [](Ctx& c) { return algo_list(c, true); }},
        {"GET", "/fapi/v1/allAlgoOrders", S, w5, false, [](Ctx& c) { return algo_list(c, false); }},
        {"DELETE", "/fapi/v1/algoOpenOrders", S, w1, false, cancel_all_algos},
    };
}

}  // namespace fake
