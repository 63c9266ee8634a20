// Fees are recorded in the quote asset (USDT). An account that pays commissions in another asset (BNB)
// must not have those amounts added to its USDT fees as if they were dollars: they are reported instead.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "bot_fixture.h"

using namespace tradingd;
using namespace tradingd::bot;
using namespace tradingd::bot::test;
using strategy::Direction;

TEST_CASE("commissions paid in BNB are reported, not added to the USDT fees", "[bot]") {
    Harness h;
    h.sim.commission_asset = "BNB";
    h.started().on_scan(h.scan({passing_row("BTCUSDT", Direction::long_side, 80, 50000)}), 1);
    h.advance(60'000);
    h.sim.set_price("BTCUSDT", D("49000"));  // through the stop-loss
    h.bot->poll();
    auto closed = h.journal.with_status(PositionStatus::closed);
    REQUIRE(closed.size() == 1);
    CHECK(closed[0].fees == D("0"));
    CHECK(closed[0].realized_pnl == D("-60"));  // the exchange's PnL is untouched
    auto errors = h.journal.events_of("error");
    REQUIRE(errors.size() == 1);
    auto payload = nlohmann::json::parse(errors[0].payload_json);
    CHECK(payload["where"] == "fees");
    // The same two commissions a USDT account pays (engine_test: 2.376), named with their asset.
    CHECK(payload["message"].get<std::string>().find("paid 2.376 BNB") != std::string::npos);
}
