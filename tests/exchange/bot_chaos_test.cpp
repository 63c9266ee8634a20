// The chaos test again, through the real Binance client against a real fake-binance process: the bot dies
// at random calls (tests/unit/bot/crash_wrappers.h) while the fake answers 503 before or after it acted on
// orders, algo orders, cancels and lookups. The same number of flows as the in-memory run, and
// wire formats, the algo endpoints and the fake's matching engine are the real ones.
#include <catch2/catch.hpp>

#include <iostream>
#include <map>
#include <set>

#include "bot_fixture.h"
#include "client_fixture.h"
#include "crash_wrappers.h"

using namespace tradingd;
using namespace tradingd::test;
using namespace tradingd::bot::test;
using bot::Bot;
using bot::PositionStatus;
using exchange::Leg;
using strategy::Direction;

TEST_CASE("chaos on fake-binance: crashes and 5xx around every order never duplicate, lose or orphan",
          "[bot][engine][chaos]") {
    const std::uint64_t seed = chaos_seed();
    INFO("chaos seed " << seed << " (rerun with TRADINGD_CHAOS_SEED=" << seed << ")");
    std::mt19937_64 rng(seed);
    auto chance = [&](double p) { return std::uniform_real_distribution<double>(0, 1)(rng) < p; };

    Clients c("100000");
    // Hundreds of restarts each read every open order (weight 40 per kind) in well under a minute: lift the
    // fake's limits, and the client's budget with them (it follows exchangeInfo's rateLimits).
    c.fake.admin("POST", "/_fake/weight",
                 {{"budget", 1'000'000}, {"orders_10s", 100'000}, {"orders_1m", 100'000}});
    REQUIRE(c.market.exchange_info().ok());
    MemoryJournal memory;
    exchange::TimeMs offset = 0;  // the bot's clock runs ahead of the wall clock
    bot::BotSettings settings;
    settings.agent_id = 1;
    settings.exchange_info = [&] { return c.market.exchange_info(); };
    settings.risk.equity_fraction = D("0.02");
    settings.risk.max_open_positions = 3;
    settings.params.cooldown_minutes = 0;
    // The bot's clock runs ahead of the fake's (to pass grace periods without waiting), so a time stop
    // would fire at once; time stops are covered by the in-memory chaos test.
    settings.params.max_holding_hours = 0;
    const std::vector<std::string> symbols = {"ETHUSDT", "BTCUSDT", "SOLUSDT", "BNBUSDT", "XRPUSDT"};

    CrashPlan plan{rng};
    CrashingTrading trading(c.trading, plan);
    CrashingJournal journal(memory, plan);
    std::unique_ptr<Bot> bot;
    auto clock = [&] { return wall_ms() + offset; };
    const char* fault_paths[][2] = {{"POST", "/fapi/v1/order"},
                                    {"POST", "/fapi/v1/algoOrder"},
                                    {"DELETE", "/fapi/v1/algoOrder"},
                                    {"GET", "/fapi/v1/order"},
                                    {"GET", "/fapi/v1/algoOrder"}};
    long steps = 0, faults = 0;
    while (memory.positions.size() < 200 && steps < 4000) {
        ++steps;
        if (chance(0.25)) plan.countdown = 1 + static_cast<int>(rng() % 12);
        if (chance(0.2) && c.fake.state()["faults"].empty()) {
            const auto* f = fault_paths[rng() % 5];
            c.fake.admin("POST", "/_fake/fault", {{"method", f[0]}, {"path", f[1]}, {"after", chance(0.7)}});
            ++faults;
        }
        try {
            if (!bot) {
                bot = std::make_unique<Bot>(settings, trading, journal, clock);
                bot->start(memory.live_positions());
            }
            switch (rng() % 3) {
                case 0: {
                    std::set<std::string> picked;
                    std::vector<strategy::ScanRow> rows;
                    for (int i = 0; i < 2; ++i) {
                        const auto& s = symbols[rng() % symbols.size()];
                        if (!picked.insert(s).second) continue;
                        auto dir = rng() % 2 ? Direction::long_side : Direction::short_side;
                        rows.push_back(passing_row(s, dir, 75, c.mark(s).to_double(), 1.0, i + 1));
                    }
                    bot->on_scan(scan_of(rows, clock()), steps);
                    break;
                }
                case 1: {
                    const auto& s = symbols[rng() % symbols.size()];
                    double f = 1 + std::uniform_real_distribution<double>(-0.04, 0.04)(rng);
                    c.fake.admin("POST", "/_fake/price",
                                 {{"symbol", s}, {"price", c.mark(s).to_double() * f}});
                    c.fake.admin("POST", "/_fake/tick");
                    bot->poll();
                    break;
                }
                default:
                    offset += 1'000 + static_cast<exchange::TimeMs>(rng() % 60'000);
                    bot->poll();
            }
        } catch (const Crash&) {
            bot.reset();
        } catch (const bot::BotError&) {
            bot.reset();
        }
        plan.countdown = 0;
    }

    // Calm: no crashes; at most one armed fault is left, which the restarted bot must also survive.
    bot = std::make_unique<Bot>(settings, trading, journal, clock);
    bot->start(memory.live_positions());
    for (int i = 0; i < 3; ++i) {
        offset += settings.unknown_grace_ms + 1;
        bot->poll();
    }

    const auto orders = c.fake.orders();
    const auto algos = c.fake.algo_orders();
    std::map<std::string, int> plain_ids, algo_ids;
    std::map<std::uint64_t, int> entries;
    for (const auto& o : orders) {
        auto id = o["clientOrderId"].get<std::string>();
        plain_ids[id]++;
        auto parts = exchange::parse_client_order_id(id);
        REQUIRE(parts);
        if (parts->leg == Leg::entry) entries[parts->position_id]++;
    }
    for (const auto& a : algos) algo_ids[a["clientAlgoId"].get<std::string>()]++;
    for (const auto& [id, n] : plain_ids) {
        INFO("order " << id);
        CHECK(n == 1);
    }
    for (const auto& [id, n] : algo_ids) {
        INFO("algo order " << id);
        CHECK(n == 1);
    }
    for (const auto& [pos, n] : entries) CHECK(n == 1);

    std::set<std::string> live;
    for (const auto& a : algos)
        if (a["algoStatus"] == "NEW") live.insert(a["clientAlgoId"].get<std::string>());
    std::map<std::string, money::Decimal> tracked, held;
    for (const auto& p : memory.with_status(PositionStatus::open)) {
        INFO("open position " << p.id << " " << p.symbol);
        tracked[p.symbol] = p.direction == Direction::long_side ? p.quantity : -p.quantity;
        CHECK(live.count(id_of(p.id, Leg::stop_loss, p.attempts.stop_loss, 1)) == 1);
        CHECK(live.count(id_of(p.id, Leg::take_profit, p.attempts.take_profit, 1)) == 1);
    }
    const auto positions = c.trading.positions();
    REQUIRE(positions.ok());
    for (const auto& x : *positions) held[x.symbol] = x.amount;
    CHECK(held == tracked);
    CHECK(memory.with_status(PositionStatus::pending).empty());
    for (const auto& [id, p] : memory.positions) CHECK_FALSE(p.adopted);
    for (const auto& p : memory.with_status(PositionStatus::closed)) {
        INFO("closed position " << p.id);
        CHECK(p.exit_price.has_value());
    }
    // Money: each closed position's PnL less fees is what the fake's trades of its own orders made.
    std::map<std::int64_t, std::int64_t> position_of_order;
    for (const auto& o : orders)
        position_of_order[o["orderId"].get<std::int64_t>()] = static_cast<std::int64_t>(
            exchange::parse_client_order_id(o["clientOrderId"].get<std::string>())->position_id);
    std::map<std::int64_t, money::Decimal> net;
    for (const auto& s : symbols) {
        exchange::TradeQuery q;
        q.symbol = s;
        q.limit = 1000;
        const auto trades = c.trading.user_trades(q);
        REQUIRE(trades.ok());
        for (const auto& t : *trades) net[position_of_order.at(t.order_id)] += t.realized_pnl - t.commission;
    }
    for (const auto& p : memory.with_status(PositionStatus::closed)) {
        INFO("closed position " << p.id << " " << p.symbol << " " << p.close_reason);
        CHECK(p.realized_pnl.value_or(money::Decimal{}) - p.fees == net[p.id]);
    }

    std::map<std::string, int> reasons;
    for (const auto& [id, p] : memory.positions) reasons[p.close_reason]++;
    for (const auto& [r, n] : reasons) std::cout << "  " << (r.empty() ? "(open)" : r) << ": " << n << "\n";
    std::cout << "chaos on fake-binance: seed " << seed << ", " << memory.positions.size() << " order flows, "
              << steps << " steps, " << plan.crashes << " crashes, " << faults << " injected 5xx, "
              << orders.size() << " orders + " << algos.size() << " algo orders, "
              << memory.with_status(PositionStatus::closed).size() << " closed, " << tracked.size()
              << " open\n";
    CHECK(memory.positions.size() >= 200);
}
