// Summary figures. Percentages and ratios round half-even to 2 places once, at the end, so they never drift
// with the order of additions.
#include "backtest/metrics.h"

#include <algorithm>
#include <cmath>
#include <ctime>

namespace tradingd::backtest {
namespace {

using money::Decimal;
using money::Rounding;
const Decimal kHundred = Decimal::from_int(100);
const Decimal kCent = Decimal::parse("0.01");
constexpr std::int64_t kDayMs = 86'400'000;

Decimal pct(Decimal part, Decimal whole) {
    if (whole.is_zero()) return {};
    return part.mul(kHundred, Rounding::half_even).div(whole, Rounding::half_even).round_to_step(kCent);
}

std::tm utc(exchange::TimeMs ms) {
    const std::time_t secs = static_cast<std::time_t>(ms / 1000);
    std::tm tm{};
    gmtime_r(&secs, &tm);
    return tm;
}

Decimal max_drawdown(const std::vector<EquityPoint>& curve, Decimal initial) {
    Decimal peak = initial, worst;
    for (const auto& p : curve) {
        peak = std::max(peak, p.equity);
        if (peak.is_positive()) worst = std::max(worst, pct(peak - p.equity, peak));
    }
    return worst;
}

std::optional<Decimal> sharpe(const std::vector<EquityPoint>& curve, Decimal initial) {
    std::vector<double> returns;
    double prev = initial.to_double();
    for (const auto& p : curve) {
        if (p.time_ms % kDayMs != 0 && &p != &curve.back()) continue;
        const double eq = p.equity.to_double();
        if (prev > 0) returns.push_back(eq / prev - 1);
        prev = eq;
    }
    if (returns.size() < 2) return std::nullopt;
    double mean = 0;
    for (double r : returns) mean += r;
    mean /= static_cast<double>(returns.size());
    double var = 0;
    for (double r : returns) var += (r - mean) * (r - mean);
    var /= static_cast<double>(returns.size() - 1);
    if (!(var > 0)) return std::nullopt;
    return Decimal::from_double_rounded(mean / std::sqrt(var) * std::sqrt(365.0), 2, Rounding::half_even);
}

}  // namespace

std::string month_of(exchange::TimeMs ms) {
    const std::tm tm = utc(ms);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m", &tm);
    return buf;
}

std::string utc_text(exchange::TimeMs ms) {
    const std::tm tm = utc(ms);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &tm);
    return buf;
}

Metrics compute_metrics(const RawResult& raw, Decimal initial) {
    Metrics m;
    Summary& s = m.summary;
    s.initial_equity = initial;
    s.final_equity = raw.equity.empty() ? initial : raw.equity.back().equity;
    s.total_return_pct = pct(s.final_equity - initial, initial);
    s.max_drawdown_pct = max_drawdown(raw.equity, initial);
    s.sharpe = sharpe(raw.equity, initial);

    Decimal gross_profit, gross_loss;
    for (const auto& t : raw.trades) {
        ++s.trade_count;
        if (t.pnl.is_positive()) {
            ++s.win_count;
            gross_profit += t.pnl;
        } else {
            gross_loss -= t.pnl;
        }
    }
    if (gross_loss.is_positive())
        s.profit_factor = gross_profit.div(gross_loss, Rounding::half_even).round_to_step(kCent);
    s.win_rate_pct = pct(Decimal::from_int(s.win_count), Decimal::from_int(s.trade_count));

    // Months from the equity curve: each starts where the previous one ended (or at the initial equity).
    Decimal start = initial;
    for (std::size_t i = 0; i < raw.equity.size(); ++i) {
        // A point at a month's first midnight closes the previous month's last candle.
        const std::string month = month_of(raw.equity[i].time_ms - 1);
        if (m.monthly.empty() || m.monthly.back().month != month) {
            if (!m.monthly.empty()) start = m.monthly.back().end_equity;
            m.monthly.push_back({month, start, start, {}, 0, 0});
        }
        m.monthly.back().end_equity = raw.equity[i].equity;
    }
    int positive = 0;
    for (auto& month : m.monthly) {
        month.return_pct = pct(month.end_equity - month.start_equity, month.start_equity);
        if (month.return_pct.is_positive()) ++positive;
        for (const auto& t : raw.trades) {
            if (month_of(t.exit_time_ms - 1) != month.month) continue;
            ++month.trades;
            if (t.pnl.is_positive()) ++month.wins;
        }
    }
    s.monthly_win_rate_pct =
        pct(Decimal::from_int(positive), Decimal::from_int(static_cast<int>(m.monthly.size())));

    m.top_trades = raw.trades;
    std::stable_sort(m.top_trades.begin(), m.top_trades.end(), [](const Trade& a, const Trade& b) {
        if (a.pnl != b.pnl) return a.pnl > b.pnl;
        if (a.entry_time_ms != b.entry_time_ms) return a.entry_time_ms < b.entry_time_ms;
        return a.symbol < b.symbol;
    });
    if (m.top_trades.size() > 10) m.top_trades.resize(10);
    return m;
}

}  // namespace tradingd::backtest
