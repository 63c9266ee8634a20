// PositionRecord and OrderRecord as JSON for the worker IPC (docs/worker-protocol.md): money as decimal
// strings, enums as stable words, times as epoch milliseconds. Parsing throws std::invalid_argument naming
// the field, so a malformed request is refused instead of half written.
#pragma once

#include <nlohmann/json.hpp>

#include "bot/journal.h"

namespace tradingd::bots {

nlohmann::json position_to_json(const bot::PositionRecord& p);
bot::PositionRecord position_from_json(const nlohmann::json& j);
nlohmann::json order_to_json(const bot::OrderRecord& o);
bot::OrderRecord order_from_json(const nlohmann::json& j);

// Stable words for the orders table and events.
std::string_view leg_name(exchange::Leg leg);                      // entry stop_loss take_profit exit
std::string_view order_status_name(exchange::OrderStatus status);  // Binance's words: NEW FILLED ...
std::string_view algo_status_name(exchange::AlgoStatus status);
std::string_view order_type_name(exchange::OrderType type);  // MARKET STOP_MARKET ...
std::string_view side_name(exchange::Side side);             // BUY SELL

}  // namespace tradingd::bots
