// An in-memory futures account for the bot engine's tests: one-way positions netted per symbol, MARKET
// orders filled at the symbol's price, conditional orders (stop, take-profit, trailing) that fire when the
// test moves a price, user trades with realized PnL and commission, client-id uniqueness among open orders
// (-4116) and unknown ids (-2013/-2011) as Binance answers them. A fault hook makes any call time out
// before or after it took effect, which is what the engine must survive.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "exchange/trading.h"

namespace tradingd::bot::test {

using exchange::Decimal;

enum class Fault {
    none,
    timeout_before,  // the request never took effect; the caller sees unknown_status
    timeout_after,   // it took effect, the reply was lost: unknown_status (timeout-after-accept)
};

class SimExchange final : public exchange::Trading {
  public:
    explicit SimExchange(Decimal wallet);

    void add_symbol(const exchange::SymbolInfo& info, Decimal price);
    // Moves the price and fires every conditional order it crosses.
    void set_price(const std::string& symbol, Decimal price);
    Decimal price(const std::string& symbol) const { return prices_.at(symbol); }
    void set_time(exchange::TimeMs now) { now_ = now; }
    // Called with the operation name (place query cancel positions open_orders balances user_trades
    // leverage margin_type) before each call.
    std::function<Fault(std::string_view op)> faults;
    // The asset user trades report commissions in ("BNB" for an account paying fees in BNB).
    std::string commission_asset = "USDT";

    // Every order the exchange accepted, in order, with its current state.
    const std::vector<exchange::OrderInfo>& all_orders() const { return orders_; }
    const std::vector<exchange::UserTrade>& trades() const { return trades_; }
    Decimal position_amount(const std::string& symbol) const;
    Decimal wallet() const { return wallet_; }
    int placed_count() const { return static_cast<int>(orders_.size()); }

    exchange::Result<std::vector<exchange::Balance>> balances() override;
    exchange::Result<std::vector<exchange::PositionInfo>> positions() override;
    exchange::Result<std::vector<exchange::OrderInfo>> open_orders(
        const std::optional<std::string>& symbol) override;
    exchange::Result<exchange::OrderInfo> place_order(const exchange::OrderRequest& request) override;
    exchange::Result<exchange::OrderInfo> query_order(const std::string& symbol,
                                                      const std::string& client_order_id,
                                                      exchange::OrderKind kind) override;
    exchange::Result<exchange::OrderInfo> cancel_order(const std::string& symbol,
                                                       const std::string& client_order_id,
                                                       exchange::OrderKind kind) override;
    exchange::Result<exchange::LeverageInfo> set_leverage(const std::string& symbol, int leverage) override;
    exchange::Result<void> set_margin_type(const std::string& symbol, exchange::MarginType type) override;
    exchange::Result<std::vector<exchange::UserTrade>> user_trades(
        const exchange::TradeQuery& query) override;

  private:
    struct Position {
        Decimal amount;  // signed
        Decimal entry;
    };
    struct Trail {
        bool armed = false;
        Decimal extreme;
    };
    Fault fault(std::string_view op) { return faults ? faults(op) : Fault::none; }
    exchange::Balance account();
    exchange::Result<exchange::OrderInfo> accept(const exchange::OrderRequest& request);
    Decimal reducible(const std::string& symbol, exchange::Side side) const;
    void fill(exchange::OrderInfo& order, Decimal qty, Decimal price);
    bool fires(exchange::OrderInfo& order, Decimal price);
    void trigger(exchange::OrderInfo& order);
    exchange::OrderInfo* find(const std::string& symbol, const std::string& id, exchange::OrderKind kind);

    Decimal wallet_;
    exchange::TimeMs now_ = 1'700'000'000'000;
    std::map<std::string, exchange::SymbolInfo> symbols_;
    std::map<std::string, Decimal> prices_;
    std::map<std::string, Position> positions_;
    std::map<std::string, int> leverage_;
    std::vector<exchange::OrderInfo> orders_;
    std::map<std::int64_t, Trail> trails_;  // by algo id
    std::vector<exchange::UserTrade> trades_;
    std::int64_t next_id_ = 1000;
};

}  // namespace tradingd::bot::test
