// exchange_scan_bench: what one full market scan costs against fake-binance — requests, IP weight (as the
// exchange counts it and as our budget reserved it) and wall time, sequential vs N threads (each with its
// own transport, all sharing one WeightBudget), with 0 ms and 50 ms injected reply latency.
//
//   exchange_scan_bench [--threads N] [--symbols N] [--kline-limit N] [--interval 1h] [--latency-ms 0,50]
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "fake_binance_process.h"

using namespace tradingd;
using namespace tradingd::exchange;

namespace {

struct Options {
    int threads = 8;
    std::size_t symbols = 150;
    int kline_limit = 200;
    Interval interval = Interval::h1;
    std::vector<int> latencies_ms = {0, 50};
};

struct Row {
    std::string mode;
    int threads = 1;
    int latency_ms = 0;
    std::int64_t requests = 0;
    long requests_exchange = 0;
    int weight_exchange = 0;
    std::int64_t weight_reserved = 0;
    double wall_ms = 0;
    int failures = 0;
};

Options parse(int argc, char** argv) {
    Options o;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string flag = argv[i], value = argv[i + 1];
        if (flag == "--threads")
            o.threads = std::stoi(value);
        else if (flag == "--symbols")
            o.symbols = std::stoul(value);
        else if (flag == "--kline-limit")
            o.kline_limit = std::stoi(value);
        else if (flag == "--interval") {
            for (int k = 0; k <= static_cast<int>(Interval::month1); ++k) {
                if (interval_name(static_cast<Interval>(k)) == value) o.interval = static_cast<Interval>(k);
            }
        } else if (flag == "--latency-ms") {
            o.latencies_ms.clear();
            std::stringstream in(value);
            for (std::string part; std::getline(in, part, ',');) o.latencies_ms.push_back(std::stoi(part));
        } else {
            std::fprintf(stderr, "unknown option %s\n", flag.c_str());
            std::exit(2);
        }
    }
    return o;
}

// Weight windows are calendar minutes: start each run early in a minute so the exchange's count of it is
// not split across two windows.
void wait_for_fresh_minute() {
    using namespace std::chrono;
    const auto ms = duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count() % 60000;
    if (ms > 40000) std::this_thread::sleep_for(milliseconds(60000 - ms + 1000));
}

// The scanner's universe: TRADING USDT perpetuals, busiest first by 24h quote volume.
std::vector<std::string> universe(const std::vector<SymbolInfo>& info, const std::vector<Ticker24h>& tickers,
                                  std::size_t n) {
    std::vector<std::pair<double, std::string>> ranked;
    for (const auto& t : tickers) {
        const auto s =
            std::find_if(info.begin(), info.end(), [&](const SymbolInfo& i) { return i.symbol == t.symbol; });
        if (s != info.end() && s->trading() && s->contract_type == "PERPETUAL" && s->quote_asset == "USDT") {
            ranked.emplace_back(t.quote_volume, t.symbol);
        }
    }
    std::sort(ranked.rbegin(), ranked.rend());
    std::vector<std::string> out;
    for (std::size_t i = 0; i < std::min(n, ranked.size()); ++i) out.push_back(ranked[i].second);
    return out;
}

Row scan(test::FakeBinance& fake, const Options& o, int threads, int latency_ms) {
    wait_for_fresh_minute();
    fake.admin("POST", "/_fake/weight", {{"reset_usage", true}});
    fake.admin("POST", "/_fake/latency", {{"ms", latency_ms}});
    const long requests_before = fake.total_requests();
    WeightBudget budget;  // one per run, shared by every thread of the run
    BinanceConfig config = fake.config();
    config.request_timeout = std::chrono::milliseconds(10000);
    // fake-binance listens with cpp-httplib's backlog of 5: with more threads connecting at once, some SYNs
    // are dropped and retried by the kernel after 1 s, which a 1 s connect timeout would turn into failures.
    config.connect_timeout = std::chrono::milliseconds(5000);
    config.max_budget_wait = std::chrono::milliseconds(60000);
    std::atomic<int> failures{0};

    const auto start = std::chrono::steady_clock::now();
    std::vector<std::unique_ptr<BinanceMarketData>> clients;
    for (int t = 0; t < threads; ++t) clients.push_back(std::make_unique<BinanceMarketData>(config, budget));

    // Phase 1: the three whole-market calls (in parallel when there are threads for it).
    Result<std::vector<SymbolInfo>> info = Error{};
    Result<std::vector<Ticker24h>> tickers = Error{};
    Result<std::vector<MarkPrice>> marks = Error{};
    if (threads == 1) {
        info = clients[0]->exchange_info();
        tickers = clients[0]->tickers_24h();
        marks = clients[0]->mark_prices();
    } else {
        std::thread a([&] { info = clients[0]->exchange_info(); });
        std::thread b([&] { tickers = clients[1 % threads]->tickers_24h(); });
        std::thread c([&] { marks = clients[2 % threads]->mark_prices(); });
        a.join(), b.join(), c.join();
    }
    if (!info || !tickers || !marks) {
        std::fprintf(stderr, "whole-market calls failed\n");
        std::exit(1);
    }
    const std::vector<std::string> symbols = universe(*info, *tickers, o.symbols);

    // Phase 2: klines for every symbol, handed out one at a time.
    std::atomic<std::size_t> next{0};
    auto worker = [&](BinanceMarketData& market) {
        for (std::size_t i = next++; i < symbols.size(); i = next++) {
            KlineQuery q;
            q.symbol = symbols[i];
            q.interval = o.interval;
            q.limit = o.kline_limit;
            const auto klines = market.klines(q);
            if (!klines.ok()) {
                ++failures;
                std::fprintf(stderr, "klines %s: %s\n", q.symbol.c_str(), klines.error().describe().c_str());
            } else if (klines->size() != static_cast<std::size_t>(q.limit)) {
                ++failures;
                std::fprintf(stderr, "klines %s: %zu candles, not %d\n", q.symbol.c_str(), klines->size(),
                             q.limit);
            }
        }
    };
    std::vector<std::thread> pool;
    for (int t = 1; t < threads; ++t)
        pool.emplace_back(worker, std::ref(*clients[static_cast<std::size_t>(t)]));
    worker(*clients[0]);
    for (auto& t : pool) t.join();
    const auto wall = std::chrono::steady_clock::now() - start;

    Row row;
    row.mode = threads == 1 ? "sequential" : "concurrent";
    row.threads = threads;
    row.latency_ms = latency_ms;
    row.requests = budget.snapshot().requests_reserved;
    row.weight_reserved = budget.snapshot().weight_reserved;
    row.wall_ms = std::chrono::duration<double, std::milli>(wall).count();
    row.failures = failures;
    row.requests_exchange = fake.total_requests() - requests_before;
    if (symbols.size() != o.symbols) row.failures += static_cast<int>(o.symbols - symbols.size());
    // One more weight-1 call after the scan: its header is the scan's weight as the exchange counted it,
    // plus 1.
    fake.admin("POST", "/_fake/latency", {{"ms", 0}});
    (void)clients[0]->server_time();
    row.weight_exchange = budget.snapshot().last_used_weight_header.value_or(0) - 1;
    return row;
}

}  // namespace

int main(int argc, char** argv) {
    const Options o = parse(argc, argv);
    test::FakeBinance fake;
    std::printf(
        "exchange scan: %zu symbols (TRADING USDT perpetuals by 24h quote volume): exchangeInfo, 24h "
        "tickers and mark prices for all, klines %s x%d per symbol\n",
        o.symbols, std::string(interval_name(o.interval)).c_str(), o.kline_limit);
    std::printf("against fake-binance on 127.0.0.1 (48 HTTP threads), latency injected on every reply\n\n");
    std::printf(
        "| mode       | threads | latency | requests sent / seen | weight: exchange / reserved | wall time "
        "|\n");
    std::printf(
        "|------------|--------:|--------:|---------------------:|----------------------------:|----------:|"
        "\n");
    int failures = 0;
    for (int latency : o.latencies_ms) {
        for (int threads : {1, o.threads}) {
            const Row r = scan(fake, o, threads, latency);
            failures += r.failures;
            std::printf("| %-10s | %7d | %4d ms | %10lld / %7ld | %14d / %10lld | %6.0f ms |\n",
                        r.mode.c_str(), r.threads, r.latency_ms, static_cast<long long>(r.requests),
                        r.requests_exchange, r.weight_exchange, static_cast<long long>(r.weight_reserved),
                        r.wall_ms);
            std::fflush(stdout);
        }
    }
    if (failures) std::printf("\n%d requests failed\n", failures);
    return failures ? 1 : 0;
}
