// PaperBroker: one agent's simulated futures account behind the Trading interface, for paper bots and the
// embedded default. Orders fill against a MarketData source's mark price (market orders with slippage,
// resting limit orders once the mark crosses, conditional orders once it reaches their trigger), with
// Binance's rules for client order ids, filters, reduce-only and margin, one-way positions, and fees.
// Deterministic given its clock and price source; the whole account survives a restart through
// snapshot()/restore(), which a paper worker saves after every state change.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "exchange/market_data.h"
#include "exchange/trading.h"

namespace tradingd::exchange {

struct PaperSettings {
    Decimal starting_balance = Decimal::from_int(10000);  // USDT, paper.starting_balance
    Decimal taker_fee_rate = Decimal::parse("0.0005");    // paper.taker_fee_rate
    Decimal maker_fee_rate = Decimal::parse("0.0002");    // paper.maker_fee_rate
    Decimal slippage_rate = Decimal::parse("0.0002");     // paper.slippage_rate
    int default_leverage = 20;                            // Binance's default for a symbol never set
    bool funding = false;  // charge/credit funding every 8 h at the source's current funding rate
};

namespace paper {
struct Account;
}

// Not thread-safe: one broker per paper account, used by the one worker that runs that account's bot.
class PaperBroker final : public Trading {
  public:
    // `market` must outlive the broker. `clock` gives order, trade and funding times.
    PaperBroker(PaperSettings settings, MarketData& market, std::function<TimeMs()> clock);
    // Rebuilds an account from snapshot(); throws std::invalid_argument if the text is not a snapshot.
    static PaperBroker restore(const std::string& snapshot, MarketData& market,
                               std::function<TimeMs()> clock);
    ~PaperBroker() override;
    PaperBroker(PaperBroker&&) noexcept;
    PaperBroker& operator=(PaperBroker&&) noexcept;

    // Everything the account holds (settings, wallet, positions, leverage, orders, trades, id counters), as
    // JSON text. Symbol rules and prices are not part of it: they come from the market again.
    std::string snapshot() const;

    // Fills resting limit orders the mark price has crossed and triggers conditional orders it reached (and
    // settles funding when enabled). Every other call does this first, so reads never show stale orders.
    // Returns whether anything changed (the caller then saves a snapshot).
    Result<bool> poll();
    // Increases on every state change, so a caller can tell whether to save a snapshot.
    std::uint64_t version() const;

    Result<std::vector<Balance>> balances() override;
    Result<std::vector<PositionInfo>> positions() override;
    Result<std::vector<OrderInfo>> open_orders(const std::optional<std::string>& symbol) override;
    Result<OrderInfo> place_order(const OrderRequest& request) override;
    Result<OrderInfo> query_order(const std::string& symbol, const std::string& client_order_id,
                                  OrderKind kind) override;
    Result<OrderInfo> cancel_order(const std::string& symbol, const std::string& client_order_id,
                                   OrderKind kind) override;
    Result<LeverageInfo> set_leverage(const std::string& symbol, int leverage) override;
    Result<void> set_margin_type(const std::string& symbol, MarginType type) override;
    Result<std::vector<UserTrade>> user_trades(const TradeQuery& query) override;

  private:
    PaperBroker(std::unique_ptr<paper::Account> account, MarketData& market, std::function<TimeMs()> clock);
    Result<SymbolInfo> rules_for(const std::string& symbol);
    Result<Decimal> mark(const std::string& symbol);

    std::unique_ptr<paper::Account> account_;
    MarketData* market_;
    std::function<TimeMs()> clock_;
    std::vector<SymbolInfo> rules_;  // from market.exchange_info(), loaded once
};

}  // namespace tradingd::exchange
