// Binance's JSON replies to the exchange layer's types. Prices and quantities arrive as strings and become
// exact Decimals; a reply missing a field or carrying a bad value is refused whole with a message naming
// the field, never half-read and never a crash.
#pragma once

#include <nlohmann/json_fwd.hpp>

#include <string_view>
#include <vector>

#include "exchange/result.h"
#include "exchange/types.h"
#include "exchange/weight_budget.h"

namespace tradingd::exchange::binance_json {

// The exchangeInfo rateLimits applied onto `current` (fields it does not mention keep their values).
struct ExchangeInfo {
    std::vector<SymbolInfo> symbols;
    WeightLimits limits;
};
Result<ExchangeInfo> exchange_info(const nlohmann::json& body, const WeightLimits& current);
Result<std::vector<Kline>> klines(const nlohmann::json& body);
Result<std::vector<Ticker24h>> tickers(const nlohmann::json& body);
Result<std::vector<MarkPrice>> mark_prices(const nlohmann::json& body);  // array, or one object
Result<std::vector<Balance>> balances(const nlohmann::json& body);
Result<std::vector<PositionInfo>> positions(const nlohmann::json& body);  // nonzero amounts only
Result<OrderInfo> order(const nlohmann::json& body);
Result<OrderInfo> algo_order(const nlohmann::json& body);
Result<std::vector<OrderInfo>> orders(const nlohmann::json& body);
Result<std::vector<OrderInfo>> algo_orders(const nlohmann::json& body);
Result<LeverageInfo> leverage(const nlohmann::json& body);
Result<std::vector<UserTrade>> user_trades(const nlohmann::json& body);

// Wire words for requests.
std::string_view side_word(Side side);
std::string_view type_word(OrderType type);
std::string_view position_side_word(PositionSide side);
std::string_view time_in_force_word(TimeInForce tif);
std::string_view working_type_word(WorkingType type);

}  // namespace tradingd::exchange::binance_json
