// The shared weight budget under a manual clock: minute windows, the essential reserve, header correction,
// 429 backoff, 418 full stop, per-account order limits, and many threads sharing one budget.
#include <catch2/catch.hpp>

#include <atomic>
#include <thread>
#include <vector>

#include "exchange/weight_budget.h"

using namespace tradingd::exchange;
using namespace std::chrono_literals;

namespace {

// 1 s into a minute; our windows start 0.5 s into each minute, so the next one opens 59.5 s from here.
constexpr TimeMs kStart = 1'800'000'000'000 + 1'000;
constexpr TimeMs kNextWindow = 1'800'000'060'500;

class ManualClock final : public BudgetClock {
  public:
    TimeMs now_ms() const override { return now.load(); }
    void sleep_for(std::chrono::milliseconds d) override {
        now += d.count();
        ++sleeps;
    }
    std::atomic<TimeMs> now{kStart};
    std::atomic<int> sleeps{0};
};

struct Fixture {
    std::shared_ptr<ManualClock> clock = std::make_shared<ManualClock>();
    WeightLimits limits = [] {
        WeightLimits l;
        l.ip_weight_per_minute = 100;
        l.normal_share_percent = 90;
        l.orders_per_10s = 3;
        l.orders_per_minute = 5;
        return l;
    }();
    WeightBudget budget{limits, clock};
};

RateObservation reply(int status, TimeMs sent_at) {
    RateObservation o;
    o.http_status = status;
    o.sent_at = sent_at;
    return o;
}

}  // namespace

TEST_CASE("normal calls stop at their share of the minute and essential calls may use the rest", "[budget]") {
    Fixture f;
    REQUIRE(f.budget.reserve(90, Priority::normal, 0ms).ok());
    auto refused = f.budget.reserve(1, Priority::normal, 0ms);
    REQUIRE(refused.outcome() == Outcome::rate_limited);
    CHECK(refused.error().transport == Transport::not_sent);
    CHECK(refused.error().retry_after == std::chrono::milliseconds(kNextWindow - kStart));
    CHECK(refused.error().message.find("90 of 90") != std::string::npos);

    REQUIRE(f.budget.reserve(10, Priority::essential, 0ms).ok());
    CHECK(f.budget.reserve(1, Priority::essential, 0ms).outcome() == Outcome::rate_limited);
    CHECK(f.budget.snapshot().used_this_minute == 100);
    CHECK(f.budget.snapshot().refused == 2);
}

TEST_CASE("a full budget waits for the next minute when the caller allows that long", "[budget]") {
    Fixture f;
    REQUIRE(f.budget.reserve(90, Priority::normal, 0ms).ok());
    CHECK(f.budget.reserve(40, Priority::normal, 30s).outcome() == Outcome::rate_limited);  // 59.5 s away
    CHECK(f.clock->sleeps == 0);
    REQUIRE(f.budget.reserve(40, Priority::normal, 60s).ok());
    CHECK(f.clock->now_ms() == kNextWindow);
    CHECK(f.budget.snapshot().used_this_minute == 40);
    CHECK(f.budget.snapshot().waits == 1);
}

TEST_CASE("a request heavier than the whole budget is refused at once, not waited for", "[budget]") {
    Fixture f;
    auto r = f.budget.reserve(95, Priority::normal, 120s);
    CHECK(r.outcome() == Outcome::rejected);
    CHECK(f.clock->sleeps == 0);
}

TEST_CASE("the used-weight header raises the estimate, and a stale one from last minute does not",
          "[budget]") {
    Fixture f;
    REQUIRE(f.budget.reserve(5, Priority::normal, 0ms).ok());
    RateObservation o = reply(200, kStart);
    o.used_weight_1m = 80;  // another process on this IP used weight too
    f.budget.observe(o);
    CHECK(f.budget.snapshot().used_this_minute == 80);
    CHECK(f.budget.reserve(11, Priority::normal, 0ms).outcome() == Outcome::rate_limited);
    REQUIRE(f.budget.reserve(10, Priority::normal, 0ms).ok());

    // A lower header never lowers the estimate: our own reservations may not have reached the server yet.
    o.used_weight_1m = 3;
    f.budget.observe(o);
    CHECK(f.budget.snapshot().used_this_minute == 90);

    f.clock->now = kNextWindow + 10;
    RateObservation late = reply(200, kNextWindow - 100);  // sent last minute, answered in this one
    late.used_weight_1m = 85;
    f.budget.observe(late);
    CHECK(f.budget.snapshot().used_this_minute == 0);
    CHECK(f.budget.snapshot().last_used_weight_header == 85);
}

TEST_CASE("429 pauses normal calls for at least Retry-After, with exponential backoff", "[budget]") {
    Fixture f;
    RateObservation o = reply(429, kStart);
    o.code = -1003;
    o.retry_after = 3s;
    f.budget.observe(o);
    auto paused = f.budget.reserve(1, Priority::normal, 0ms);
    REQUIRE(paused.outcome() == Outcome::rate_limited);
    CHECK(paused.error().retry_after == 3000ms);
    CHECK(f.budget.reserve(1, Priority::essential, 0ms).ok());  // stops and cancels still go out

    // Without Retry-After the pause doubles with each 429 in a row: 1 s, 2 s, 4 s (the first was 3 s).
    o.retry_after.reset();
    f.clock->now = kStart + 3000;
    f.budget.observe(o);  // second in a row: 2 s
    CHECK(f.budget.reserve(1, Priority::normal, 0ms).error().retry_after == 2000ms);
    f.clock->now = kStart + 5000;
    f.budget.observe(o);  // third: 4 s
    CHECK(f.budget.reserve(1, Priority::normal, 0ms).error().retry_after == 4000ms);
    CHECK(f.budget.snapshot().consecutive_429 == 3);

    // Waiting is allowed when the caller gives it time.
    REQUIRE(f.budget.reserve(1, Priority::normal, 5s).ok());
    CHECK(f.clock->now_ms() == kStart + 9000);

    // A normal reply ends the streak: the next 429 starts again from the first backoff.
    f.budget.observe(reply(200, f.clock->now_ms()));
    CHECK(f.budget.snapshot().consecutive_429 == 0);
    f.budget.observe(o);
    CHECK(f.budget.reserve(1, Priority::normal, 0ms).error().retry_after == 1000ms);
}

TEST_CASE("backoff never exceeds the configured maximum", "[budget]") {
    Fixture f;
    RateObservation o = reply(429, kStart);
    for (int i = 0; i < 20; ++i) f.budget.observe(o);
    CHECK(f.budget.reserve(1, Priority::normal, 0ms).error().retry_after == f.limits.max_backoff);
}

TEST_CASE("418 stops every caller, essential and orders included, until the ban ends", "[budget]") {
    Fixture f;
    RateObservation o = reply(418, kStart);
    o.code = -1003;
    o.retry_after = 120s;
    f.budget.observe(o);
    for (Priority p : {Priority::normal, Priority::essential}) {
        auto r = f.budget.reserve(1, p, 0ms);
        REQUIRE(r.outcome() == Outcome::ip_banned);
        CHECK(r.error().retry_after == 120000ms);
    }
    CHECK(f.budget.reserve_order("acct", 0ms).outcome() == Outcome::ip_banned);
    CHECK(f.budget.reserve(1, Priority::essential, 60s).outcome() == Outcome::ip_banned);
    CHECK(f.clock->sleeps == 0);

    f.clock->now = kStart + 119'999;
    CHECK(f.budget.reserve(1, Priority::essential, 0ms).outcome() == Outcome::ip_banned);
    f.clock->now = kStart + 120'000;
    CHECK(f.budget.reserve(1, Priority::essential, 0ms).ok());
}

TEST_CASE("418 without Retry-After bans for the default, Binance's shortest ban", "[budget]") {
    Fixture f;
    f.budget.observe(reply(418, kStart));
    CHECK(f.budget.reserve(1, Priority::normal, 0ms).error().retry_after == f.limits.default_ban);
}

TEST_CASE("order counts are kept per account, from our sends and the exchange's headers", "[budget]") {
    Fixture f;
    for (int i = 0; i < 3; ++i) REQUIRE(f.budget.reserve_order("a", 0ms).ok());
    auto full = f.budget.reserve_order("a", 0ms);
    REQUIRE(full.outcome() == Outcome::rate_limited);
    CHECK(full.error().retry_after == 10000ms);
    CHECK(f.budget.reserve_order("b", 0ms).ok());  // another account has its own limits

    f.clock->now = kStart + 10'000;
    REQUIRE(f.budget.reserve_order("a", 0ms).ok());
    REQUIRE(f.budget.reserve_order("a", 0ms).ok());
    // Five in the minute: the 1-minute limit now binds even though the 10-second one has room.
    auto minute = f.budget.reserve_order("a", 0ms);
    REQUIRE(minute.outcome() == Outcome::rate_limited);
    CHECK(minute.error().message.find("1-minute") != std::string::npos);

    // The header counts orders this process did not send (the same key used elsewhere).
    RateObservation o = reply(200, kStart);
    o.account = "c";
    o.order_count_10s = 3;
    o.order_count_1m = 3;
    f.budget.observe(o);
    CHECK(f.budget.reserve_order("c", 0ms).outcome() == Outcome::rate_limited);
    CHECK(f.budget.reserve_order("c", 11s).ok());  // waits until the header's 10 s have passed
}

TEST_CASE("-1015 pauses that account's orders only, and leaves the IP weight alone", "[budget]") {
    Fixture f;
    RateObservation o = reply(429, kStart);
    o.code = -1015;
    o.account = "a";
    f.budget.observe(o);
    CHECK(f.budget.reserve_order("a", 0ms).outcome() == Outcome::rate_limited);
    CHECK(f.budget.reserve_order("b", 0ms).ok());
    CHECK(f.budget.reserve(1, Priority::normal, 0ms).ok());
    CHECK(f.budget.snapshot().consecutive_429 == 0);
}

TEST_CASE("threads sharing one budget never reserve more than the minute allows", "[budget]") {
    auto clock = std::make_shared<ManualClock>();
    WeightLimits limits;
    limits.ip_weight_per_minute = 1000;
    limits.normal_share_percent = 100;
    WeightBudget budget(limits, clock);
    std::atomic<int> granted{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 8; ++t) {
        threads.emplace_back([&] {
            while (budget.reserve(3, Priority::normal, 0ms).ok()) granted += 3;
        });
    }
    for (auto& t : threads) t.join();
    CHECK(granted == 999);
    CHECK(budget.snapshot().used_this_minute == 999);
    CHECK(budget.snapshot().requests_reserved == 333);
}

TEST_CASE("new limits from exchangeInfo apply to the next reservation", "[budget]") {
    Fixture f;
    WeightLimits l = f.budget.limits();
    l.ip_weight_per_minute = 10;
    f.budget.set_limits(l);
    CHECK(f.budget.reserve(10, Priority::normal, 0ms).outcome() == Outcome::rejected);  // 90 % of 10 is 9
    CHECK(f.budget.reserve(9, Priority::normal, 0ms).ok());
}

TEST_CASE("a long wait for weight shows progress at least once a second, on the hook's own thread only",
          "[budget]") {
    Fixture f;
    REQUIRE(f.budget.reserve(90, Priority::normal, 0ms).ok());  // the normal share is used up
    int calls = 0;
    set_progress_hook([&calls] { ++calls; });
    REQUIRE(f.budget.reserve(10, Priority::normal, 70s).ok());  // room again in the next window
    CHECK(f.clock->now_ms() >= kNextWindow);
    CHECK(calls >= (kNextWindow - kStart) / 1000);  // ~59 slices of at most 1 s, each after progress
    const int before = calls;
    std::thread([&] { note_progress(); }).join();  // another thread: the hook is not its to call
    CHECK(calls == before);
    note_progress();
    CHECK(calls == before + 1);
    set_progress_hook(nullptr);
    note_progress();
    CHECK(calls == before + 1);
}
