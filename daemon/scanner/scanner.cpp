// The scan loop and one scan's steps: universe (exchange info, cached for an hour, and one 24h-ticker call),
// klines for every member through the fetch pool, scoring, one transaction in the store, then subscribers.
#include "scanner/scanner.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "daemon_context.h"
#include "exchange/weight_budget.h"
#include "scanner/kline_fetch.h"
#include "scanner/scan_store.h"
#include "strategy/scan_json.h"
#include "util/log.h"

namespace tradingd::daemon {
namespace {

using SteadyClock = std::chrono::steady_clock;

// A scan that could not be stored: the reason goes to the log and the loop tries again later.
class ScanFailed : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

// Marks a scan in progress for busy(); set before the pause check so that pause() and a starting scan
// cannot miss each other (both sides use sequentially consistent atomics).
class ScanInProgress {
  public:
    explicit ScanInProgress(std::atomic<bool>& flag) : flag_(flag) { flag_ = true; }
    ~ScanInProgress() { flag_ = false; }
    ScanInProgress(const ScanInProgress&) = delete;
    ScanInProgress& operator=(const ScanInProgress&) = delete;

  private:
    std::atomic<bool>& flag_;
};

}  // namespace

struct Scanner::Impl {
    DaemonContext& ctx;
    SourceFactory factory;
    SettingsSource settings;
    Clock clock;
    std::shared_ptr<spdlog::logger> logger = log::get("scanner");

    // Touched only by the thread running a scan (scan_mutex held).
    std::mutex scan_mutex;
    std::vector<std::shared_ptr<exchange::MarketData>> sources;
    std::vector<exchange::SymbolInfo> exchange_info;
    std::optional<SteadyClock::time_point> exchange_info_at;
    bool exchange_info_fetched = false;  // by the scan in progress, for its request count

    struct Shared {
        std::vector<Subscriber> subscribers;
        std::shared_ptr<const ScanBroadcast> latest;
        std::optional<ScanStats> stats;
    };
    Guarded<Shared> shared;

    std::mutex wake_mutex;
    std::condition_variable wake;
    std::atomic<bool> stopping{false};
    std::atomic<bool> paused{false};    // maintenance mode
    std::atomic<bool> scanning{false};  // a scan is between its pause check and its last write
    std::thread thread;

    Impl(DaemonContext& c, SourceFactory f, SettingsSource s, Clock k)
        : ctx(c), factory(std::move(f)), settings(std::move(s)), clock(std::move(k)) {}

    // Sleeps for `d` unless stop() comes first; true when it is time to stop.
    bool wait(std::chrono::milliseconds d) {
        std::unique_lock lock(wake_mutex);
        return wake.wait_for(lock, d, [&] { return stopping.load(); });
    }

    void ensure_sources(int wanted) {
        while (static_cast<int>(sources.size()) < std::max(1, wanted)) {
            auto source = factory();
            if (!source) throw ScanFailed("the market data source could not be opened");
            sources.push_back(std::move(source));
        }
    }

    const std::vector<exchange::SymbolInfo>& symbols(const ScannerSettings& s) {
        const auto now = SteadyClock::now();
        exchange_info_fetched = false;
        if (exchange_info_at && now - *exchange_info_at < s.exchange_info_ttl) return exchange_info;
        exchange_info_fetched = true;
        auto r = sources.front()->exchange_info();
        if (r) {
            exchange_info = std::move(*r);
            exchange_info_at = now;
        } else if (exchange_info_at) {
            // A stale symbol list is better than no scan: listings change rarely, prices every minute.
            logger->warn("exchange_info refresh failed, keeping the list from earlier: {}",
                         r.error().describe());
        } else {
            throw ScanFailed("exchange_info failed: " + r.error().describe());
        }
        return exchange_info;
    }

    ScanStats run_scan();
    void publish(std::shared_ptr<const ScanBroadcast> broadcast, const ScanStats& stats);
    void loop();
};

ScanStats Scanner::Impl::run_scan() {
    std::lock_guard scan_lock(scan_mutex);
    ScanInProgress in_progress(scanning);
    if (paused) throw ScanFailed("the scanner is paused (maintenance mode)");
    const auto started = SteadyClock::now();
    const ScannerSettings s = settings();
    const auto budget_before = exchange::process_weight_budget().snapshot();

    ensure_sources(s.fetch_concurrency);
    // Candles closed before this instant count; taken before the fetch so that a candle closing while the
    // fetch runs is left out for every symbol alike.
    const exchange::TimeMs now_ms = clock();
    const auto& info = symbols(s);
    auto tickers = sources.front()->tickers_24h();
    if (!tickers) throw ScanFailed("tickers_24h failed: " + tickers.error().describe());
    const strategy::Universe universe = strategy::select_universe(info, *tickers, s.params);

    std::vector<std::string> wanted;
    wanted.reserve(universe.members.size());
    for (const auto& m : universe.members) wanted.push_back(m.info.symbol);
    // One more than the lookback: the newest candle is usually still open and scan() drops it.
    const int limit = std::min(s.params.lookback_candles + 1, 1500);
    const int pool = std::min<int>(s.fetch_concurrency, static_cast<int>(sources.size()));
    std::vector<std::shared_ptr<exchange::MarketData>> pool_sources(sources.begin(), sources.begin() + pool);
    KlineFetch fetched = fetch_klines(wanted, s.params.interval, limit, pool_sources, stopping);
    if (fetched.aborted) throw ScanFailed("stopped during the klines fetch");
    if (!wanted.empty() && fetched.candles.empty())
        throw ScanFailed("every klines request failed, e.g. " + fetched.failures.front().second);

    strategy::ScanResult result = strategy::scan_universe(universe, fetched.candles, s.params, now_ms);
    // Say why a row has no data when the cause was the fetch, not the market.
    for (const auto& [symbol, error] : fetched.failures) {
        auto it = std::find_if(result.rows.begin(), result.rows.end(),
                               [&](const strategy::ScanRow& r) { return r.symbol == symbol; });
        if (it != result.rows.end() && it->failure) it->failure->detail = "market data unavailable: " + error;
    }

    ScanStats stats;
    stats.scan_id =
        ctx.with_store([&](store::Repository& repo) { return store_scan(repo.connection(), result); });
    if (s.retention_days > 0) {
        const std::int64_t cutoff = now_ms - std::int64_t{s.retention_days} * 86'400'000;
        try {
            stats.pruned_rows = ctx.with_store(
                [&](store::Repository& repo) { return prune_scans(repo.connection(), cutoff); });
        } catch (const std::exception& e) {
            logger->warn("pruning old scan results failed (will retry after the next scan): {}", e.what());
        }
    }
    const auto budget_after = exchange::process_weight_budget().snapshot();
    stats.symbols = static_cast<int>(result.rows.size());
    stats.passed = static_cast<int>(std::count_if(result.rows.begin(), result.rows.end(),
                                                  [](const strategy::ScanRow& r) { return r.passed(); }));
    stats.fetch_failures = static_cast<int>(fetched.failures.size());
    stats.weight_used = budget_after.weight_reserved - budget_before.weight_reserved;
    stats.requests = fetched.requests + 1 + (exchange_info_fetched ? 1 : 0);
    stats.duration = std::chrono::duration_cast<std::chrono::milliseconds>(SteadyClock::now() - started);

    auto broadcast = std::make_shared<ScanBroadcast>();
    broadcast->scan_id = stats.scan_id;
    broadcast->json = strategy::scan_to_json(result, stats.scan_id);
    broadcast->result = std::move(result);
    logger->info(
        "scan_complete scan_id={} symbols={} passed={} fetch_failures={} requests={} weight={} "
        "duration_ms={} pruned_rows={}",
        stats.scan_id, stats.symbols, stats.passed, stats.fetch_failures, stats.requests, stats.weight_used,
        stats.duration.count(), stats.pruned_rows);
    publish(std::move(broadcast), stats);
    return stats;
}

void Scanner::Impl::publish(std::shared_ptr<const ScanBroadcast> broadcast, const ScanStats& stats) {
    auto subscribers = shared.with([&](Shared& sh) {
        sh.latest = broadcast;
        sh.stats = stats;
        return sh.subscribers;
    });
    for (const auto& subscriber : subscribers) {
        try {
            subscriber(broadcast);
        } catch (const std::exception& e) {
            logger->error("a scan subscriber failed on scan {}: {}", broadcast->scan_id, e.what());
        }
    }
}

void Scanner::Impl::loop() {
    // Nothing may escape this thread: an exception here would end the daemon with std::terminate.
    std::chrono::milliseconds pause = ScannerSettings{}.first_scan_delay;
    try {
        pause = settings().first_scan_delay;
    } catch (const std::exception& e) {
        logger->error("scanner settings unreadable: {}", e.what());
    }
    if (wait(pause)) return;
    for (;;) {
        std::chrono::milliseconds interval = ScannerSettings{}.interval;
        try {
            interval = settings().interval;
            pause = interval;
            if (!paused) run_scan();
        } catch (const std::exception& e) {
            if (stopping) return;
            if (paused) {  // paused while this scan started: not a failure, and nothing was stored
                if (wait(pause)) return;
                continue;
            }
            // Retry a failed scan sooner than a full interval, so a daemon started while the exchange was
            // unreachable gets its first scan soon after it comes back.
            pause = std::min<std::chrono::milliseconds>(interval, std::chrono::seconds(15));
            logger->error("scan_failed {} (next attempt in {} s)", e.what(), pause.count() / 1000);
        }
        if (wait(pause)) return;
    }
}

Scanner::Scanner(DaemonContext& context, SourceFactory sources, SettingsSource settings, Clock clock)
    : impl_(std::make_unique<Impl>(context, std::move(sources), std::move(settings), std::move(clock))) {}

Scanner::~Scanner() {
    stop();
}

void Scanner::subscribe(Subscriber subscriber) {
    impl_->shared.with([&](Impl::Shared& sh) { sh.subscribers.push_back(std::move(subscriber)); });
}

std::shared_ptr<const ScanBroadcast> Scanner::latest() const {
    return impl_->shared.with([](const Impl::Shared& sh) { return sh.latest; });
}

std::optional<ScanStats> Scanner::last_stats() const {
    return impl_->shared.with([](const Impl::Shared& sh) { return sh.stats; });
}

void Scanner::start() {
    if (impl_->thread.joinable()) return;
    impl_->stopping = false;
    impl_->thread = std::thread([this] { impl_->loop(); });
}

void Scanner::stop() {
    {
        std::lock_guard lock(impl_->wake_mutex);
        impl_->stopping = true;
    }
    impl_->wake.notify_all();
    if (impl_->thread.joinable()) impl_->thread.join();
}

void Scanner::pause() {
    impl_->paused = true;
    impl_->logger->info("scanner paused (maintenance mode)");
}

void Scanner::resume() {
    impl_->paused = false;
    impl_->logger->info("scanner resumed");
}

bool Scanner::paused() const {
    return impl_->paused;
}

bool Scanner::busy() const {
    return impl_->scanning;
}

ScanStats Scanner::scan_now() {
    return impl_->run_scan();
}

}  // namespace tradingd::daemon
