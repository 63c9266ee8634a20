// The worker's exchange seen through its heartbeat: before every exchange call the worker sends a heartbeat
// if one is due, so a scan that makes many slow calls in a row (each up to exchange.request_timeout_ms) is
// never taken for a hung worker, while a worker stuck inside a single call past bots.heartbeat_timeout_s
// still is, and gets killed and restarted.
#pragma once

#include "exchange/trading.h"
#include "exchange/weight_budget.h"
#include "worker/worker_link.h"

namespace tradingd::worker {

class HeartbeatTrading final : public exchange::Trading {
  public:
    // Also makes the Binance client show progress between the requests of one call and while it waits for
    // weight (exchange::set_progress_hook), so silence is bounded by one request, not one call.
    HeartbeatTrading(exchange::Trading& inner, WorkerLink& link) : inner_(inner), link_(link) {
        exchange::set_progress_hook([&link] { link.progress(); });
    }
    ~HeartbeatTrading() override { exchange::set_progress_hook(nullptr); }
    HeartbeatTrading(const HeartbeatTrading&) = delete;
    HeartbeatTrading& operator=(const HeartbeatTrading&) = delete;

    exchange::Result<std::vector<exchange::Balance>> balances() override;
    exchange::Result<std::vector<exchange::PositionInfo>> positions() override;
    exchange::Result<std::vector<exchange::OrderInfo>> open_orders(
        const std::optional<std::string>& symbol) override;
    exchange::Result<exchange::OrderInfo> place_order(const exchange::OrderRequest& request) override;
    exchange::Result<exchange::OrderInfo> query_order(const std::string& symbol, const std::string& id,
                                                      exchange::OrderKind kind) override;
    exchange::Result<exchange::OrderInfo> cancel_order(const std::string& symbol, const std::string& id,
                                                       exchange::OrderKind kind) override;
    exchange::Result<exchange::LeverageInfo> set_leverage(const std::string& symbol, int leverage) override;
    exchange::Result<void> set_margin_type(const std::string& symbol, exchange::MarginType type) override;
    exchange::Result<std::vector<exchange::UserTrade>> user_trades(
        const exchange::TradeQuery& query) override;

  private:
    exchange::Trading& inner_;
    WorkerLink& link_;
};

}  // namespace tradingd::worker
