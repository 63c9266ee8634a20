// BinanceTrading's account calls (balances, positions, open orders, leverage, margin type, trades) and the
// symbol-rules cache that order rounding reads. Order placement and lookup are in binance_orders.cpp.
#include <nlohmann/json.hpp>

#include "exchange/binance_client.h"
#include "exchange/binance_json.h"
#include "exchange/binance_rest.h"

namespace tradingd::exchange {

namespace {

constexpr TimeMs kRulesMaxAgeMs = 60 * 60 * 1000;

RestCall signed_call(std::string_view method, std::string_view path, QueryParams params, int weight,
                     Priority priority = Priority::normal) {
    return RestCall{method, path, std::move(params), Security::signed_request, weight, priority, false};
}

TimeMs steady_ms() {
    using namespace std::chrono;
    return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
}

}  // namespace

BinanceTrading::BinanceTrading(BinanceConfig config, WeightBudget& budget, ApiCredentials credentials)
    : rest_(std::make_unique<BinanceRest>(std::move(config), budget, std::move(credentials))) {}

BinanceTrading::~BinanceTrading() = default;

Result<std::vector<Balance>> BinanceTrading::balances() {
    auto reply = rest_->call(signed_call("GET", "/fapi/v3/balance", {}, 5));
    if (!reply) return reply.error();
    return binance_json::balances(reply.value());
}

Result<std::vector<PositionInfo>> BinanceTrading::positions() {
    // v2, not v3: only v2 carries each position's leverage and margin type.
    auto reply = rest_->call(signed_call("GET", "/fapi/v2/positionRisk", {}, 5));
    if (!reply) return reply.error();
    return binance_json::positions(reply.value());
}

Result<std::vector<OrderInfo>> BinanceTrading::open_orders(const std::optional<std::string>& symbol) {
    QueryParams params;
    if (symbol) params.emplace_back("symbol", *symbol);
    const int weight = symbol ? 1 : 40;
    auto plain = rest_->call(signed_call("GET", "/fapi/v1/openOrders", params, weight));
    if (!plain) return plain.error();
    auto orders = binance_json::orders(plain.value());
    if (!orders) return orders.error();
    // Conditional orders live on the algo service and are listed separately.
    auto algo = rest_->call(signed_call("GET", "/fapi/v1/openAlgoOrders", params, weight));
    if (!algo) return algo.error();
    auto algos = binance_json::algo_orders(algo.value());
    if (!algos) return algos.error();
    std::vector<OrderInfo> out = std::move(orders.value());
    for (auto& o : algos.value()) out.push_back(std::move(o));
    return out;
}

Result<LeverageInfo> BinanceTrading::set_leverage(const std::string& symbol, int leverage) {
    auto reply = rest_->call(signed_call("POST", "/fapi/v1/leverage",
                                         {{"symbol", symbol}, {"leverage", std::to_string(leverage)}}, 1));
    if (!reply) return reply.error();
    return binance_json::leverage(reply.value());
}

Result<void> BinanceTrading::set_margin_type(const std::string& symbol, MarginType type) {
    const char* word = type == MarginType::isolated ? "ISOLATED" : "CROSSED";
    auto reply = rest_->call(
        signed_call("POST", "/fapi/v1/marginType", {{"symbol", symbol}, {"marginType", word}}, 1));
    if (!reply) return reply.error();  // -4046 "no need to change" already came back as a success
    return {};
}

Result<std::vector<UserTrade>> BinanceTrading::user_trades(const TradeQuery& q) {
    QueryParams params{{"symbol", q.symbol}};
    if (q.order_id) params.emplace_back("orderId", std::to_string(*q.order_id));
    if (q.start_time) params.emplace_back("startTime", std::to_string(*q.start_time));
    if (q.end_time) params.emplace_back("endTime", std::to_string(*q.end_time));
    if (q.from_id) params.emplace_back("fromId", std::to_string(*q.from_id));
    params.emplace_back("limit", std::to_string(q.limit));
    auto reply = rest_->call(signed_call("GET", "/fapi/v1/userTrades", std::move(params), 5));
    if (!reply) return reply.error();
    return binance_json::user_trades(reply.value());
}

void BinanceTrading::set_symbol_rules(const std::vector<SymbolInfo>& symbols) {
    rules_.clear();
    for (const auto& s : symbols) rules_[s.symbol] = s;
    rules_loaded_at_ = steady_ms();
}

Result<SymbolInfo> BinanceTrading::rules_for(const std::string& symbol) {
    if (rules_loaded_at_ == 0 || steady_ms() - rules_loaded_at_ > kRulesMaxAgeMs) {
        auto reply =
            rest_->call(RestCall{"GET", "/fapi/v1/exchangeInfo", {}, Security::none, 1, Priority::essential});
        if (!reply) return reply.error();
        auto info = binance_json::exchange_info(reply.value(), rest_->budget().limits());
        if (!info) return info.error();
        set_symbol_rules(info->symbols);
    }
    const auto it = rules_.find(symbol);
    if (it == rules_.end()) return local_error(Outcome::rejected, "unknown symbol " + symbol);
    return it->second;
}

}  // namespace tradingd::exchange
