// The daemon's one market scan per interval: fetches market data once for the whole universe, scores it with
// the shared strategy, stores the rows in `scan_results` (one transaction per scan) and hands the result to
// every subscriber (the bot supervisor). Its cost in exchange request weight does not depend on the number of
// bots. Owner: scanner. Interface frozen by the bots contract; any change is small and announced here.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "exchange/market_data.h"
#include "strategy/params.h"
#include "strategy/scan.h"

namespace tradingd::daemon {

class DaemonContext;

// One scan as every subscriber sees it: immutable, shared, serialised once.
struct ScanBroadcast {
    std::int64_t scan_id = 0;
    strategy::ScanResult result;
    std::string json;  // strategy::scan_to_json(result, scan_id), built once for every worker
};

// What the scanner reads before each scan, so a config reload applies from the next scan on.
struct ScannerSettings {
    std::chrono::milliseconds interval{std::chrono::seconds(60)};  // bots.scan_interval_s
    std::chrono::milliseconds first_scan_delay{std::chrono::seconds(2)};
    int fetch_concurrency = 8;  // klines requests in flight
    std::chrono::milliseconds exchange_info_ttl{std::chrono::hours(1)};
    int retention_days = 7;  // scan_results older than this are deleted after each scan; 0 keeps all
    strategy::StrategyParams params;
};

// What one scan did, for the log line, `scan.latest` and tests.
struct ScanStats {
    std::int64_t scan_id = 0;
    int symbols = 0;  // rows stored
    int passed = 0;
    int fetch_failures = 0;        // klines that could not be fetched (those rows read insufficient_data)
    std::int64_t weight_used = 0;  // request weight reserved in the process budget during the scan
    std::int64_t requests = 0;
    std::chrono::milliseconds duration{0};
    std::int64_t pruned_rows = 0;
};

class Scanner {
  public:
    using Subscriber = std::function<void(std::shared_ptr<const ScanBroadcast>)>;
    // One market-data source per fetch thread (Binance clients are not thread-safe); a thread-safe source
    // such as the simulated market may return the same instance every time.
    using SourceFactory = std::function<std::shared_ptr<exchange::MarketData>()>;
    using SettingsSource = std::function<ScannerSettings()>;
    using Clock = std::function<exchange::TimeMs()>;  // wall clock in ms, the scan's `now`

    Scanner(DaemonContext& context, SourceFactory sources, SettingsSource settings, Clock clock);
    ~Scanner();  // stops the thread
    Scanner(const Scanner&) = delete;
    Scanner& operator=(const Scanner&) = delete;

    // Subscribers are called on the scanner's thread after the scan is stored, in subscription order. Keep
    // them short (hand the broadcast to another thread); an exception is logged and the others still run.
    void subscribe(Subscriber subscriber);
    // The last scan this process stored, or null before its first one.
    std::shared_ptr<const ScanBroadcast> latest() const;
    std::optional<ScanStats> last_stats() const;

    // Starts the scanner thread: the first scan after first_scan_delay, then one every interval.
    void start();
    // Wakes the thread and joins it; an in-flight scan finishes its current fetches first.
    void stop();

    // Maintenance mode: no scan starts while paused (the loop keeps its schedule and skips); busy() says
    // whether one is still running, so the caller can wait for its last write before the store turns
    // read-only. Thread-safe.
    void pause();
    void resume();
    bool paused() const;
    bool busy() const;

    // One scan on the calling thread, stored and broadcast (start() runs this in its loop; tests call it
    // directly). Throws on a failure that left nothing stored (market data unreachable, store error).
    ScanStats scan_now();

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace tradingd::daemon
