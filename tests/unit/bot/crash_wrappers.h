// Wrappers that make a bot "die" at a chosen exchange or journal call, before or after the call took
// effect, for the chaos tests (tests/unit/bot/chaos_test.cpp on the sim, tests/exchange on fake-binance).
#pragma once

#include <cstdlib>
#include <functional>
#include <random>

#include "bot/journal.h"
#include "exchange/trading.h"

namespace tradingd::bot::test {

struct Crash {};  // deliberately not a std::exception: nothing in the engine may swallow it

// Counts calls down to a chosen one, which dies before or after doing its work.
struct CrashPlan {
    std::mt19937_64& rng;
    int countdown = 0;  // 0 = disarmed
    long crashes = 0;

    template <class F>
    auto call(F&& f) {
        bool fire = countdown > 0 && --countdown == 0;
        bool after = fire && rng() % 2 == 0;
        if (fire && !after) die();
        auto r = f();
        if (after) die();
        return r;
    }
    void call_void(const std::function<void()>& f) {
        call([&] {
            f();
            return 0;
        });
    }
    void die() {
        ++crashes;
        throw Crash{};
    }
};

class CrashingTrading final : public exchange::Trading {
  public:
    CrashingTrading(exchange::Trading& inner, CrashPlan& plan) : in_(inner), plan_(plan) {}
    exchange::Result<std::vector<exchange::Balance>> balances() override {
        return plan_.call([&] { return in_.balances(); });
    }
    exchange::Result<std::vector<exchange::PositionInfo>> positions() override {
        return plan_.call([&] { return in_.positions(); });
    }
    exchange::Result<std::vector<exchange::OrderInfo>> open_orders(
        const std::optional<std::string>& s) override {
        return plan_.call([&] { return in_.open_orders(s); });
    }
    exchange::Result<exchange::OrderInfo> place_order(const exchange::OrderRequest& r) override {
        return plan_.call([&] { return in_.place_order(r); });
    }
    exchange::Result<exchange::OrderInfo> query_order(const std::string& s, const std::string& id,
                                                      exchange::OrderKind k) override {
        return plan_.call([&] { return in_.query_order(s, id, k); });
    }
    exchange::Result<exchange::OrderInfo> cancel_order(const std::string& s, const std::string& id,
                                                       exchange::OrderKind k) override {
        return plan_.call([&] { return in_.cancel_order(s, id, k); });
    }
    exchange::Result<exchange::LeverageInfo> set_leverage(const std::string& s, int l) override {
        return plan_.call([&] { return in_.set_leverage(s, l); });
    }
    exchange::Result<void> set_margin_type(const std::string& s, exchange::MarginType t) override {
        return plan_.call([&] { return in_.set_margin_type(s, t); });
    }
    exchange::Result<std::vector<exchange::UserTrade>> user_trades(const exchange::TradeQuery& q) override {
        return plan_.call([&] { return in_.user_trades(q); });
    }

  private:
    exchange::Trading& in_;
    CrashPlan& plan_;
};

class CrashingJournal final : public Journal {
  public:
    CrashingJournal(Journal& inner, CrashPlan& plan) : in_(inner), plan_(plan) {}
    std::int64_t create_position(const PositionRecord& p) override {
        return plan_.call([&] { return in_.create_position(p); });
    }
    void update_position(const PositionRecord& p) override {
        plan_.call_void([&] { in_.update_position(p); });
    }
    void record_order(const OrderRecord& o) override {
        plan_.call_void([&] { in_.record_order(o); });
    }
    void event(const Event& e) override {
        plan_.call_void([&] { in_.event(e); });
    }

  private:
    Journal& in_;
    CrashPlan& plan_;
};

// TRADINGD_CHAOS_SEED reproduces a run; otherwise a fresh seed (printed by the tests).
inline std::uint64_t chaos_seed() {
    if (const char* s = std::getenv("TRADINGD_CHAOS_SEED")) return std::strtoull(s, nullptr, 10);
    return std::random_device{}();
}

}  // namespace tradingd::bot::test
