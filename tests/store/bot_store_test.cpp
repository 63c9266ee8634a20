// BotStore's queries for a starting worker on the backend under test: the recent activity per symbol that
// keeps a bot's cooldowns across a restart (the `init` field recent_activity).
#include <catch2/catch.hpp>

#include "bots/bot_store.h"
#include "bots/record_json.h"
#include "store/migrator.h"
#include "store_fixture.h"

using namespace tradingd;

namespace {

constexpr std::int64_t kNow = 1'790'000'000'000;
constexpr std::int64_t kMinute = 60'000;

// A position as the worker's journal writes it: created pending, then updated to its final state.
void position(bots::BotStore& bs, std::int64_t agent, const std::string& symbol, bot::PositionStatus status,
              std::int64_t opened_ago_min, std::optional<std::int64_t> closed_ago_min) {
    bot::PositionRecord p;
    p.agent_id = agent;
    p.symbol = symbol;
    p.quantity = money::Decimal::parse("1");
    p.entry_price = money::Decimal::parse("100");
    p.opened_at_ms = kNow - opened_ago_min * kMinute;
    p.id = bs.create_position(agent, bots::position_to_json(p));
    p.status = status;
    if (closed_ago_min) {
        p.closed_at_ms = kNow - *closed_ago_min * kMinute;
        p.close_reason = status == bot::PositionStatus::closed ? "stop_loss" : "entry_not_filled";
    }
    bs.update_position(agent, bots::position_to_json(p));
}

}  // namespace

TEST_CASE("recent activity: the latest entry or close per symbol inside the cooldown window", "[bots]") {
    test::ScratchStore db;
    store::migrate(db.conn());
    store::Repository repo(db.conn());
    const auto agent = repo.create_agent(repo.create_user("a@example.com", "hash", "agent"), "a");
    const auto other = repo.create_agent(repo.create_user("b@example.com", "hash", "agent"), "b");
    bots::BotStore bs(repo);
    using S = bot::PositionStatus;
    position(bs, agent, "BTCUSDT", S::closed, 180, 150);  // an older trade on the same coin
    position(bs, agent, "BTCUSDT", S::closed, 10, 2);     // closed two minutes ago: the one that counts
    position(bs, agent, "ETHUSDT", S::closed, 300, 180);  // closed before the window
    position(bs, agent, "SOLUSDT", S::open, 30, std::nullopt);
    position(bs, agent, "XRPUSDT", S::cancelled, 20, 19);  // an entry that never filled
    position(bs, agent, "ADAUSDT", S::closed, 90, 45);     // opened before the window, closed inside it
    position(bs, other, "DOGEUSDT", S::closed, 5, 1);      // another agent's

    const auto activity = bs.recent_activity(agent, kNow - 60 * kMinute);
    CHECK(activity == nlohmann::json{{"ADAUSDT", kNow - 45 * kMinute},
                                     {"BTCUSDT", kNow - 2 * kMinute},
                                     {"SOLUSDT", kNow - 30 * kMinute},
                                     {"XRPUSDT", kNow - 19 * kMinute}});
    CHECK(bs.recent_activity(agent, kNow).empty());  // nothing at or after now
    CHECK(bs.recent_activity(other, kNow - 60 * kMinute) == nlohmann::json{{"DOGEUSDT", kNow - kMinute}});
}
