// Stored backtest runs: save a finished run with its trades and monthly returns, list and show them, and
// mark exactly one as published (the one the landing page reads). Works on SQLite and MySQL alike; the
// JSON shapes are the ones `tradingctl backtest ... --json` prints and GET /api/public/backtest serves.
#pragma once

#include <cstdint>
#include <optional>

#include <nlohmann/json_fwd.hpp>

#include "backtest/result.h"
#include "store/sql.h"

namespace tradingd::backtest {

// Inserts the run (status done), its trades and months in one transaction; returns the run's id.
std::int64_t save_run(store::Connection& conn, const BacktestRun& run);

// Every run, newest first: id, status, published, period, source, summary (no trades, no curve).
nlohmann::json list_runs(store::Connection& conn);

// One run in full: the list fields plus params, monthly, trades, top_trades and equity_curve; nullopt when
// there is no such run.
std::optional<nlohmann::json> show_run(store::Connection& conn, std::int64_t id);

// Publishes run `id` and unpublishes every other, atomically. False when there is no finished run `id`.
bool publish_run(store::Connection& conn, std::int64_t id);

std::optional<std::int64_t> published_run_id(store::Connection& conn);

// What the landing page shows of the published run: summary, monthly returns, the equity curve cut to at
// most `max_points` points (always keeping the first and last), and the top 10 trades. nullopt when
// nothing is published.
std::optional<nlohmann::json> public_view(store::Connection& conn, std::size_t max_points = 200);

}  // namespace tradingd::backtest
