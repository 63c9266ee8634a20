// What the trading tests share: a fake exchange, one budget, a market-data and a trading client on it, and
// small builders for order requests.
#pragma once

#include <string>

#include "exchange/client_order_id.h"
#include "fake_binance_process.h"

namespace tradingd::test {

struct Clients {
    explicit Clients(std::string balance = "10000",
                     exchange::BinanceConfig (*adjust)(exchange::BinanceConfig) = nullptr)
        : fake(std::move(balance)),
          trading(adjust ? adjust(fake.config()) : fake.config(), budget, fake_credentials()),
          market(fake.config(), budget) {}

    FakeBinance fake;
    exchange::WeightBudget budget;
    exchange::BinanceTrading trading;
    exchange::BinanceMarketData market;

    money::Decimal mark(const std::string& symbol) { return market.mark_price(symbol).value().mark_price; }
};

inline std::string order_id(std::uint64_t position, exchange::Leg leg = exchange::Leg::entry,
                            std::uint32_t attempt = 0) {
    return exchange::make_client_order_id(
        {.agent_id = 1, .position_id = position, .leg = leg, .attempt = attempt});
}

inline exchange::OrderRequest market_order(const std::string& symbol, exchange::Side side, const char* qty,
                                           std::string client_id) {
    exchange::OrderRequest o;
    o.symbol = symbol;
    o.side = side;
    o.type = exchange::OrderType::market;
    o.quantity = money::Decimal::parse(qty);
    o.client_order_id = std::move(client_id);
    return o;
}

inline exchange::OrderRequest limit_order(const std::string& symbol, exchange::Side side, money::Decimal qty,
                                          money::Decimal price, std::string client_id) {
    exchange::OrderRequest o;
    o.symbol = symbol;
    o.side = side;
    o.type = exchange::OrderType::limit;
    o.quantity = qty;
    o.price = price;
    o.time_in_force = exchange::TimeInForce::gtc;
    o.client_order_id = std::move(client_id);
    return o;
}

inline exchange::KlineQuery kline_query(std::string symbol, exchange::Interval interval, int limit) {
    exchange::KlineQuery q;
    q.symbol = std::move(symbol);
    q.interval = interval;
    q.limit = limit;
    return q;
}

inline exchange::TradeQuery trade_query(std::string symbol) {
    exchange::TradeQuery q;
    q.symbol = std::move(symbol);
    return q;
}

// mark * factor (factor like "0.97"), to the 18-digit grid; the client rounds it onto the tick.
inline money::Decimal scaled(money::Decimal mark, const char* factor) {
    return mark.mul(money::Decimal::parse(factor), money::Rounding::down);
}

}  // namespace tradingd::test
