// Order entry, fills, positions and margin of the fake exchange (one-way mode, USDT-margined).
// All functions run with the World locked; they throw ApiError with Binance's codes on refusal.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "api.h"
#include "app.h"

namespace fake {

inline constexpr double kTakerFee = 0.0005, kMakerFee = 0.0002;

struct MarginSummary {
    double wallet = 0, unrealized = 0, position_margin = 0, order_margin = 0, maint_margin = 0;
    double margin_balance() const { return wallet + unrealized; }
    double available() const { return margin_balance() - position_margin - order_margin; }
};

MarginSummary margin_summary(const App& app, const Account& acct, std::int64_t now);
int leverage_of(const Account& acct, const std::string& symbol);
// Leverage brackets (GET /fapi/v1/leverageBracket); the cap of the last bracket allowing `leverage` is the
// position limit behind maxNotionalValue and -2027.
struct Bracket {
    int bracket = 1, initial_leverage = 1;
    double notional_cap = 0, notional_floor = 0, maint_margin_ratio = 0, cum = 0;
};
std::vector<Bracket> leverage_brackets(const SymbolSpec& s);
double max_notional(const SymbolSpec& s, int leverage);
double maint_margin(const SymbolSpec& s, double notional);  // notional x ratio - cum of its bracket
double unrealized_pnl(const App& app, const SymbolSpec& s, const Position& p, std::int64_t now);

// Validation shared by plain and algo orders.
const SymbolSpec& checked_symbol(const App& app, const Params& p);
Fx checked_quantity(const SymbolSpec& s, const Params& p, bool market);
Fx checked_price(const SymbolSpec& s, const Params& p, const std::string& key);
void check_client_id(const std::string& id);
std::string generated_client_id(std::int64_t id);

// How much an order on `side` can reduce the current position (0 if it would not reduce it).
Fx reducible(const Account& acct, const std::string& symbol, const std::string& side);
// Refuses an order that would open or grow a position beyond margin or the leverage bracket.
void check_margin(const App& app, const Account& acct, const SymbolSpec& s, const std::string& side, Fx qty,
                  double price, std::int64_t now);

Order& place_order(App& app, World& w, Account& acct, const Params& p, std::int64_t now);
Order& cancel_order(Account& acct, const Params& p, std::int64_t now);
const Order& find_order(const Account& acct, const Params& p);
// Executes qty of an order at price: position, realized PnL, commission, trade and income records.
void fill(World& w, Account& acct, Order& o, Fx qty, double price, bool maker, std::int64_t now);
// A MARKET fill price: the simulated price moved one or two ticks against the taker.
double taker_price(const App& app, const SymbolSpec& s, const std::string& side, std::int64_t now);

AlgoOrder& place_algo(App& app, World& w, Account& acct, const Params& p, std::int64_t now);
AlgoOrder& cancel_algo(Account& acct, const Params& p, std::int64_t now);
const AlgoOrder& find_algo(const Account& acct, const Params& p);
// Fires a triggered conditional order into the order book.
void trigger_algo(App& app, World& w, Account& acct, AlgoOrder& a, std::int64_t now);

// Fills resting LIMIT orders and fires conditional orders that the simulated price crossed since last run.
void run_matching(App& app, World& w, std::int64_t now);

}  // namespace fake
