// The Binance USDⓈ-M REST client: BinanceMarketData (public data, per-IP weight) and BinanceTrading (one
// agent's account, signed). Both speak the real wire format, so they also work against fake-binance.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "crypto/secret.h"
#include "exchange/market_data.h"
#include "exchange/trading.h"
#include "exchange/weight_budget.h"

namespace tradingd::exchange {

class BinanceRest;

inline constexpr const char* kBinanceFuturesUrl = "https://fapi.binance.com";

struct BinanceConfig {
    std::string base_url = kBinanceFuturesUrl;  // or fake-binance's http://127.0.0.1:PORT
    int recv_window_ms = 5000;                  // Binance recommends at most 5000
    std::chrono::milliseconds connect_timeout{3000};
    std::chrono::milliseconds request_timeout{10000};
    // The longest a call waits for room in the weight budget before it returns rate_limited.
    std::chrono::milliseconds max_budget_wait{10000};
    // The clock offset is refreshed this often, and at once after a -1021.
    std::chrono::milliseconds time_resync_interval{std::chrono::minutes(10)};
};

// An agent's key pair. Secret buffers: never copied by accident, never printable, wiped when dropped. The
// key travels only in the X-MBX-APIKEY header; the secret never leaves the process (only signatures do).
struct ApiCredentials {
    crypto::SecretString api_key;
    crypto::SecretString secret;
};

// Not thread-safe (it owns one connection): one per thread, all sharing the process's WeightBudget.
class BinanceMarketData final : public MarketData {
  public:
    // `budget` must outlive the client; normally process_weight_budget().
    BinanceMarketData(BinanceConfig config, WeightBudget& budget);
    ~BinanceMarketData() override;

    // Also applies exchangeInfo.rateLimits to the weight budget, as Binance asks clients to.
    Result<std::vector<SymbolInfo>> exchange_info() override;
    Result<std::vector<Kline>> klines(const KlineQuery& query) override;
    Result<std::vector<Ticker24h>> tickers_24h() override;
    Result<std::vector<MarkPrice>> mark_prices() override;
    Result<MarkPrice> mark_price(const std::string& symbol) override;
    Result<TimeMs> server_time() override;

  private:
    std::unique_ptr<BinanceRest> rest_;
};

// Not thread-safe (one per worker thread, like its transport).
class BinanceTrading final : public Trading {
  public:
    BinanceTrading(BinanceConfig config, WeightBudget& budget, ApiCredentials credentials);
    ~BinanceTrading() override;

    Result<std::vector<Balance>> balances() override;
    Result<std::vector<PositionInfo>> positions() override;
    Result<std::vector<OrderInfo>> open_orders(const std::optional<std::string>& symbol) override;

    // Rounds quantity (down onto the step) and prices (see filters.h) to the symbol's filters, refuses
    // locally with filter_violation what Binance would reject (below MIN_NOTIONAL among others), then sends
    // it: MARKET/LIMIT to /fapi/v1/order, conditional types to /fapi/v1/algoOrder with clientAlgoId. Sent
    // exactly once: a timeout, lost connection or 5xx comes back as unknown_status and is never retried here.
    Result<OrderInfo> place_order(const OrderRequest& request) override;
    // place_order plus the lookup protocol, for a request with a client order id:
    //  - unknown_status: query by client id; found -> that order. Not found (-2013) only counts once the
    //    first request can no longer execute (its timestamp + recvWindow has passed on the server's clock);
    //    then it is placed again with the same id. A lookup that fails keeps the status unknown.
    //  - duplicate_client_id (-4116): the order exists; query it and return it.
    // Still unknown after `max_lookups` lookups: returns unknown_status, and the caller must not place it.
    // It begins by placing, so it is for a request this process is sending for the first time. After a
    // restart, or after a plain place_order came back unknown_status, call query_order first: a filled
    // order frees its client id on Binance, and placing it again would be a second order.
    Result<OrderInfo> place_order_idempotent(const OrderRequest& request, int max_lookups = 4);
    Result<OrderInfo> query_order(const std::string& symbol, const std::string& client_order_id,
                                  OrderKind kind) override;
    Result<OrderInfo> cancel_order(const std::string& symbol, const std::string& client_order_id,
                                   OrderKind kind) override;

    Result<LeverageInfo> set_leverage(const std::string& symbol, int leverage) override;
    Result<void> set_margin_type(const std::string& symbol, MarginType type) override;
    Result<std::vector<UserTrade>> user_trades(const TradeQuery& query) override;

    // Filters used for rounding. Without this the client loads exchangeInfo itself (weight 1) on the first
    // order and again when its copy is an hour old; a caller that already has them saves that call.
    void set_symbol_rules(const std::vector<SymbolInfo>& symbols);

  private:
    Result<SymbolInfo> rules_for(const std::string& symbol);
    Result<OrderRequest> fitted(const OrderRequest& request);
    Result<OrderInfo> lookup_after_unknown(const OrderRequest& request, int max_lookups);

    std::unique_ptr<BinanceRest> rest_;
    std::map<std::string, SymbolInfo> rules_;
    TimeMs rules_loaded_at_ = 0;  // steady ms; 0 = never
};

}  // namespace tradingd::exchange
