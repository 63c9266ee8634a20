// Saves the paper account after each state change; see paper_trading.h.
#include "worker/paper_trading.h"

#include <stdexcept>

#include "exchange/paper_broker.h"
#include "exchange/simulated_market.h"

namespace tradingd::worker {
namespace {

using nlohmann::json;
using namespace exchange;

class SavingPaperBroker final : public Trading {
  public:
    SavingPaperBroker(PaperBroker broker, WorkerLink& link) : broker_(std::move(broker)), link_(link) {
        saved_ = broker_.version();
    }

    Result<std::vector<Balance>> balances() override { return saved(broker_.balances()); }
    Result<std::vector<PositionInfo>> positions() override { return saved(broker_.positions()); }
    Result<std::vector<OrderInfo>> open_orders(const std::optional<std::string>& symbol) override {
        return saved(broker_.open_orders(symbol));
    }
    Result<OrderInfo> place_order(const OrderRequest& request) override {
        return saved(broker_.place_order(request));
    }
    Result<OrderInfo> query_order(const std::string& symbol, const std::string& id, OrderKind kind) override {
        return saved(broker_.query_order(symbol, id, kind));
    }
    Result<OrderInfo> cancel_order(const std::string& symbol, const std::string& id,
                                   OrderKind kind) override {
        return saved(broker_.cancel_order(symbol, id, kind));
    }
    Result<LeverageInfo> set_leverage(const std::string& symbol, int leverage) override {
        return saved(broker_.set_leverage(symbol, leverage));
    }
    Result<void> set_margin_type(const std::string& symbol, MarginType type) override {
        return saved(broker_.set_margin_type(symbol, type));
    }
    Result<std::vector<UserTrade>> user_trades(const TradeQuery& query) override {
        return saved(broker_.user_trades(query));
    }

  private:
    // Reads also fill resting orders (the broker catches up first), so every call may have changed state.
    template <class R>
    R saved(R result) {
        if (broker_.version() != saved_) {
            link_.request("save_paper_state", {{"state", json::parse(broker_.snapshot())}});
            saved_ = broker_.version();
        }
        return result;
    }

    PaperBroker broker_;
    WorkerLink& link_;
    std::uint64_t saved_ = 0;
};

Decimal decimal_setting(const json& paper, const char* name, Decimal fallback) {
    if (!paper.contains(name) || !paper[name].is_string()) return fallback;
    auto d = Decimal::try_parse(paper[name].get<std::string>());
    if (!d) throw std::runtime_error(std::string("init: paper.") + name + " is not a decimal");
    return *d;
}

}  // namespace

std::unique_ptr<Trading> make_paper_trading(const json& init, MarketData& market, WorkerLink& link) {
    const json& state = init.contains("paper_state") ? init["paper_state"] : json(nullptr);
    if (state.is_object())
        return std::make_unique<SavingPaperBroker>(PaperBroker::restore(state.dump(), market, system_time_ms),
                                                   link);
    PaperSettings s;
    const json paper = init.value("paper", json::object());
    s.starting_balance = decimal_setting(paper, "starting_balance", s.starting_balance);
    s.taker_fee_rate = decimal_setting(paper, "taker_fee_rate", s.taker_fee_rate);
    s.maker_fee_rate = decimal_setting(paper, "maker_fee_rate", s.maker_fee_rate);
    s.slippage_rate = decimal_setting(paper, "slippage_rate", s.slippage_rate);
    return std::make_unique<SavingPaperBroker>(PaperBroker(s, market, system_time_ms), link);
}

}  // namespace tradingd::worker
