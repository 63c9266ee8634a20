// Fills and their consequences: one-way positions with average entry, realized PnL, commission, the
// trade and income records, and the cross-margin arithmetic behind availableBalance and -2019.
#include <algorithm>
#include <cmath>

#include "engine.h"

namespace fake {

int leverage_of(const Account& acct, const std::string& symbol) {
    auto it = acct.settings.find(symbol);
    return it == acct.settings.end() ? SymbolSettings{}.leverage : it->second.leverage;
}

std::vector<Bracket> leverage_brackets(const SymbolSpec& s) {
    // One shape for all symbols, scaled by the symbol's cap: higher leverage, smaller notional, lower
    // maintenance margin, as in Binance's tables.
    static const int kLeverage[] = {125, 100, 75, 50, 25, 20, 10, 5, 4, 3, 2, 1};
    static const double kMaint[] = {0.004, 0.005, 0.0065, 0.01, 0.02, 0.025,
                                    0.05,  0.1,   0.125,  0.15, 0.25, 0.5};
    std::vector<Bracket> out;
    double floor = 0, cum = 0, prev_ratio = 0;
    for (size_t i = 0; i < std::size(kLeverage); ++i) {
        if (kLeverage[i] > s.max_leverage) continue;
        Bracket b;
        b.bracket = static_cast<int>(out.size()) + 1;
        b.initial_leverage = kLeverage[i];
        b.notional_floor = floor;
        b.notional_cap = std::floor(s.notional_cap / kLeverage[i] / 1000.0) * 1000.0;
        b.maint_margin_ratio = kMaint[i];
        cum += floor * (kMaint[i] - prev_ratio);
        b.cum = cum;
        prev_ratio = kMaint[i];
        floor = b.notional_cap;
        out.push_back(b);
    }
    return out;
}

double max_notional(const SymbolSpec& s, int leverage) {
    double cap = 0;
    for (const Bracket& b : leverage_brackets(s)) {
        if (b.initial_leverage >= leverage) cap = b.notional_cap;
    }
    return cap;
}

double maint_margin(const SymbolSpec& s, double notional) {
    notional = std::fabs(notional);
    for (const Bracket& b : leverage_brackets(s)) {
        if (notional <= b.notional_cap) return notional * b.maint_margin_ratio - b.cum;
    }
    return notional * 0.5;
}

double unrealized_pnl(const App& app, const SymbolSpec& s, const Position& p, std::int64_t now) {
    if (p.amount == 0) return 0;
    return fx_to_double(p.amount) * (app.sim.mark_price(s, now) - p.entry);
}

MarginSummary margin_summary(const App& app, const Account& acct, std::int64_t now) {
    MarginSummary m;
    m.wallet = acct.wallet;
    for (const auto& [symbol, pos] : acct.positions) {
        if (pos.amount == 0) continue;
        const SymbolSpec& s = *app.universe.find(symbol);
        double notional = std::fabs(fx_to_double(pos.amount)) * app.sim.mark_price(s, now);
        m.unrealized += unrealized_pnl(app, s, pos, now);
        m.position_margin += notional / leverage_of(acct, symbol);
        m.maint_margin += maint_margin(s, notional);
    }
    for (const auto& [id, o] : acct.orders) {
        if (!o.open() || o.reduce_only) continue;
        m.order_margin +=
            fx_to_double(o.qty - o.executed) * fx_to_double(o.price) / leverage_of(acct, o.symbol);
    }
    return m;
}

void check_margin(const App& app, const Account& acct, const SymbolSpec& s, const std::string& side, Fx qty,
                  double price, std::int64_t now) {
    auto it = acct.positions.find(s.symbol);
    Fx amt = it == acct.positions.end() ? 0 : it->second.amount;
    Fx after = amt + (side == "BUY" ? qty : -qty);
    bool flips = (amt > 0 && after < 0) || (amt < 0 && after > 0);
    Fx grows = flips ? fx_abs(after) : std::max<Fx>(0, fx_abs(after) - fx_abs(amt));
    if (grows == 0) return;
    int lev = leverage_of(acct, s.symbol);
    double mark = app.sim.mark_price(s, now);
    if (std::fabs(fx_to_double(after)) * mark > max_notional(s, lev))
        reject(-2027, "Exceeded the maximum allowable position at current leverage.");
    double needed =
        fx_to_double(grows) * std::max(price, mark) / lev + fx_to_double(grows) * price * kTakerFee;
    if (needed > margin_summary(app, acct, now).available()) reject(-2019, "Margin is insufficient.");
}

void fill(World& w, Account& acct, Order& o, Fx qty, double price, bool maker, std::int64_t now) {
    if (qty <= 0) return;
    Position& pos = acct.positions[o.symbol];
    Fx signed_qty = o.side == "BUY" ? qty : -qty;
    double realized = 0;
    if (pos.amount == 0 || (pos.amount > 0) == (signed_qty > 0)) {
        double old_abs = std::fabs(fx_to_double(pos.amount)), add = fx_to_double(qty);
        pos.entry = (old_abs * pos.entry + add * price) / (old_abs + add);
        pos.amount += signed_qty;
    } else {
        Fx closing = std::min(fx_abs(pos.amount), qty);
        realized = fx_to_double(closing) * (price - pos.entry) * (pos.amount > 0 ? 1 : -1);
        pos.amount += signed_qty;
        if (pos.amount == 0)
            pos.entry = 0;
        else if ((pos.amount > 0) == (signed_qty > 0))
            pos.entry = price;  // flipped: the rest opens at price
    }
    pos.update_time = now;
    double quote = fx_to_double(qty) * price;
    double commission = quote * (maker ? kMakerFee : kTakerFee);
    acct.wallet += realized - commission;

    Trade t;
    t.id = w.next_trade_id++;
    t.order_id = o.id;
    t.time = now;
    t.symbol = o.symbol;
    t.side = o.side;
    t.price = price;
    t.qty = qty;
    t.quote = quote;
    t.realized = realized;
    t.commission = commission;
    t.maker = maker;
    acct.trades.push_back(t);
    if (realized != 0)
        acct.income.push_back(
            {w.next_tran_id++, now, o.symbol, "REALIZED_PNL", std::to_string(t.id), "", realized});
    acct.income.push_back(
        {w.next_tran_id++, now, o.symbol, "COMMISSION", std::to_string(t.id), "", -commission});

    o.executed += qty;
    o.cum_quote += quote;
    o.status = o.executed >= o.qty ? "FILLED" : "PARTIALLY_FILLED";
    o.update_time = now;
}

}  // namespace fake
