// The paper broker's state and the rules that change it, kept out of paper_broker.h so that callers see only
// the Trading interface. paper_ledger.cpp: fills, positions, PnL. paper_orders.cpp: placing, resting and
// triggering orders. paper_snapshot.cpp: the JSON form of the whole account.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "exchange/paper_broker.h"

namespace tradingd::exchange::paper {

// One-way mode: one signed amount per symbol.
struct Position {
    Decimal amount;  // negative: short
    Decimal entry_price;
    TimeMs update_time = 0;
};

struct Order {
    OrderInfo info;
    // TRAILING_STOP_MARKET: activation (zero: active from placement), callback in percent, and the best
    // mark price seen since activation (highest for a SELL, lowest for a BUY).
    Decimal activation_price;
    Decimal callback_rate;
    bool activated = false;
    Decimal extreme;

    bool open() const {
        return info.kind == OrderKind::plain
                   ? info.status == OrderStatus::new_ || info.status == OrderStatus::partially_filled
                   : info.algo_status == AlgoStatus::new_;
    }
};

struct Account {
    PaperSettings settings;
    Decimal wallet;
    std::map<std::string, Position> positions;  // nonzero only
    std::map<std::string, int> leverage;        // symbols whose leverage was set
    std::map<std::string, MarginType> margin_types;
    std::vector<Order> orders;  // placement order; finished ones are kept (up to a limit) for queries
    std::vector<UserTrade> trades;
    std::int64_t next_order_id = 1, next_algo_id = 1, next_trade_id = 1;
    TimeMs funded_until = 0;  // funding settled for every 8-hour mark up to here
    std::uint64_t version = 0;

    int leverage_of(const std::string& symbol) const {
        auto it = leverage.find(symbol);
        return it == leverage.end() ? settings.default_leverage : it->second;
    }
    const Position* position(const std::string& symbol) const {
        auto it = positions.find(symbol);
        return it == positions.end() ? nullptr : &it->second;
    }
};

inline constexpr std::size_t kKeptFinishedOrders = 1000;
inline constexpr std::size_t kKeptTrades = 10000;

// --- paper_ledger.cpp ---
// Books a fill: moves the position (averaging the entry when it grows, realizing PnL when it shrinks or
// flips), charges the fee, and records the trade. qty > 0.
UserTrade book_fill(Account& account, const std::string& symbol, Side side, Decimal qty, Decimal price,
                    bool maker, std::int64_t order_id, TimeMs now);
Decimal unrealized_pnl(const Position& position, Decimal mark);
// A market fill: the mark moved against the taker by the slippage rate, onto the tick (buys up, sells down).
Decimal market_fill_price(const SymbolInfo& symbol, Side side, Decimal mark, Decimal slippage_rate);
// The quantity of an order that would open or grow a position (the rest only reduces it).
Decimal opening_quantity(const Account& account, const std::string& symbol, Side side, Decimal qty);
// Drops the oldest finished orders and trades past the kept limits.
void trim_history(Account& account);

// --- paper_orders.cpp ---
// Places an order already fitted to the filters. `mark` is the symbol's mark price now; `available` the
// account's available balance. Errors carry Binance's codes so they classify like the real client's.
Result<OrderInfo> place(Account& account, const SymbolInfo& symbol, const OrderRequest& order, Decimal mark,
                        Decimal available, TimeMs now);
// Fills crossed limit orders and triggers reached conditional orders of `symbol` at mark price `mark`.
// Returns whether anything changed.
bool on_mark(Account& account, const SymbolInfo& symbol, Decimal mark, TimeMs now);

// --- paper_snapshot.cpp ---
std::string to_json(const Account& account);
std::unique_ptr<Account> from_json(const std::string& text);  // throws std::invalid_argument

}  // namespace tradingd::exchange::paper
