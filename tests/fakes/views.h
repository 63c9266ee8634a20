// The JSON shapes Binance USDⓈ-M returns for orders, algo orders, trades, income, positions, balances and
// the account: field names and string-vs-number choices as in the official docs.
#pragma once

#include <cstdint>

#include "api.h"
#include "app.h"

namespace fake {

enum class OrderView { Query, New, NewAck, Cancel };

Json order_json(const Order& o, const SymbolSpec& s, OrderView view);
Json algo_json(const AlgoOrder& a);
Json trade_json(const Trade& t);
Json income_json(const Income& i);
Json position_v2_json(const App& app, const Account& acct, const SymbolSpec& s, std::int64_t now);
Json position_v3_json(const App& app, const Account& acct, const SymbolSpec& s, std::int64_t now);
Json balance_json(const App& app, const Account& acct, std::int64_t now);  // the array, USDT first
Json account_json(const App& app, const Account& acct, std::int64_t now, int version);

// A double price or quantity as Binance prints it: rounded to 1e-8, trailing zeros trimmed.
std::string num(double v);

}  // namespace fake
