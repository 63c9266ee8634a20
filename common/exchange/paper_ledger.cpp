// The paper account's books: how a fill moves a one-way position, its entry price, realized PnL and the
// wallet. Exact decimals throughout; fees are rounded to 8 decimals as Binance charges them in USDT.
#include <algorithm>

#include "exchange/paper_account.h"

namespace tradingd::exchange::paper {
namespace {

using money::Rounding;

const Decimal kFeeStep = Decimal::parse("0.00000001");

bool same_direction(Decimal amount, Side side) {
    return amount.is_zero() || amount.is_positive() == (side == Side::buy);
}

}  // namespace

UserTrade book_fill(Account& account, const std::string& symbol, Side side, Decimal qty, Decimal price,
                    bool maker, std::int64_t order_id, TimeMs now) {
    Position& p = account.positions[symbol];
    Decimal signed_qty = side == Side::buy ? qty : -qty;
    Decimal realized;
    if (same_direction(p.amount, side)) {
        // Growing: the entry is the quantity-weighted average of the old entry and this fill.
        Decimal held = p.amount.abs();
        Decimal cost = held.mul(p.entry_price, Rounding::half_even) + qty.mul(price, Rounding::half_even);
        p.entry_price = cost.div(held + qty, Rounding::half_even);
    } else {
        // Reducing (or flipping): PnL is realized on the part that closes, at the old entry.
        Decimal closing = std::min(qty, p.amount.abs());
        realized = closing.mul(price - p.entry_price, Rounding::half_even);
        if (p.amount.is_negative()) realized = -realized;
        if (qty > p.amount.abs()) p.entry_price = price;  // the rest opens the other way at this price
    }
    p.amount += signed_qty;
    p.update_time = now;
    if (p.amount.is_zero()) account.positions.erase(symbol);

    Decimal notional = qty.mul(price, Rounding::half_even);
    Decimal rate = maker ? account.settings.maker_fee_rate : account.settings.taker_fee_rate;
    Decimal fee = notional.mul(rate, Rounding::half_even).round_to_step(kFeeStep, Rounding::half_even);
    account.wallet += realized - fee;

    UserTrade t;
    t.id = account.next_trade_id++;
    t.order_id = order_id;
    t.symbol = symbol;
    t.side = side;
    t.price = price;
    t.qty = qty;
    t.quote_qty = notional;
    t.realized_pnl = realized;
    t.commission = fee;
    t.commission_asset = "USDT";
    t.maker = maker;
    t.time = now;
    account.trades.push_back(t);
    ++account.version;
    return t;
}

Decimal unrealized_pnl(const Position& position, Decimal mark) {
    return position.amount.mul(mark - position.entry_price, Rounding::half_even);
}

Decimal market_fill_price(const SymbolInfo& symbol, Side side, Decimal mark, Decimal slippage_rate) {
    Decimal one = Decimal::from_int(1);
    Decimal factor = side == Side::buy ? one + slippage_rate : one - slippage_rate;
    Decimal price = mark.mul(factor, side == Side::buy ? Rounding::up : Rounding::down);
    if (!symbol.tick_size.is_positive()) return price;
    Decimal on_tick =
        side == Side::buy ? price.ceil_to_step(symbol.tick_size) : price.floor_to_step(symbol.tick_size);
    return on_tick.is_positive() ? on_tick : symbol.tick_size;
}

Decimal opening_quantity(const Account& account, const std::string& symbol, Side side, Decimal qty) {
    const Position* p = account.position(symbol);
    if (!p || same_direction(p->amount, side)) return qty;
    return std::max(Decimal{}, qty - p->amount.abs());
}

void trim_history(Account& account) {
    std::size_t finished =
        std::count_if(account.orders.begin(), account.orders.end(), [](const Order& o) { return !o.open(); });
    for (auto it = account.orders.begin(); finished > kKeptFinishedOrders && it != account.orders.end();) {
        if (!it->open()) {
            it = account.orders.erase(it);
            --finished;
        } else {
            ++it;
        }
    }
    if (account.trades.size() > kKeptTrades)
        account.trades.erase(account.trades.begin(),
                             account.trades.begin() + static_cast<long>(account.trades.size() - kKeptTrades));
}

}  // namespace tradingd::exchange::paper
