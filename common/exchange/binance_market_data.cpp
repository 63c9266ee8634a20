// BinanceMarketData: public endpoints, each with the IP weight Binance charges for it (reference §2), so the
// shared budget sees the cost before the request goes out.
#include <nlohmann/json.hpp>

#include "exchange/binance_client.h"
#include "exchange/binance_json.h"
#include "exchange/binance_rest.h"

namespace tradingd::exchange {

namespace {

int kline_weight(int limit) {
    if (limit < 100) return 1;
    if (limit < 500) return 2;
    if (limit <= 1000) return 5;
    return 10;
}

RestCall public_get(std::string_view path, QueryParams params, int weight) {
    return RestCall{"GET", path, std::move(params), Security::none, weight, Priority::normal, false};
}

}  // namespace

BinanceMarketData::BinanceMarketData(BinanceConfig config, WeightBudget& budget)
    : rest_(std::make_unique<BinanceRest>(std::move(config), budget, std::nullopt)) {}

BinanceMarketData::~BinanceMarketData() = default;

Result<std::vector<SymbolInfo>> BinanceMarketData::exchange_info() {
    auto reply = rest_->call(public_get("/fapi/v1/exchangeInfo", {}, 1));
    if (!reply) return reply.error();
    auto info = binance_json::exchange_info(reply.value(), rest_->budget().limits());
    if (!info) return info.error();
    rest_->budget().set_limits(info->limits);
    return std::move(info->symbols);
}

Result<std::vector<Kline>> BinanceMarketData::klines(const KlineQuery& q) {
    if (q.limit < 1 || q.limit > 1500) {
        return local_error(Outcome::rejected, "klines limit must be 1..1500, not " + std::to_string(q.limit));
    }
    QueryParams params{{"symbol", q.symbol}, {"interval", std::string(interval_name(q.interval))}};
    if (q.start_time) params.emplace_back("startTime", std::to_string(*q.start_time));
    if (q.end_time) params.emplace_back("endTime", std::to_string(*q.end_time));
    params.emplace_back("limit", std::to_string(q.limit));
    auto reply = rest_->call(public_get("/fapi/v1/klines", std::move(params), kline_weight(q.limit)));
    if (!reply) return reply.error();
    return binance_json::klines(reply.value());
}

Result<std::vector<Ticker24h>> BinanceMarketData::tickers_24h() {
    auto reply = rest_->call(public_get("/fapi/v1/ticker/24hr", {}, 40));
    if (!reply) return reply.error();
    return binance_json::tickers(reply.value());
}

Result<std::vector<MarkPrice>> BinanceMarketData::mark_prices() {
    auto reply = rest_->call(public_get("/fapi/v1/premiumIndex", {}, 10));
    if (!reply) return reply.error();
    return binance_json::mark_prices(reply.value());
}

Result<MarkPrice> BinanceMarketData::mark_price(const std::string& symbol) {
    auto reply = rest_->call(public_get("/fapi/v1/premiumIndex", {{"symbol", symbol}}, 1));
    if (!reply) return reply.error();
    auto prices = binance_json::mark_prices(reply.value());
    if (!prices) return prices.error();
    if (prices->size() != 1 || prices->front().symbol != symbol) {
        Error e;
        e.outcome = Outcome::unknown_status;
        e.http_status = 200;
        e.message = "malformed premiumIndex reply: expected one entry for " + symbol;
        return e;
    }
    return prices->front();
}

Result<TimeMs> BinanceMarketData::server_time() {
    return rest_->sync_time();
}

}  // namespace tradingd::exchange
