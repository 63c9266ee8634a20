// The daemon's scanner against the simulated market (wrapped to count and fail requests) and a real store on
// the backend under test: what one scan fetches, stores and broadcasts, what it costs, how it fails, and
// what `scan.latest` and GET /api/agent/signals return.
#include <catch2/catch.hpp>
#include <mutex>
#include <set>
#include <thread>

#include "commands/registry.h"
#include "daemon_context.h"
#include "exchange/simulated_market.h"
#include "http/handlers.h"
#include "scanner/scan_store.h"
#include "scanner/scanner.h"
#include "store/migrator.h"
#include "store_fixture.h"
#include "strategy/scan_json.h"

using namespace tradingd;
using namespace tradingd::daemon;

namespace {

constexpr exchange::TimeMs kDay = 86'400'000;
constexpr exchange::TimeMs kNow = 1'793'500'000'000 / 3'600'000 * 3'600'000 + 1'800'000;  // half past an hour

// The simulated market seen through a counter: calls per endpoint, the most klines requests in flight at
// once, and klines failures on demand.
class CountingMarket final : public exchange::MarketData {
  public:
    explicit CountingMarket(std::function<exchange::TimeMs()> clock) : inner_(7, clock) {}

    exchange::Result<std::vector<exchange::SymbolInfo>> exchange_info() override {
        ++exchange_info_calls;
        return inner_.exchange_info();
    }
    exchange::Result<std::vector<exchange::Kline>> klines(const exchange::KlineQuery& q) override {
        const int now = ++in_flight;
        for (int seen = max_in_flight.load();
             now > seen && !max_in_flight.compare_exchange_weak(seen, now);) {
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(2));  // long enough for requests to overlap
        --in_flight;
        ++klines_calls;
        {
            std::lock_guard lock(mutex_);
            limits.insert(q.limit);
            if (fail_all_klines || failing.count(q.symbol))
                return exchange::local_error(exchange::Outcome::unavailable, "injected outage");
        }
        return inner_.klines(q);
    }
    exchange::Result<std::vector<exchange::Ticker24h>> tickers_24h() override {
        ++ticker_calls;
        return inner_.tickers_24h();
    }
    exchange::Result<std::vector<exchange::MarkPrice>> mark_prices() override { return inner_.mark_prices(); }
    exchange::Result<exchange::MarkPrice> mark_price(const std::string& s) override {
        return inner_.mark_price(s);
    }
    exchange::Result<exchange::TimeMs> server_time() override { return inner_.server_time(); }

    void fail_klines_for(const std::string& symbol) {
        std::lock_guard lock(mutex_);
        failing.insert(symbol);
    }
    void fail_every_klines(bool on) {
        std::lock_guard lock(mutex_);
        fail_all_klines = on;
    }

    std::atomic<int> exchange_info_calls{0}, ticker_calls{0}, klines_calls{0}, in_flight{0}, max_in_flight{0};
    std::set<int> limits;

  private:
    exchange::SimulatedMarket inner_;
    std::mutex mutex_;
    std::set<std::string> failing;
    bool fail_all_klines = false;
};

struct Rig {
    Rig() {
        store::migrate(db.conn());
        config::Config cfg;
        cfg.settings.log_level = "warn";
        cfg.db = db.settings();
        cfg.db.sqlite.create_if_missing = false;
        ctx = std::make_unique<DaemonContext>(config::LoadOptions{}, cfg, db.open());
        market = std::make_shared<CountingMarket>([this] { return now.load(); });
        settings.fetch_concurrency = 4;
        settings.first_scan_delay = std::chrono::milliseconds(10);
        scanner = std::make_unique<Scanner>(
            *ctx, [this] { return market; },
            [this] {
                ScannerSettings s = settings;
                s.interval = std::chrono::milliseconds(interval_ms.load());
                return s;
            },
            [this] { return now.load(); });
        ctx->set_scanner(scanner.get());
    }

    std::int64_t count(const std::string& sql, std::int64_t arg) {
        auto st = db.conn().prepare(sql);
        st->bind_all(arg);
        REQUIRE(st->step());
        return st->get_int(0);
    }

    test::ScratchStore db;
    std::unique_ptr<DaemonContext> ctx;
    std::atomic<exchange::TimeMs> now{kNow};
    std::shared_ptr<CountingMarket> market;
    ScannerSettings settings;  // changed only while the scanner thread is not running
    std::atomic<std::int64_t> interval_ms{60'000};
    std::unique_ptr<Scanner> scanner;
};

}  // namespace

TEST_CASE("scanner: one scan stores every row under one scan id and broadcasts the same scan", "[scanner]") {
    Rig rig;
    std::vector<std::shared_ptr<const ScanBroadcast>> seen;
    std::int64_t rows_stored_when_called = -1;
    rig.scanner->subscribe([&](std::shared_ptr<const ScanBroadcast> b) {
        // Called after the commit: the rows are already there for anyone who reads the store.
        rows_stored_when_called =
            rig.count("SELECT COUNT(*) FROM scan_results WHERE scan_id = ?", b->scan_id);
        seen.push_back(std::move(b));
    });
    REQUIRE(rig.scanner->latest() == nullptr);

    const ScanStats stats = rig.scanner->scan_now();
    REQUIRE(seen.size() == 1);
    const auto& b = *seen.front();
    CHECK(b.scan_id == stats.scan_id);
    CHECK(b.result.scan_time_ms == kNow);
    // 150 universe members (the default universe_size) out of the simulated market's 160.
    CHECK(b.result.rows.size() == 150);
    CHECK(stats.symbols == 150);
    CHECK(rows_stored_when_called == 150);
    CHECK(rig.scanner->latest() == seen.front());
    // A market with trends: some coins pass, most do not, and each refusal has a reason.
    CHECK(stats.passed == std::count_if(b.result.rows.begin(), b.result.rows.end(),
                                        [](const strategy::ScanRow& r) { return r.passed(); }));
    CHECK(rig.count("SELECT COUNT(*) FROM scan_results WHERE scan_id = ? AND passed = 1", b.scan_id) ==
          stats.passed);
    CHECK(rig.count("SELECT COUNT(*) FROM scan_results WHERE scan_id = ? AND passed = 0 AND reason IS NULL",
                    b.scan_id) == 0);

    // The broadcast's JSON is the scan itself, losslessly.
    std::int64_t parsed_id = 0;
    CHECK(strategy::same_scan(strategy::scan_from_json(b.json, &parsed_id), b.result));
    CHECK(parsed_id == b.scan_id);

    // The stored row carries the detail text and the indicator values.
    auto st = rig.db.conn().prepare(
        "SELECT symbol, score, direction, passed, reason, details FROM scan_results WHERE scan_id = ? "
        "AND symbol = ?");
    const strategy::ScanRow& first = b.result.rows.front();
    st->bind_all(b.scan_id, first.symbol);
    REQUIRE(st->step());
    CHECK(st->get_int(1) == (first.signal ? first.signal->score : 0));
    const auto details = nlohmann::json::parse(st->get_text(5));
    CHECK(details["volume_rank"] == 1);
    if (first.signal)
        CHECK(details["signal"]["indicators"]["atr14"].get<double>() == first.signal->indicators.atr14);
    if (first.failure) CHECK(details["failure"]["detail"] == first.failure->detail);

    rig.now += 60'000;
    const ScanStats second = rig.scanner->scan_now();
    CHECK(second.scan_id == stats.scan_id + 1);
    CHECK(seen.size() == 2);
}

TEST_CASE("scanner: the market-data cost of a scan is one universe fetch, whatever the subscribers",
          "[scanner]") {
    Rig rig;
    int calls = 0;
    for (int i = 0; i < 200; ++i) rig.scanner->subscribe([&](auto) { ++calls; });  // 200 "bots"
    rig.scanner->scan_now();
    CHECK(calls == 200);
    CHECK(rig.market->exchange_info_calls == 1);
    CHECK(rig.market->ticker_calls == 1);
    CHECK(rig.market->klines_calls == 150);           // one per universe member
    CHECK(rig.market->limits == std::set<int>{201});  // lookback_candles + the still-open candle
    // Fetched concurrently, never more at once than the pool allows.
    CHECK(rig.market->max_in_flight > 1);
    CHECK(rig.market->max_in_flight <= rig.settings.fetch_concurrency);

    // The next scan reuses the cached exchange info (refreshed hourly) and costs the same otherwise.
    rig.now += 60'000;
    rig.scanner->scan_now();
    CHECK(rig.market->exchange_info_calls == 1);
    CHECK(rig.market->ticker_calls == 2);
    CHECK(rig.market->klines_calls == 300);
    rig.settings.exchange_info_ttl = std::chrono::milliseconds(0);
    rig.scanner->scan_now();
    CHECK(rig.market->exchange_info_calls == 2);
}

TEST_CASE("scanner: a symbol whose klines failed reads insufficient_data with the cause", "[scanner]") {
    Rig rig;
    rig.scanner->scan_now();
    const std::string victim = rig.scanner->latest()->result.rows.at(3).symbol;
    rig.market->fail_klines_for(victim);
    rig.now += 60'000;
    const ScanStats stats = rig.scanner->scan_now();
    CHECK(stats.fetch_failures == 1);
    const auto& rows = rig.scanner->latest()->result.rows;
    const auto it = std::find_if(rows.begin(), rows.end(), [&](const auto& r) { return r.symbol == victim; });
    REQUIRE(it != rows.end());
    REQUIRE(it->failure);
    CHECK(it->failure->reason == strategy::Reason::insufficient_data);
    CHECK_THAT(it->failure->detail, Catch::StartsWith("market data unavailable: unavailable"));
}

TEST_CASE("scanner: when no market data arrives nothing is stored or broadcast", "[scanner]") {
    Rig rig;
    int calls = 0;
    rig.scanner->subscribe([&](auto) { ++calls; });
    rig.market->fail_every_klines(true);
    CHECK_THROWS_WITH(rig.scanner->scan_now(), Catch::Contains("every klines request failed"));
    CHECK(calls == 0);
    CHECK(rig.scanner->latest() == nullptr);
    CHECK(rig.count("SELECT COUNT(*) FROM scan_results WHERE scan_id >= ?", 0) == 0);
}

TEST_CASE("scanner: scans older than the retention are pruned, newer ones kept", "[scanner]") {
    Rig rig;
    rig.settings.retention_days = 7;
    rig.now = kNow - 9 * kDay;
    const auto oldest = rig.scanner->scan_now().scan_id;
    rig.now = kNow - 6 * kDay;
    const auto recent = rig.scanner->scan_now().scan_id;
    CHECK(rig.count("SELECT COUNT(*) FROM scan_results WHERE scan_id = ?", oldest) == 150);  // not yet 7 days
    rig.now = kNow;
    const ScanStats stats = rig.scanner->scan_now();
    CHECK(stats.pruned_rows == 150);
    CHECK(rig.count("SELECT COUNT(*) FROM scan_results WHERE scan_id = ?", oldest) == 0);
    CHECK(rig.count("SELECT COUNT(*) FROM scan_results WHERE scan_id = ?", recent) == 150);
    CHECK(rig.count("SELECT COUNT(*) FROM scan_results WHERE scan_id = ?", stats.scan_id) == 150);
}

TEST_CASE("scanner: the thread scans soon after start, then every interval, and stops promptly",
          "[scanner]") {
    Rig rig;
    rig.interval_ms = 100;
    std::atomic<int> scans{0};
    rig.scanner->subscribe([&](auto) { ++scans; });
    rig.scanner->start();
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (scans < 2 && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    CHECK(scans >= 2);
    rig.interval_ms = 3'600'000;  // the next wait is long: stop must cut it short
    const auto t0 = std::chrono::steady_clock::now();
    rig.scanner->stop();
    CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::seconds(10));
}

TEST_CASE("scanner: scan.latest and GET /api/agent/signals serve the latest scan", "[scanner]") {
    Rig rig;
    auto reply = nlohmann::json::parse(dispatch(R"({"id":1,"command":"scan.latest"})", *rig.ctx));
    CHECK(reply["ok"] == false);
    CHECK(reply["error"]["code"] == "not_found");

    http::ApiRequest req;
    req.method = "GET";
    req.path = "/api/agent/signals";
    req.principal = http::Principal{1, "a@example.com", "agent", 1};
    const auto routes = http::signal_routes();
    REQUIRE(routes.size() == 1);
    CHECK(routes[0].access == http::Access::agent);
    auto empty = routes[0].handler(req, *rig.ctx);
    CHECK(empty.status == 200);
    CHECK(empty.body["signals"].empty());

    const ScanStats stats = rig.scanner->scan_now();
    reply = nlohmann::json::parse(dispatch(R"({"id":2,"command":"scan.latest"})", *rig.ctx));
    REQUIRE(reply["ok"] == true);
    const auto& r = reply["result"];
    CHECK(r["scan_id"] == stats.scan_id);
    CHECK(r["rows"].size() == 150);
    CHECK(r["stats"]["requests"] == stats.requests);
    CHECK(strategy::same_scan(strategy::scan_from_json(r.dump(), nullptr), rig.scanner->latest()->result));

    const auto panel = routes[0].handler(req, *rig.ctx);
    REQUIRE(panel.status == 200);
    CHECK(panel.body["scan_id"] == stats.scan_id);
    REQUIRE(panel.body["signals"].size() == 150);
    for (const auto& row : panel.body["signals"]) {
        if (row["passed"] == true) {
            CHECK(row["reason"].is_null());
        } else {
            // Every refusal has its stable code, a human label and the numbers behind it.
            CHECK(strategy::parse_reason_code(row["reason"].get<std::string>()).has_value());
            CHECK_FALSE(row["label"].get<std::string>().empty());
            CHECK_FALSE(row["detail"].get<std::string>().empty());
        }
    }
    req.query["passed"] = "1";
    const auto passed = routes[0].handler(req, *rig.ctx);
    CHECK(passed.body["signals"].size() == static_cast<std::size_t>(stats.passed));
    req.query["passed"] = "yes";
    CHECK(routes[0].handler(req, *rig.ctx).status == 400);
}
