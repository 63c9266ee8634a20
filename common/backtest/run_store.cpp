// SQL for the backtest_* tables. Decimals are bound as text and read back through money::Decimal, so
// MySQL's DECIMAL(36,18) padding ("1.500000000000000000") prints as "1.5" like SQLite's text does.
#include "backtest/run_store.h"

#include <algorithm>
#include <nlohmann/json.hpp>

namespace tradingd::backtest {
namespace {

using money::Decimal;
using nlohmann::json;

constexpr const char* kRunColumns =
    "id, status, published, strategy_version, source, seed, kline_interval, period_from, period_to, symbols, "
    "initial_equity, final_equity, total_return_pct, max_drawdown_pct, profit_factor, sharpe, trade_count, "
    "win_rate_pct, monthly_win_rate_pct, candles, digest, created_at, finished_at";

json dec(const store::Statement& st, int col) {
    if (st.is_null(col)) return nullptr;
    return Decimal::parse(st.get_text(col)).to_string();
}

json opt_text(const store::Statement& st, int col) {
    if (st.is_null(col)) return nullptr;
    return st.get_text(col);
}

json run_row(const store::Statement& st) {
    json symbols = json::array();
    const std::string list = st.get_text(9);
    for (std::size_t at = 0; at < list.size();) {
        const std::size_t comma = std::min(list.find(',', at), list.size());
        symbols.push_back(list.substr(at, comma - at));
        at = comma + 1;
    }
    return {{"id", st.get_int(0)},
            {"status", st.get_text(1)},
            {"published", st.get_int(2) != 0},
            {"strategy_version", st.get_text(3)},
            {"source", st.get_text(4)},
            {"seed", st.is_null(5) ? json(nullptr) : json(st.get_int(5))},
            {"interval", st.get_text(6)},
            {"from", st.get_text(7)},
            {"to", st.get_text(8)},
            {"symbols", symbols},
            {"summary",
             {{"initial_equity", dec(st, 10)},
              {"final_equity", dec(st, 11)},
              {"total_return_pct", dec(st, 12)},
              {"max_drawdown_pct", dec(st, 13)},
              {"profit_factor", dec(st, 14)},
              {"sharpe", dec(st, 15)},
              {"trade_count", st.get_int(16)},
              {"win_rate_pct", dec(st, 17)},
              {"monthly_win_rate_pct", dec(st, 18)}}},
            {"candles", st.get_int(19)},
            {"digest", opt_text(st, 20)},
            {"created_at", st.get_text(21)},
            {"finished_at", opt_text(st, 22)}};
}

store::Value opt_dec(const std::optional<Decimal>& d) {
    return d ? store::Value(d->to_string()) : store::Value(nullptr);
}

json load_monthly(store::Connection& conn, std::int64_t id) {
    auto st = conn.prepare(
        "SELECT month, start_equity, end_equity, return_pct, trade_count, win_count FROM backtest_monthly "
        "WHERE run_id = ? ORDER BY month");
    st->bind_all(id);
    json out = json::array();
    while (st->step())
        out.push_back({{"month", st->get_text(0)},
                       {"start_equity", dec(*st, 1)},
                       {"end_equity", dec(*st, 2)},
                       {"return_pct", dec(*st, 3)},
                       {"trades", st->get_int(4)},
                       {"wins", st->get_int(5)}});
    return out;
}

json load_trades(store::Connection& conn, std::int64_t id) {
    auto st = conn.prepare(
        "SELECT symbol, side, score, leverage, quantity, entry_time, entry_price, exit_time, exit_price, "
        "exit_reason, fees, funding, pnl, return_pct FROM backtest_trades WHERE run_id = ? ORDER BY id");
    st->bind_all(id);
    json out = json::array();
    while (st->step())
        out.push_back({{"symbol", st->get_text(0)},
                       {"side", st->get_text(1)},
                       {"score", st->get_int(2)},
                       {"leverage", st->get_int(3)},
                       {"quantity", dec(*st, 4)},
                       {"entry_time", st->get_text(5)},
                       {"entry_price", dec(*st, 6)},
                       {"exit_time", st->get_text(7)},
                       {"exit_price", dec(*st, 8)},
                       {"exit_reason", st->get_text(9)},
                       {"fees", dec(*st, 10)},
                       {"funding", dec(*st, 11)},
                       {"pnl", dec(*st, 12)},
                       {"return_pct", dec(*st, 13)}});
    return out;
}

// Best pnl first; ties keep the stored (exit) order, like metrics.cpp's top_trades.
json top_trades(const json& trades) {
    std::vector<json> sorted(trades.begin(), trades.end());
    std::stable_sort(sorted.begin(), sorted.end(), [](const json& a, const json& b) {
        return Decimal::parse(a["pnl"].get<std::string>()) > Decimal::parse(b["pnl"].get<std::string>());
    });
    if (sorted.size() > 10) sorted.resize(10);
    return sorted;
}

std::optional<json> load_run(store::Connection& conn, std::int64_t id, bool with_curve) {
    auto st = conn.prepare(std::string("SELECT ") + kRunColumns +
                           ", params, equity_curve FROM backtest_runs WHERE id = ?");
    st->bind_all(id);
    if (!st->step()) return std::nullopt;
    json out = run_row(*st);
    out["params"] = json::parse(st->get_text(23));
    if (with_curve) out["equity_curve"] = st->is_null(24) ? json::array() : json::parse(st->get_text(24));
    return out;
}

}  // namespace

std::int64_t save_run(store::Connection& conn, const BacktestRun& run) {
    const Summary& s = run.metrics.summary;
    std::string symbols;
    for (const auto& sym : run.raw.universe) symbols += (symbols.empty() ? "" : ",") + sym;
    json curve = json::array();
    for (const auto& p : run.raw.equity) curve.push_back(json::array({p.time_ms, p.equity.to_string()}));

    store::Transaction tx(conn);
    auto st = conn.prepare(
        "INSERT INTO backtest_runs (status, published, strategy_version, params, source, seed, "
        "kline_interval, "
        "period_from, period_to, symbols, initial_equity, final_equity, total_return_pct, max_drawdown_pct, "
        "profit_factor, sharpe, trade_count, win_rate_pct, monthly_win_rate_pct, candles, digest, "
        "equity_curve, finished_at) VALUES ('done', 0, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
        "?, ?, CURRENT_TIMESTAMP)");
    st->bind_all(run.strategy_version, params_json(run.config).dump(), run.source,
                 run.seed ? store::Value(static_cast<std::int64_t>(*run.seed)) : store::Value(nullptr),
                 std::string(exchange::interval_name(run.config.params.interval)),
                 utc_text(run.config.from_ms), utc_text(run.config.to_ms), symbols,
                 s.initial_equity.to_string(), s.final_equity.to_string(), s.total_return_pct.to_string(),
                 s.max_drawdown_pct.to_string());
    st->bind(13, opt_dec(s.profit_factor));
    st->bind(14, opt_dec(s.sharpe));
    st->bind(15, std::int64_t{s.trade_count});
    st->bind(16, s.win_rate_pct.to_string());
    st->bind(17, s.monthly_win_rate_pct.to_string());
    st->bind(18, run.raw.candles);
    st->bind(19, run.digest);
    st->bind(20, curve.dump());
    st->step();
    const std::int64_t id = conn.last_insert_id();

    auto trade = conn.prepare(
        "INSERT INTO backtest_trades (run_id, symbol, side, score, leverage, quantity, entry_time, "
        "entry_price, "
        "exit_time, exit_price, exit_reason, fees, funding, pnl, return_pct) VALUES (?, ?, ?, ?, ?, ?, ?, ?, "
        "?, "
        "?, ?, ?, ?, ?, ?)");
    for (const auto& t : run.raw.trades) {
        trade->bind_all(id, t.symbol, std::string(strategy::direction_name(t.direction)),
                        std::int64_t{t.score}, std::int64_t{t.leverage}, t.quantity.to_string(),
                        utc_text(t.entry_time_ms), t.entry_price.to_string(), utc_text(t.exit_time_ms),
                        t.exit_price.to_string(), t.exit_reason, t.fees.to_string(), t.funding.to_string(),
                        t.pnl.to_string(), t.return_pct.to_string());
        trade->step();
        trade->reset();
    }
    auto month = conn.prepare(
        "INSERT INTO backtest_monthly (run_id, month, start_equity, end_equity, return_pct, trade_count, "
        "win_count) VALUES (?, ?, ?, ?, ?, ?, ?)");
    for (const auto& m : run.metrics.monthly) {
        month->bind_all(id, m.month, m.start_equity.to_string(), m.end_equity.to_string(),
                        m.return_pct.to_string(), std::int64_t{m.trades}, std::int64_t{m.wins});
        month->step();
        month->reset();
    }
    tx.commit();
    return id;
}

json list_runs(store::Connection& conn) {
    auto st = conn.prepare(std::string("SELECT ") + kRunColumns + " FROM backtest_runs ORDER BY id DESC");
    json out = json::array();
    while (st->step()) out.push_back(run_row(*st));
    return out;
}

std::optional<json> show_run(store::Connection& conn, std::int64_t id) {
    auto out = load_run(conn, id, true);
    if (!out) return std::nullopt;
    (*out)["monthly"] = load_monthly(conn, id);
    (*out)["trades"] = load_trades(conn, id);
    (*out)["top_trades"] = top_trades((*out)["trades"]);
    return out;
}

bool publish_run(store::Connection& conn, std::int64_t id) {
    store::Transaction tx(conn);
    auto check = conn.prepare("SELECT status FROM backtest_runs WHERE id = ?");
    check->bind_all(id);
    if (!check->step() || check->get_text(0) != "done") return false;
    check.reset();
    conn.prepare("UPDATE backtest_runs SET published = 0 WHERE published = 1 AND id <> ?")
        ->bind_all(id)
        .step();
    conn.prepare("UPDATE backtest_runs SET published = 1 WHERE id = ?")->bind_all(id).step();
    tx.commit();
    return true;
}

std::optional<std::int64_t> published_run_id(store::Connection& conn) {
    auto st = conn.prepare("SELECT id FROM backtest_runs WHERE published = 1 ORDER BY id DESC LIMIT 1");
    if (!st->step()) return std::nullopt;
    return st->get_int(0);
}

std::optional<json> public_view(store::Connection& conn, std::size_t max_points) {
    const auto id = published_run_id(conn);
    if (!id) return std::nullopt;
    auto run = load_run(conn, *id, true);
    if (!run) return std::nullopt;
    const json& curve = (*run)["equity_curve"];
    json cut = json::array();
    const std::size_t n = curve.size();
    if (n <= max_points || max_points < 2) {
        cut = curve;
    } else {
        // Evenly spaced indices from the first point to the last: deterministic, both ends kept.
        for (std::size_t k = 0; k < max_points; ++k) cut.push_back(curve[k * (n - 1) / (max_points - 1)]);
    }
    const json trades = load_trades(conn, *id);
    return json{{"id", *id},
                {"strategy_version", (*run)["strategy_version"]},
                {"source", (*run)["source"]},
                {"interval", (*run)["interval"]},
                {"from", (*run)["from"]},
                {"to", (*run)["to"]},
                {"symbol_count", (*run)["symbols"].size()},
                {"summary", (*run)["summary"]},
                {"monthly", load_monthly(conn, *id)},
                {"equity_curve", cut},
                {"top_trades", top_trades(trades)}};
}

}  // namespace tradingd::backtest
