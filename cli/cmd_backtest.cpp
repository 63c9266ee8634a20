// tradingctl backtest run/list/show/publish: backtests of the shared strategy, run here in tradingctl against
// the store directly (the daemon may be down), over the simulated market or the kline store.
#include <CLI/CLI.hpp>
#include <iostream>

#include "backtest/candle_source.h"
#include "backtest/run_store.h"
#include "backtest_support.h"
#include "config/strategy_settings.h"
#include "daemon_maintenance.h"
#include "exchange/simulated_market.h"

namespace tradingd::cli {
namespace {

struct RunOptions {
    std::string from, to, symbols, source = "simulated";
    std::uint64_t seed = 0;
    bool seed_given = false;
    bool publish = false;
};

void print_summary(const nlohmann::json& r) {
    const auto& s = r["summary"];
    std::cout << "run " << text_of(r["id"]) << (r["published"].get<bool>() ? " (published)" : "") << ": "
              << text_of(r["source"]) << " " << text_of(r["interval"]) << " candles, " << text_of(r["from"])
              << " to " << text_of(r["to"]) << ", " << r["symbols"].size() << " symbols, strategy version "
              << text_of(r["strategy_version"]) << "\n"
              << "  equity " << text_of(s["initial_equity"]) << " -> " << text_of(s["final_equity"])
              << " USDT (" << text_of(s["total_return_pct"]) << " %), max drawdown "
              << text_of(s["max_drawdown_pct"]) << " %, profit factor " << text_of(s["profit_factor"])
              << ", Sharpe " << text_of(s["sharpe"]) << "\n  " << text_of(s["trade_count"])
              << " trades, win rate " << text_of(s["win_rate_pct"]) << " %, months with a gain "
              << text_of(s["monthly_win_rate_pct"]) << " %\n";
}

void print_months_and_top(const nlohmann::json& r) {
    std::vector<std::vector<std::string>> months;
    for (const auto& m : r["monthly"])
        months.push_back(
            {text_of(m["month"]), text_of(m["return_pct"]), text_of(m["trades"]), text_of(m["wins"])});
    if (!months.empty()) print_table({"MONTH", "RETURN %", "TRADES", "WINS"}, months);
    std::vector<std::vector<std::string>> top;
    for (const auto& t : r["top_trades"])
        top.push_back({text_of(t["symbol"]), text_of(t["side"]), text_of(t["entry_time"]),
                       text_of(t["exit_time"]), text_of(t["exit_reason"]), text_of(t["pnl"])});
    if (!top.empty()) {
        std::cout << "top trades:\n";
        print_table({"SYMBOL", "SIDE", "ENTRY", "EXIT", "REASON", "PNL"}, top);
    }
}

nlohmann::json run_backtest(const Globals& g, const RunOptions& o) {
    const auto cfg = load_config(g);
    backtest::BacktestConfig bt;
    bt.params = config::strategy_params(cfg.settings);
    bt.from_ms = parse_utc_date("--from", o.from);
    bt.to_ms = parse_utc_date("--to", o.to);
    if (bt.from_ms >= bt.to_ms) throw CommandFailed{kUsage, "--from must be before --to"};
    if (bt.to_ms > exchange::system_time_ms())
        throw CommandFailed{kUsage, "--to is in the future: a backtest needs candles that exist"};
    const auto symbols = split_symbols(o.symbols);
    refuse_writes_during_maintenance(g, cfg, "storing a backtest");
    auto conn = open_migrated_store(cfg);

    std::vector<backtest::SymbolHistory> histories;
    std::optional<std::uint64_t> seed;
    if (o.source == "simulated") {
        seed = o.seed_given ? o.seed : static_cast<std::uint64_t>(cfg.settings.exchange_simulated_seed);
        const exchange::TimeMs end = bt.to_ms;
        exchange::SimulatedMarket market(*seed, [end] { return end; });
        histories = backtest::load_from_market(market, bt, symbols);
    } else {
        histories = backtest::load_from_store(*conn, bt, symbols);
        if (histories.empty())
            throw CommandFailed{kFailed,
                                "the kline store has no " +
                                    std::string(exchange::interval_name(bt.params.interval)) +
                                    " candles for that period; fetch them with `tradingctl market fetch`"};
    }
    const auto run = backtest::finish(backtest::run(histories, bt), bt, o.source, seed);
    const auto id = backtest::save_run(*conn, run);
    if (o.publish) backtest::publish_run(*conn, id);
    auto shown = *backtest::show_run(*conn, id);
    shown.erase("trades");
    shown.erase("equity_curve");
    return shown;
}

std::int64_t run_id(const std::string& text) {
    try {
        std::size_t used = 0;
        const long long id = std::stoll(text, &used);
        if (used == text.size() && id > 0) return id;
    } catch (const std::exception&) {
    }
    throw CommandFailed{kUsage, "'" + text + "' is not a backtest run id"};
}

}  // namespace

void add_backtest_commands(CLI::App& app, Globals& g, Action& action) {
    auto* grp =
        app.add_subcommand("backtest", "backtests of the shared strategy (work with the daemon stopped)");
    grp->require_subcommand(1);

    static RunOptions o;
    auto* run = grp->add_subcommand("run", "replay a period through the strategy and store the result");
    run->add_option("--from", o.from, "first day, UTC (2025-01-01 or 2025-01-01T08:00)")->required();
    run->add_option("--to", o.to, "end, UTC, exclusive")->required();
    run->add_option("--symbols", o.symbols, "comma-separated symbols (default: the configured universe)");
    run->add_option("--source", o.source, "candles from the simulated market or the kline store")
        ->check(CLI::IsMember({"simulated", "stored"}));
    auto* seed =
        run->add_option("--seed", o.seed, "simulated market seed (default: exchange.simulated_seed)");
    run->add_flag("--publish", o.publish, "publish the run (the landing page shows it)");
    run->callback([&g, &action, seed] {
        o.seed_given = seed->count() > 0;
        action = [&g] {
            emit(g, run_backtest(g, o), [](const nlohmann::json& r) {
                print_summary(r);
                print_months_and_top(r);
            });
        };
    });

    grp->add_subcommand("list", "stored runs, newest first")->callback([&] {
        action = [&] {
            auto conn = open_migrated_store(load_config(g));
            emit(g, backtest::list_runs(*conn), [](const nlohmann::json& runs) {
                std::vector<std::vector<std::string>> rows;
                for (const auto& r : runs)
                    rows.push_back(
                        {text_of(r["id"]), r["published"].get<bool>() ? "*" : "", text_of(r["source"]),
                         text_of(r["from"]), text_of(r["to"]), std::to_string(r["symbols"].size()),
                         text_of(r["summary"]["total_return_pct"]), text_of(r["summary"]["max_drawdown_pct"]),
                         text_of(r["summary"]["trade_count"]), text_of(r["created_at"])});
                if (rows.empty())
                    std::cout << "no backtest runs yet; start one with `tradingctl backtest run`\n";
                else
                    print_table({"ID", "PUB", "SOURCE", "FROM", "TO", "SYMBOLS", "RETURN %", "MAX DD %",
                                 "TRADES", "CREATED"},
                                rows);
            });
        };
    });

    static std::string id_text;
    auto* show = grp->add_subcommand("show", "one run: summary, months, top trades (--json: everything)");
    show->add_option("id", id_text, "run id")->required();
    show->callback([&] {
        action = [&] {
            auto conn = open_migrated_store(load_config(g));
            const auto r = backtest::show_run(*conn, run_id(id_text));
            if (!r) throw CommandFailed{kFailed, "no backtest run " + id_text};
            emit(g, *r, [](const nlohmann::json& r) {
                print_summary(r);
                print_months_and_top(r);
            });
        };
    });

    auto* publish = grp->add_subcommand("publish", "make this run the one the landing page shows");
    publish->add_option("id", id_text, "run id")->required();
    publish->callback([&] {
        action = [&] {
            const auto cfg = load_config(g);
            refuse_writes_during_maintenance(g, cfg, "publishing a backtest");
            auto conn = open_migrated_store(cfg);
            const auto id = run_id(id_text);
            if (!backtest::publish_run(*conn, id))
                throw CommandFailed{kFailed, "no finished backtest run " + id_text};
            emit(g, {{"published", id}},
                 [&](const nlohmann::json&) { std::cout << "published run " << id << "\n"; });
        };
    });
}

}  // namespace tradingd::cli
