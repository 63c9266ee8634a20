// What the exchange layer hands to strategy and bots: plain structs with no wire format. Money is exact
// (money::Decimal); candles and tickers are market data for indicators and stay double.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "money/decimal.h"

namespace tradingd::exchange {

using money::Decimal;
using TimeMs = std::int64_t;  // milliseconds since the Unix epoch, as Binance counts

enum class Side { buy, sell };
enum class PositionSide { both, long_side, short_side };  // `both` is one-way mode, the daemon's mode
enum class MarginType { cross, isolated };
// stop and take_profit are the conditional forms with a limit price (Binance's STOP, TAKE_PROFIT): the daemon
// places *_market exits, but a user's hand-placed orders of those types must still read back.
enum class OrderType {
    market,
    limit,
    stop_market,
    take_profit_market,
    trailing_stop_market,
    stop,
    take_profit
};
enum class TimeInForce { gtc, ioc, fok, gtx, gtd };  // gtx = post-only
enum class WorkingType { contract_price, mark_price };
enum class OrderStatus { new_, partially_filled, filled, canceled, expired, expired_in_match, rejected };
// Lifecycle of an untriggered conditional order on Binance's algo service.
enum class AlgoStatus { new_, triggering, triggered, finished, canceled, rejected, expired };

// Since 2025-12-09 conditional orders live on separate endpoints with their own ids (clientAlgoId), so
// querying or cancelling one needs to know which kind it is.
enum class OrderKind { plain, conditional };
constexpr OrderKind kind_of(OrderType type) {
    return type == OrderType::market || type == OrderType::limit ? OrderKind::plain : OrderKind::conditional;
}
// Types that carry a limit price (and are valued at it); the others fill at market once they execute.
constexpr bool has_limit_price(OrderType type) {
    return type == OrderType::limit || type == OrderType::stop || type == OrderType::take_profit;
}

enum class Interval { m1, m3, m5, m15, m30, h1, h2, h4, h6, h8, h12, d1, d3, w1, month1 };
constexpr std::string_view interval_name(Interval i) {
    constexpr std::string_view names[] = {"1m", "3m", "5m",  "15m", "30m", "1h", "2h", "4h",
                                          "6h", "8h", "12h", "1d",  "3d",  "1w", "1M"};
    return names[static_cast<int>(i)];
}

struct SymbolInfo {
    std::string symbol;         // "BTCUSDT"
    std::string status;         // TRADING, PENDING_TRADING, SETTLING, CLOSE, ...
    std::string contract_type;  // PERPETUAL, CURRENT_QUARTER, ...
    std::string base_asset;
    std::string quote_asset;
    std::string margin_asset;
    // Display precision only: Binance says not to use these as tick or step size.
    int price_precision = 0;
    int quantity_precision = 0;

    // Filters. A zero means the exchange did not set that limit, and no check is made against it.
    Decimal tick_size, min_price, max_price;                   // PRICE_FILTER (also applies to stop prices)
    Decimal step_size, min_qty, max_qty;                       // LOT_SIZE
    Decimal market_step_size, market_min_qty, market_max_qty;  // MARKET_LOT_SIZE
    Decimal min_notional;                                      // MIN_NOTIONAL.notional
    int max_num_orders = 0;                                    // MAX_NUM_ORDERS: open orders on this symbol
    int max_num_algo_orders = 0;  // MAX_NUM_ALGO_ORDERS, removed in Dec 2025; 0 when absent

    bool trading() const { return status == "TRADING"; }
};

struct Kline {
    TimeMs open_time = 0;
    double open = 0, high = 0, low = 0, close = 0;
    double volume = 0;      // base asset
    TimeMs close_time = 0;  // next open_time - 1
    double quote_volume = 0;
    std::int64_t trades = 0;
};

struct Ticker24h {
    std::string symbol;
    double last_price = 0;
    double price_change_percent = 0;
    double high_price = 0, low_price = 0;
    double volume = 0, quote_volume = 0;
    TimeMs open_time = 0, close_time = 0;
    std::int64_t trades = 0;
};

struct MarkPrice {
    std::string symbol;
    Decimal mark_price;
    Decimal index_price;
    Decimal funding_rate;  // the last one, e.g. 0.0001 = 0.01 % per funding period
    TimeMs next_funding_time = 0;
    TimeMs time = 0;
};

struct Balance {
    std::string asset;
    Decimal wallet_balance;
    Decimal available_balance;
    Decimal unrealized_pnl;
};

struct PositionInfo {
    std::string symbol;
    PositionSide position_side = PositionSide::both;
    Decimal amount;  // signed: negative is short
    Decimal entry_price;
    Decimal mark_price;
    Decimal unrealized_pnl;
    Decimal liquidation_price;
    int leverage = 0;  // positionRisk v2 carries it; v3 does not
    MarginType margin_type = MarginType::cross;
    TimeMs update_time = 0;
};

struct OrderRequest {
    std::string symbol;
    Side side = Side::buy;
    OrderType type = OrderType::market;
    PositionSide position_side = PositionSide::both;
    std::optional<Decimal> quantity;          // absent with close_position
    std::optional<Decimal> price;             // LIMIT only
    std::optional<Decimal> stop_price;        // the trigger of a conditional order (Binance's triggerPrice)
    std::optional<Decimal> activation_price;  // TRAILING_STOP_MARKET
    std::optional<Decimal> callback_rate;     // TRAILING_STOP_MARKET, percent
    bool reduce_only = false;
    bool close_position = false;               // STOP_MARKET / TAKE_PROFIT_MARKET closing the whole position
    std::optional<TimeInForce> time_in_force;  // LIMIT only
    std::string client_order_id;  // see client_order_id.h; sent as clientAlgoId for conditional orders
    WorkingType working_type = WorkingType::contract_price;
};

struct OrderInfo {
    std::string symbol;
    OrderKind kind = OrderKind::plain;
    std::int64_t order_id = 0;    // 0 for a conditional order that has not triggered yet
    std::int64_t algo_id = 0;     // 0 for a plain order
    std::string client_order_id;  // clientOrderId, or clientAlgoId for a conditional order
    Side side = Side::buy;
    OrderType type = OrderType::market;
    PositionSide position_side = PositionSide::both;
    OrderStatus status = OrderStatus::new_;
    std::optional<AlgoStatus> algo_status;  // conditional orders only
    Decimal price;
    Decimal stop_price;
    Decimal avg_price;
    Decimal orig_qty;
    Decimal executed_qty;
    Decimal cum_quote;
    bool reduce_only = false;
    bool close_position = false;
    std::optional<TimeInForce> time_in_force;
    WorkingType working_type = WorkingType::contract_price;
    TimeMs time = 0;
    TimeMs update_time = 0;
};

struct UserTrade {
    std::int64_t id = 0;
    std::int64_t order_id = 0;
    std::string symbol;
    Side side = Side::buy;
    PositionSide position_side = PositionSide::both;
    Decimal price;
    Decimal qty;
    Decimal quote_qty;
    Decimal realized_pnl;
    Decimal commission;
    std::string commission_asset;
    bool maker = false;
    TimeMs time = 0;
};

struct LeverageInfo {
    std::string symbol;
    int leverage = 0;
    Decimal max_notional;  // the largest position this leverage allows
};

}  // namespace tradingd::exchange
