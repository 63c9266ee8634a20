// tradingctl market fetch: download klines from the exchange at exchange.rest_url into the kline store, for
// backtests over real history. Resumable: only candles not yet stored are requested, so an interrupted or
// repeated fetch costs only what is missing. Requests go through the process's weight budget.
#include <CLI/CLI.hpp>
#include <chrono>
#include <iostream>
#include <thread>

#include "backtest/engine.h"
#include "backtest/kline_store.h"
#include "backtest_support.h"
#include "config/strategy_settings.h"
#include "daemon_maintenance.h"
#include "exchange/binance_client.h"
#include "exchange/simulated_market.h"
#include "strategy/universe.h"

namespace tradingd::cli {
namespace {

struct FetchOptions {
    std::string from, to, symbols, interval = "1h";
    int universe = 0;
};

// One request, waiting out the weight budget (or the exchange's 429) a few times before giving up.
template <typename Call>
auto with_budget(Call call, const std::string& what) {
    for (int attempt = 0;; ++attempt) {
        auto r = call();
        if (r || r.error().outcome != exchange::Outcome::rate_limited || attempt == 5) {
            if (!r) throw CommandFailed{kFailed, what + ": " + r.error().message};
            return std::move(r).value();
        }
        std::this_thread::sleep_for(std::max(r.error().retry_after, std::chrono::milliseconds(1000)));
    }
}

std::vector<std::string> top_symbols(exchange::MarketData& market, strategy::StrategyParams params, int n) {
    params.universe_size = n;
    const auto info = with_budget([&] { return market.exchange_info(); }, "exchange info");
    const auto tickers = with_budget([&] { return market.tickers_24h(); }, "24h tickers");
    std::vector<std::string> out;
    for (const auto& m : strategy::select_universe(info, tickers, params).members)
        out.push_back(m.info.symbol);
    return out;
}

// Runs of consecutive missing open times in [from, to), as [start, end) pairs.
std::vector<std::pair<exchange::TimeMs, exchange::TimeMs>> gaps(const std::vector<exchange::TimeMs>& stored,
                                                                exchange::TimeMs from, exchange::TimeMs to,
                                                                std::int64_t iv) {
    std::vector<std::pair<exchange::TimeMs, exchange::TimeMs>> out;
    std::size_t k = 0;
    for (exchange::TimeMs t = from; t < to; t += iv) {
        while (k < stored.size() && stored[k] < t) ++k;
        if (k < stored.size() && stored[k] == t) continue;
        if (!out.empty() && out.back().second == t)
            out.back().second = t + iv;
        else
            out.emplace_back(t, t + iv);
    }
    return out;
}

nlohmann::json fetch(const Globals& g, const FetchOptions& o) {
    const auto cfg = load_config(g);
    const auto interval = strategy::interval_from_name(o.interval);
    if (!interval)
        throw CommandFailed{kUsage, "--interval: '" + o.interval + "' is not a Binance interval name"};
    const std::int64_t iv = backtest::interval_ms(*interval);
    exchange::TimeMs from = parse_utc_date("--from", o.from), to = parse_utc_date("--to", o.to);
    from -= from % iv;
    // Only closed candles are stored: the one still open now would be stored half-formed, forever.
    const exchange::TimeMs now = exchange::system_time_ms();
    to = std::min(to, now - now % iv);
    if (from >= to) throw CommandFailed{kUsage, "--from must be before --to (and before the current candle)"};
    refuse_writes_during_maintenance(g, cfg, "storing candles");
    auto conn = open_migrated_store(cfg);

    exchange::BinanceConfig bc;
    bc.base_url = cfg.settings.exchange_rest_url;
    bc.request_timeout = std::chrono::milliseconds(cfg.settings.exchange_request_timeout_ms);
    exchange::BinanceMarketData market(bc, exchange::process_weight_budget());
    const auto params = config::strategy_params(cfg.settings);
    const auto symbols =
        !o.symbols.empty() ? split_symbols(o.symbols)
                           : top_symbols(market, params, o.universe > 0 ? o.universe : params.universe_size);

    nlohmann::json rows = nlohmann::json::array();
    std::int64_t requests = 0, added = 0, present = 0;
    for (const auto& symbol : symbols) {
        const auto stored = backtest::stored_open_times(*conn, symbol, *interval, from, to);
        std::int64_t sym_requests = 0, sym_added = 0;
        for (auto [start, end] : gaps(stored, from, to, iv)) {
            while (start < end) {
                const int limit = static_cast<int>(std::min<std::int64_t>(1500, (end - start) / iv));
                exchange::KlineQuery q{symbol, *interval, limit, start, end - 1};
                auto page = with_budget([&] { return market.klines(q); }, "klines of " + symbol);
                ++sym_requests;
                std::erase_if(page, [&](const exchange::Kline& k) {
                    return k.open_time < start || k.open_time >= end;
                });
                sym_added += backtest::store_klines(*conn, symbol, *interval, page);
                // A short page means the exchange has nothing more in this gap (e.g. before the listing).
                if (page.empty() || static_cast<int>(page.size()) < limit) break;
                start = page.back().open_time + iv;
            }
        }
        requests += sym_requests;
        added += sym_added;
        present += static_cast<std::int64_t>(stored.size());
        rows.push_back({{"symbol", symbol},
                        {"requests", sym_requests},
                        {"added", sym_added},
                        {"already_stored", stored.size()}});
        if (!g.json)
            std::cout << symbol << ": " << sym_added << " new candles, " << stored.size()
                      << " already stored (" << sym_requests << " requests)\n";
    }
    return {{"interval", o.interval},
            {"symbols", rows},
            {"requests", requests},
            {"added", added},
            {"already_stored", present}};
}

}  // namespace

void add_market_commands(CLI::App& app, Globals& g, Action& action) {
    auto* grp = app.add_subcommand("market", "market history for backtests (works with the daemon stopped)");
    grp->require_subcommand(1);
    static FetchOptions o;
    auto* f = grp->add_subcommand("fetch", "download klines from exchange.rest_url into the kline store");
    f->add_option("--from", o.from, "first day, UTC (2025-01-01 or 2025-01-01T08:00)")->required();
    f->add_option("--to", o.to, "end, UTC, exclusive (at most the last closed candle)")->required();
    auto* symbols = f->add_option("--symbols", o.symbols, "comma-separated symbols");
    f->add_option("--universe", o.universe,
                  "the N most traded USDT perpetuals (default: strategy.universe_size)")
        ->check(CLI::Range(1, 1000))
        ->excludes(symbols);
    f->add_option("--interval", o.interval, "candle interval, as Binance names it (default 1h)");
    f->callback([&] {
        action = [&] {
            emit(g, fetch(g, o), [](const nlohmann::json& r) {
                std::cout << "fetched " << text_of(r["added"]) << " new candles for " << r["symbols"].size()
                          << " symbols in " << text_of(r["requests"]) << " requests ("
                          << text_of(r["already_stored"]) << " were already stored)\n";
            });
        };
    });
}

}  // namespace tradingd::cli
