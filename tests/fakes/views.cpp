// Serialisation of the fake's state into Binance's response shapes.
#include "views.h"

#include <cmath>

#include "engine.h"

namespace fake {
namespace {

const Position kFlat{};

const Position& position_of(const Account& acct, const std::string& symbol) {
    auto it = acct.positions.find(symbol);
    return it == acct.positions.end() ? kFlat : it->second;
}

bool is_isolated(const Account& acct, const std::string& symbol) {
    auto it = acct.settings.find(symbol);
    return it != acct.settings.end() && it->second.isolated;
}

double break_even(const Position& p) {
    if (p.amount == 0) return 0;
    return p.entry * (p.amount > 0 ? 1 + kTakerFee : 1 - kTakerFee);
}

double liquidation_price(const App& app, const Account& acct, const SymbolSpec& s, const Position& p,
                         std::int64_t now) {
    if (p.amount == 0) return 0;
    // Cross margin, one position's view: the price at which the margin balance meets maintenance margin.
    MarginSummary m = margin_summary(app, acct, now);
    double qty = fx_to_double(p.amount);
    double cushion = m.margin_balance() - m.maint_margin - unrealized_pnl(app, s, p, now);
    double liq = p.entry - cushion / qty;
    return liq > 0 ? liq : 0;
}

}  // namespace

std::string num(double v) {
    return fx_str(fx_from_double(v, 1));
}

Json order_json(const Order& o, const SymbolSpec& s, OrderView view) {
    bool ack = view == OrderView::NewAck;  // ACK: the order as accepted, before any fill is reported
    double avg = o.executed > 0 ? o.cum_quote / fx_to_double(o.executed) : 0.0;
    Json j;
    j["orderId"] = o.id;
    j["symbol"] = o.symbol;
    j["status"] = ack ? "NEW" : o.status;
    j["clientOrderId"] = o.client_id;
    j["price"] = fx_str(o.price);
    j["avgPrice"] = ack ? money(0, 5) : money(avg, std::max(5, s.price_precision));
    j["origQty"] = fx_str(o.qty);
    j["executedQty"] = ack ? "0" : fx_str(o.executed);
    if (view != OrderView::Query) j["cumQty"] = ack ? "0" : fx_str(o.executed);
    j["cumQuote"] = money(ack ? 0 : o.cum_quote, 5);
    j["timeInForce"] = o.tif;
    j["type"] = o.type;
    j["reduceOnly"] = o.reduce_only;
    j["closePosition"] = o.close_position;
    j["side"] = o.side;
    j["positionSide"] = o.position_side;
    j["stopPrice"] = fx_str(o.stop_price);
    j["workingType"] = o.working_type;
    j["priceProtect"] = o.price_protect;
    j["origType"] = o.orig_type;
    j["priceMatch"] = "NONE";
    j["selfTradePreventionMode"] = "EXPIRE_MAKER";
    j["goodTillDate"] = o.good_till;
    if (view == OrderView::Query) j["time"] = o.time;
    j["updateTime"] = ack ? o.time : o.update_time;
    return j;
}

Json algo_json(const AlgoOrder& a) {
    Json j;
    j["algoId"] = a.id;
    j["clientAlgoId"] = a.client_id;
    j["algoType"] = "CONDITIONAL";
    j["orderType"] = a.type;
    j["symbol"] = a.symbol;
    j["side"] = a.side;
    j["positionSide"] = "BOTH";
    j["timeInForce"] = a.tif;
    j["quantity"] = fx_str(a.qty);
    j["algoStatus"] = a.status;
    j["triggerPrice"] = fx_str(a.trigger);
    j["price"] = fx_str(a.price);
    j["icebergQuantity"] = nullptr;
    j["selfTradePreventionMode"] = "EXPIRE_MAKER";
    j["workingType"] = a.working_type;
    j["priceMatch"] = "NONE";
    j["closePosition"] = a.close_position;
    j["priceProtect"] = a.price_protect;
    j["reduceOnly"] = a.reduce_only;
    if (a.type == "TRAILING_STOP_MARKET") {
        j["activatePrice"] = fx_str(a.activate);
        j["callbackRate"] = a.callback_rate;
    }
    j["createTime"] = a.create_time;
    j["updateTime"] = a.update_time;
    j["triggerTime"] = a.trigger_time;
    j["goodTillDate"] = a.good_till;
    j["actualOrderId"] = a.actual_order_id ? std::to_string(a.actual_order_id) : "";
    j["actualPrice"] = "";
    if (!a.reject_reason.empty()) j["rejectReason"] = a.reject_reason;
    return j;
}

Json trade_json(const Trade& t) {
    Json j;
    j["buyer"] = t.side == "BUY";
    j["commission"] = money(t.commission, 8);
    j["commissionAsset"] = "USDT";
    j["id"] = t.id;
    j["maker"] = t.maker;
    j["orderId"] = t.order_id;
    j["price"] = num(t.price);
    j["qty"] = fx_str(t.qty);
    j["quoteQty"] = num(t.quote);
    j["realizedPnl"] = money(t.realized, 8);
    j["side"] = t.side;
    j["positionSide"] = "BOTH";
    j["symbol"] = t.symbol;
    j["time"] = t.time;
    return j;
}

Json income_json(const Income& i) {
    Json j;
    j["symbol"] = i.symbol;
    j["incomeType"] = i.type;
    j["income"] = money(i.amount, 8);
    j["asset"] = "USDT";
    j["info"] = i.info.empty() ? i.type : i.info;
    j["time"] = i.time;
    j["tranId"] = i.tran_id;
    j["tradeId"] = i.trade_id;
    return j;
}

Json position_v2_json(const App& app, const Account& acct, const SymbolSpec& s, std::int64_t now) {
    const Position& p = position_of(acct, s.symbol);
    int lev = leverage_of(acct, s.symbol);
    double mark = app.sim.mark_price(s, now);
    double notional = fx_to_double(p.amount) * mark;
    bool iso = is_isolated(acct, s.symbol);
    Json j;
    j["symbol"] = s.symbol;
    j["positionAmt"] = fx_fixed(p.amount, s.quantity_precision);
    j["entryPrice"] = num(p.entry);
    j["breakEvenPrice"] = num(break_even(p));
    j["markPrice"] = money(mark, 8);
    j["unRealizedProfit"] = money(unrealized_pnl(app, s, p, now), 8);
    j["liquidationPrice"] = num(liquidation_price(app, acct, s, p, now));
    j["leverage"] = std::to_string(lev);
    j["maxNotionalValue"] = num(max_notional(s, lev));
    j["marginType"] = iso ? "isolated" : "cross";
    j["isolatedMargin"] = money(iso ? std::fabs(notional) / lev : 0, 8);
    j["isAutoAddMargin"] = "false";
    j["positionSide"] = "BOTH";
    j["notional"] = num(notional);
    j["isolatedWallet"] = money(iso ? std::fabs(fx_to_double(p.amount)) * p.entry / lev : 0, 8);
    j["updateTime"] = p.update_time;
    return j;
}

Json position_v3_json(const App& app, const Account& acct, const SymbolSpec& s, std::int64_t now) {
    const Position& p = position_of(acct, s.symbol);
    int lev = leverage_of(acct, s.symbol);
    double mark = app.sim.mark_price(s, now);
    double notional = fx_to_double(p.amount) * mark;
    bool iso = is_isolated(acct, s.symbol);
    double open_margin = 0;
    for (const auto& [id, o] : acct.orders) {
        if (o.open() && o.symbol == s.symbol && !o.reduce_only)
            open_margin += fx_to_double(o.qty - o.executed) * fx_to_double(o.price) / lev;
    }
    Json j;
    j["symbol"] = s.symbol;
    j["positionSide"] = "BOTH";
    j["positionAmt"] = fx_fixed(p.amount, s.quantity_precision);
    j["entryPrice"] = num(p.entry);
    j["breakEvenPrice"] = num(break_even(p));
    j["markPrice"] = money(mark, 8);
    j["unRealizedProfit"] = money(unrealized_pnl(app, s, p, now), 8);
    j["liquidationPrice"] = num(liquidation_price(app, acct, s, p, now));
    j["isolatedMargin"] = money(iso ? std::fabs(notional) / lev : 0, 8);
    j["notional"] = num(notional);
    j["marginAsset"] = "USDT";
    j["isolatedWallet"] = money(iso ? std::fabs(fx_to_double(p.amount)) * p.entry / lev : 0, 8);
    j["initialMargin"] = money(std::fabs(notional) / lev + open_margin, 8);
    j["maintMargin"] = money(maint_margin(s, notional), 8);
    j["positionInitialMargin"] = money(std::fabs(notional) / lev, 8);
    j["openOrderInitialMargin"] = money(open_margin, 8);
    j["adl"] = p.amount == 0 ? 0 : 2;
    j["bidNotional"] = "0";
    j["askNotional"] = "0";
    j["updateTime"] = p.update_time;
    return j;
}

Json balance_json(const App& app, const Account& acct, std::int64_t now) {
    MarginSummary m = margin_summary(app, acct, now);
    Json usdt;
    usdt["accountAlias"] = "SgsRmYFzAuTi";
    usdt["asset"] = "USDT";
    usdt["balance"] = money(m.wallet, 8);
    usdt["crossWalletBalance"] = money(m.wallet, 8);
    usdt["crossUnPnl"] = money(m.unrealized, 8);
    usdt["availableBalance"] = money(std::max(0.0, m.available()), 8);
    usdt["maxWithdrawAmount"] = money(std::max(0.0, std::min(m.wallet, m.available())), 8);
    usdt["marginAvailable"] = true;
    usdt["updateTime"] = now;
    Json out = Json::array({usdt});
    for (const char* asset : {"BNB", "USDC", "BTC"}) {  // other wallets exist but hold nothing
        Json z = usdt;
        z["asset"] = asset;
        for (const char* f :
             {"balance", "crossWalletBalance", "crossUnPnl", "availableBalance", "maxWithdrawAmount"})
            z[f] = money(0, 8);
        out.push_back(z);
    }
    return out;
}

}  // namespace fake

namespace fake {

Json account_json(const App& app, const Account& acct, std::int64_t now, int version) {
    MarginSummary m = margin_summary(app, acct, now);
    Json j;
    if (version == 2) {
        j["feeTier"] = 0;
        j["feeBurn"] = false;
        j["canTrade"] = true;
        j["canDeposit"] = true;
        j["canWithdraw"] = true;
        j["updateTime"] = 0;
        j["multiAssetsMargin"] = false;
        j["tradeGroupId"] = -1;
    }
    j["totalInitialMargin"] = money(m.position_margin + m.order_margin, 8);
    j["totalMaintMargin"] = money(m.maint_margin, 8);
    j["totalWalletBalance"] = money(m.wallet, 8);
    j["totalUnrealizedProfit"] = money(m.unrealized, 8);
    j["totalMarginBalance"] = money(m.margin_balance(), 8);
    j["totalPositionInitialMargin"] = money(m.position_margin, 8);
    j["totalOpenOrderInitialMargin"] = money(m.order_margin, 8);
    j["totalCrossWalletBalance"] = money(m.wallet, 8);
    j["totalCrossUnPnl"] = money(m.unrealized, 8);
    j["availableBalance"] = money(std::max(0.0, m.available()), 8);
    j["maxWithdrawAmount"] = money(std::max(0.0, std::min(m.wallet, m.available())), 8);
    Json asset;
    asset["asset"] = "USDT";
    asset["walletBalance"] = money(m.wallet, 8);
    asset["unrealizedProfit"] = money(m.unrealized, 8);
    asset["marginBalance"] = money(m.margin_balance(), 8);
    asset["maintMargin"] = money(m.maint_margin, 8);
    asset["initialMargin"] = money(m.position_margin + m.order_margin, 8);
    asset["positionInitialMargin"] = money(m.position_margin, 8);
    asset["openOrderInitialMargin"] = money(m.order_margin, 8);
    asset["crossWalletBalance"] = money(m.wallet, 8);
    asset["crossUnPnl"] = money(m.unrealized, 8);
    asset["availableBalance"] = money(std::max(0.0, m.available()), 8);
    asset["maxWithdrawAmount"] = money(std::max(0.0, std::min(m.wallet, m.available())), 8);
    if (version == 2) asset["marginAvailable"] = true;
    asset["updateTime"] = now;
    j["assets"] = Json::array({asset});
    j["positions"] = Json::array();
    for (const SymbolSpec& s : app.universe.all()) {
        if (s.quote != "USDT") continue;
        Json p3 = position_v3_json(app, acct, s, now);
        bool has_orders = false;
        for (const auto& [id, o] : acct.orders) has_orders = has_orders || (o.open() && o.symbol == s.symbol);
        bool active = p3["positionAmt"] != fx_fixed(0, s.quantity_precision) || has_orders;
        if (version == 3 && !active) continue;  // v3 lists only symbols with a position or open orders
        Json p;
        p["symbol"] = s.symbol;
        if (version == 2) {
            int lev = leverage_of(acct, s.symbol);
            p["initialMargin"] = p3["initialMargin"];
            p["maintMargin"] = p3["maintMargin"];
            p["unrealizedProfit"] = p3["unRealizedProfit"];
            p["positionInitialMargin"] = p3["positionInitialMargin"];
            p["openOrderInitialMargin"] = p3["openOrderInitialMargin"];
            p["leverage"] = std::to_string(lev);
            auto st = acct.settings.find(s.symbol);
            p["isolated"] = st != acct.settings.end() && st->second.isolated;
            p["entryPrice"] = p3["entryPrice"];
            p["breakEvenPrice"] = p3["breakEvenPrice"];
            p["maxNotional"] = num(max_notional(s, lev));
            p["bidNotional"] = "0";
            p["askNotional"] = "0";
            p["positionSide"] = "BOTH";
            p["positionAmt"] = p3["positionAmt"];
        } else {
            p["positionSide"] = "BOTH";
            p["positionAmt"] = p3["positionAmt"];
            p["unrealizedProfit"] = p3["unRealizedProfit"];
            p["isolatedMargin"] = p3["isolatedMargin"];
            p["notional"] = p3["notional"];
            p["isolatedWallet"] = p3["isolatedWallet"];
            p["initialMargin"] = p3["initialMargin"];
            p["maintMargin"] = p3["maintMargin"];
        }
        p["updateTime"] = p3["updateTime"];
        j["positions"].push_back(p);
    }
    return j;
}

}  // namespace fake
