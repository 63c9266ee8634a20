// JSON of a run. Money and ratios are decimal strings (never JSON floats), times are epoch ms and UTC text,
// and object keys are sorted (nlohmann's default), so the text, and with it the digest, is canonical.
#include "backtest/result.h"

#include <nlohmann/json.hpp>

#include "crypto/digest.h"

namespace tradingd::backtest {

using nlohmann::json;

namespace {

json opt(const std::optional<money::Decimal>& d) {
    return d ? json(d->to_string()) : json(nullptr);
}

}  // namespace

json params_json(const BacktestConfig& c) {
    const auto& p = c.params;
    json strategy = {
        {"interval", std::string(exchange::interval_name(p.interval))},
        {"universe_size", p.universe_size},
        {"skip_coins", p.skip_coins},
        {"lookback_candles", p.lookback_candles},
        {"min_candles", p.min_candles},
        {"ma_slope_candles", p.ma_slope_candles},
        {"weight_trend_pct", p.weight_trend_pct},
        {"weight_momentum_pct", p.weight_momentum_pct},
        {"weight_volatility_pct", p.weight_volatility_pct},
        {"weight_volume_pct", p.weight_volume_pct},
        {"atr_pct_min_bp", p.atr_pct_min_bp},
        {"atr_pct_low_bp", p.atr_pct_low_bp},
        {"atr_pct_high_bp", p.atr_pct_high_bp},
        {"atr_pct_max_bp", p.atr_pct_max_bp},
        {"entry_threshold", p.entry_threshold},
        {"long_skip_score", p.long_skip_score},
        {"cooldown_minutes", p.cooldown_minutes},
        {"max_leverage", p.max_leverage},
        {"stop_loss_atr_pct", p.stop_loss_atr_pct},
        {"take_profit_atr_pct", p.take_profit_atr_pct},
        {"trailing_stop", p.trailing_stop},
        {"trailing_activation_atr_pct", p.trailing_activation_atr_pct},
        {"trailing_callback_tenths", p.trailing_callback_tenths},
        {"max_holding_hours", p.max_holding_hours},
    };
    return {{"strategy", strategy},
            {"risk",
             {{"equity_fraction", c.risk.equity_fraction.to_string()},
              {"leverage", c.risk.leverage},
              {"max_open_positions", c.risk.max_open_positions}}},
            {"fills",
             {{"taker_fee_rate", c.fills.taker_fee_rate.to_string()},
              {"slippage_rate", c.fills.slippage_rate.to_string()},
              {"funding_rate_8h", c.fills.funding_rate.to_string()}}},
            {"initial_equity", c.initial_equity.to_string()}};
}

json trade_json(const Trade& t) {
    return {{"symbol", t.symbol},
            {"side", std::string(strategy::direction_name(t.direction))},
            {"score", t.score},
            {"leverage", t.leverage},
            {"quantity", t.quantity.to_string()},
            {"entry_time", utc_text(t.entry_time_ms)},
            {"entry_price", t.entry_price.to_string()},
            {"exit_time", utc_text(t.exit_time_ms)},
            {"exit_price", t.exit_price.to_string()},
            {"exit_reason", t.exit_reason},
            {"fees", t.fees.to_string()},
            {"funding", t.funding.to_string()},
            {"pnl", t.pnl.to_string()},
            {"return_pct", t.return_pct.to_string()}};
}

json summary_json(const Summary& s) {
    return {{"initial_equity", s.initial_equity.to_string()},
            {"final_equity", s.final_equity.to_string()},
            {"total_return_pct", s.total_return_pct.to_string()},
            {"max_drawdown_pct", s.max_drawdown_pct.to_string()},
            {"profit_factor", opt(s.profit_factor)},
            {"sharpe", opt(s.sharpe)},
            {"trade_count", s.trade_count},
            {"win_rate_pct", s.win_rate_pct.to_string()},
            {"monthly_win_rate_pct", s.monthly_win_rate_pct.to_string()}};
}

json monthly_json(const std::vector<MonthlyReturn>& months) {
    json out = json::array();
    for (const auto& m : months)
        out.push_back({{"month", m.month},
                       {"start_equity", m.start_equity.to_string()},
                       {"end_equity", m.end_equity.to_string()},
                       {"return_pct", m.return_pct.to_string()},
                       {"trades", m.trades},
                       {"wins", m.wins}});
    return out;
}

json to_json(const BacktestRun& run) {
    json trades = json::array(), top = json::array(), equity = json::array();
    for (const auto& t : run.raw.trades) trades.push_back(trade_json(t));
    for (const auto& t : run.metrics.top_trades) top.push_back(trade_json(t));
    for (const auto& p : run.raw.equity) equity.push_back(json::array({p.time_ms, p.equity.to_string()}));
    json out = {{"strategy_version", run.strategy_version},
                {"params", params_json(run.config)},
                {"source", run.source},
                {"seed", run.seed ? json(*run.seed) : json(nullptr)},
                {"interval", std::string(exchange::interval_name(run.config.params.interval))},
                {"from", utc_text(run.config.from_ms)},
                {"to", utc_text(run.config.to_ms)},
                {"symbols", run.raw.universe},
                {"candles", run.raw.candles},
                {"summary", summary_json(run.metrics.summary)},
                {"monthly", monthly_json(run.metrics.monthly)},
                {"trades", trades},
                {"top_trades", top},
                {"equity_curve", equity}};
    if (!run.digest.empty()) out["digest"] = run.digest;
    return out;
}

BacktestRun finish(RawResult raw, const BacktestConfig& config, std::string source,
                   std::optional<std::uint64_t> seed) {
    BacktestRun run;
    run.config = config;
    run.source = std::move(source);
    run.seed = seed;
    run.metrics = compute_metrics(raw, config.initial_equity);
    run.raw = std::move(raw);
    run.digest = crypto::sha256_hex(to_json(run).dump());
    return run;
}

}  // namespace tradingd::backtest
