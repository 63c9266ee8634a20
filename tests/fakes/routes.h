// Route tables of the fake: every Binance path with its security type, IP weight and handler, and the
// admin (/_fake/) commands with a one-line synopsis each.
#pragma once

#include <vector>

#include "app.h"
#include "engine.h"
#include "pipeline.h"

namespace fake {

struct Route {
    const char* method;
    const char* path;
    Security security;
    int (*weight)(const Params&);  // IP weight of this call with these parameters
    bool order_entry;              // counts against ORDERS limits, carries X-MBX-ORDER-COUNT-* headers
    Reply (*handler)(Ctx&);
};

std::vector<Route> market_routes();
std::vector<Route> account_routes();
std::vector<Route> order_routes();
std::vector<Route> wallet_routes();  // spot-host (/sapi) calls served on the same listener

struct AdminRoute {
    const char* method;
    const char* path;
    const char* synopsis;
    Json (*handler)(App&, const Json& body);
};

std::vector<AdminRoute> admin_routes();

Json exchange_info_json(const App& app, std::int64_t now);

// Runs f(World&, Account&) for the authenticated account, with resting orders brought up to date first.
template <typename F>
decltype(auto) with_account(Ctx& ctx, F&& f) {
    return ctx.app.world.with([&](World& w) -> decltype(auto) {
        run_matching(ctx.app, w, ctx.now);
        return f(w, w.accounts.at(ctx.api_key));
    });
}

// A price on its symbol's tick grid, printed with the tick's decimals ("95000.1" style like klines).
std::string tick_price(const SymbolSpec& s, double price);

}  // namespace fake
