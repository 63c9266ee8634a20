// Trading: one agent's account on the exchange (its own key). Implemented by the Binance client and the paper
// broker. Orders are addressed by client order id, because after a timeout that is the only handle we have.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "exchange/result.h"
#include "exchange/types.h"

namespace tradingd::exchange {

struct TradeQuery {
    std::string symbol;
    std::optional<std::int64_t> order_id;
    std::optional<TimeMs> start_time;  // start and end at most 7 days apart; only the last 6 months exist
    std::optional<TimeMs> end_time;
    std::optional<std::int64_t> from_id;
    int limit = 500;  // at most 1000
};

class Trading {
  public:
    virtual ~Trading() = default;

    virtual Result<std::vector<Balance>> balances() = 0;
    // Symbols with a nonzero position only.
    virtual Result<std::vector<PositionInfo>> positions() = 0;
    // Plain and conditional orders together (OrderInfo::kind tells them apart). No symbol: all symbols,
    // which costs weight 40 per kind.
    virtual Result<std::vector<OrderInfo>> open_orders(const std::optional<std::string>& symbol) = 0;

    // Conditional types go to the algo endpoint with client_order_id as clientAlgoId. On unknown_status the
    // order may exist: call query_order with the same client id before anything else.
    virtual Result<OrderInfo> place_order(const OrderRequest& request) = 0;
    // unknown_order from query_order after an unknown_status means the order was never placed.
    virtual Result<OrderInfo> query_order(const std::string& symbol, const std::string& client_order_id,
                                          OrderKind kind) = 0;
    virtual Result<OrderInfo> cancel_order(const std::string& symbol, const std::string& client_order_id,
                                           OrderKind kind) = 0;

    virtual Result<LeverageInfo> set_leverage(const std::string& symbol, int leverage) = 0;
    // "Already set" (-4046) is a success.
    virtual Result<void> set_margin_type(const std::string& symbol, MarginType type) = 0;
    // Oldest first.
    virtual Result<std::vector<UserTrade>> user_trades(const TradeQuery& query) = 0;
};

}  // namespace tradingd::exchange
