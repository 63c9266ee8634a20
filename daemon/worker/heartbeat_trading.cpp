// Each call: a heartbeat if due (WorkerLink::progress), then the call itself; see heartbeat_trading.h.
#include "worker/heartbeat_trading.h"

namespace tradingd::worker {

using namespace exchange;

Result<std::vector<Balance>> HeartbeatTrading::balances() {
    link_.progress();
    return inner_.balances();
}

Result<std::vector<PositionInfo>> HeartbeatTrading::positions() {
    link_.progress();
    return inner_.positions();
}

Result<std::vector<OrderInfo>> HeartbeatTrading::open_orders(const std::optional<std::string>& symbol) {
    link_.progress();
    return inner_.open_orders(symbol);
}

Result<OrderInfo> HeartbeatTrading::place_order(const OrderRequest& request) {
    link_.progress();
    return inner_.place_order(request);
}

Result<OrderInfo> HeartbeatTrading::query_order(const std::string& symbol, const std::string& id,
                                                OrderKind kind) {
    link_.progress();
    return inner_.query_order(symbol, id, kind);
}

Result<OrderInfo> HeartbeatTrading::cancel_order(const std::string& symbol, const std::string& id,
                                                 OrderKind kind) {
    link_.progress();
    return inner_.cancel_order(symbol, id, kind);
}

Result<LeverageInfo> HeartbeatTrading::set_leverage(const std::string& symbol, int leverage) {
    link_.progress();
    return inner_.set_leverage(symbol, leverage);
}

Result<void> HeartbeatTrading::set_margin_type(const std::string& symbol, MarginType type) {
    link_.progress();
    return inner_.set_margin_type(symbol, type);
}

Result<std::vector<UserTrade>> HeartbeatTrading::user_trades(const TradeQuery& query) {
    link_.progress();
    return inner_.user_trades(query);
}

}  // namespace tradingd::worker
