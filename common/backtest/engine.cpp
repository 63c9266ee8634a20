// The replay loop. Each step is one candle close; the order of work inside a step is the fill model of
// engine.h. Everything that reaches money is a Decimal; candle prices enter through one conversion.
#include "backtest/engine.h"

#include <algorithm>
#include <map>
#include <stdexcept>

#include "strategy/exits.h"
#include "strategy/scan.h"
#include "strategy/signal_filters.h"
#include "strategy/sizing.h"
#include "strategy/universe.h"

namespace tradingd::backtest {
namespace {

using money::Decimal;
using money::Rounding;
using strategy::Direction;
constexpr std::int64_t kHourMs = 3'600'000;
constexpr std::int64_t kFundingEveryMs = 8 * kHourMs;
const Decimal kHundred = Decimal::from_int(100);

// Candle prices are doubles (indicator maths); as money they round to 8 places, Binance's finest price
// precision, which drops the float noise of generated or parsed prices and keeps every exchange tick exact.
Decimal price(double value) {
    return Decimal::from_double_rounded(value, 8, Rounding::half_even);
}

Decimal slipped(Decimal p, Decimal slip, bool buy) {
    const Decimal one = Decimal::from_int(1);
    return p.mul(buy ? one + slip : one - slip, buy ? Rounding::up : Rounding::down);
}

struct Position {
    Trade trade;  // entry fields filled in; exit fields at the close
    strategy::ExitPlan plan;
    Decimal margin;
    double best = 0;                     // best price since entry, for the trailing stop
    std::optional<Decimal> trail_level;  // armed trailing stop
    std::optional<Decimal> activation;   // none with trailing armed from the start
    double callback = 0;                 // fraction, 0.01 = 1 %
};

struct Pending {
    strategy::Signal signal;
    strategy::PositionSize size;
};

struct Series {
    const SymbolHistory* history = nullptr;
    std::size_t next = 0;                     // the first candle not yet appended to the scan window
    std::optional<strategy::Candle> current;  // the candle that closed at this step
    double last_close = 0;
};

class Replay {
  public:
    Replay(const std::vector<SymbolHistory>& histories, const BacktestConfig& config,
           const std::atomic<bool>* cancel)
        : cfg_(config),
          cancel_(cancel),
          iv_(interval_ms(config.params.interval)),
          cash_(config.initial_equity) {
        for (const auto& h : histories) {
            for (std::size_t i = 1; i < h.candles.size(); ++i)
                if (h.candles[i].open_time_ms <= h.candles[i - 1].open_time_ms)
                    throw std::invalid_argument("backtest: candles of " + h.info.symbol +
                                                " are out of order");
            series_[h.info.symbol] = Series{&h, 0, std::nullopt, 0};
        }
        from_ = config.from_ms - config.from_ms % iv_;
        to_ = config.to_ms - config.to_ms % iv_;
        if (to_ <= from_) throw std::invalid_argument("backtest: the period is shorter than one candle");
        select(histories);
    }

    RawResult run() {
        // Warm-up: everything that closed by the first step's start is history, never traded.
        advance_windows(from_);
        for (std::int64_t close = from_ + iv_; close <= to_; close += iv_) {
            if (cancel_ && cancel_->load()) throw Cancelled();
            step(close);
        }
        return std::move(out_);
    }

  private:
    void select(const std::vector<SymbolHistory>& histories) {
        std::vector<exchange::SymbolInfo> infos;
        std::vector<exchange::Ticker24h> tickers;
        for (const auto& h : histories) {
            infos.push_back(h.info);
            exchange::Ticker24h t;
            t.symbol = h.info.symbol;
            for (const auto& c : h.candles)
                if (c.open_time_ms >= from_ - 24 * kHourMs && c.open_time_ms < from_)
                    t.quote_volume += c.quote_volume;
            tickers.push_back(t);
        }
        universe_ = strategy::select_universe(infos, tickers, cfg_.params);
        for (const auto& m : universe_.members) out_.universe.push_back(m.info.symbol);
    }

    // Appends to each scan window the candles that closed by `close` (and are not after it), keeping the
    // window short: only the last lookback_candles are ever scored.
    void advance_windows(std::int64_t close) {
        const std::size_t keep = static_cast<std::size_t>(cfg_.params.lookback_candles);
        for (auto& [symbol, s] : series_) {
            s.current.reset();
            const auto& candles = s.history->candles;
            auto& window = windows_[symbol];
            while (s.next < candles.size() && candles[s.next].open_time_ms + iv_ <= close) {
                const auto& c = candles[s.next++];
                window.push_back(c);
                if (c.open_time_ms == close - iv_) s.current = c;
                s.last_close = c.close;
            }
            if (window.size() > 2 * keep)
                window.erase(window.begin(), window.end() - static_cast<long>(keep));
        }
    }

    void step(std::int64_t close) {
        advance_windows(close);
        fill_pending(close);
        for (auto it = open_.begin(); it != open_.end();) {
            if (check_exits(it->second, close)) {
                it = open_.erase(it);
            } else {
                ++it;
            }
        }
        if (close % kFundingEveryMs == 0) charge_funding();
        for (const auto& [symbol, s] : series_)
            if (s.current) ++out_.candles;
        const Decimal eq = equity();
        if (close >= to_) {
            for (auto& [symbol, p] : open_)
                close_position(p, close, price(series_[symbol].last_close), "end_of_test");
            open_.clear();
            out_.equity.push_back({close, cash_});
            return;
        }
        out_.equity.push_back({close, eq});
        decide(close, eq);
    }

    void fill_pending(std::int64_t close) {
        for (auto& [symbol, pending] : pending_) {
            const Series& s = series_[symbol];
            if (!s.current) continue;  // no candle to fill on: the entry never happens
            const bool is_long = pending.signal.direction == Direction::long_side;
            const Decimal fill = slipped(price(s.current->open), cfg_.fills.slippage_rate, is_long);
            const auto& info = s.history->info;
            const auto plan =
                strategy::plan_exits(info, pending.signal.direction, fill, pending.size.quantity,
                                     pending.signal.indicators.atr14, close - iv_, cfg_.params);
            if (!plan) continue;  // no valid protection: a bot would not hold it either
            Position p;
            p.trade.symbol = symbol;
            p.trade.direction = pending.signal.direction;
            p.trade.score = pending.signal.score;
            p.trade.leverage = pending.size.leverage;
            p.trade.quantity = pending.size.quantity;
            p.trade.entry_time_ms = close - iv_;
            p.trade.entry_price = fill;
            p.plan = *plan.plan;
            const Decimal notional = fill.mul(p.trade.quantity, Rounding::up);
            p.margin = notional.div(Decimal::from_int(p.trade.leverage), Rounding::up);
            p.trade.fees = notional.mul(cfg_.fills.taker_fee_rate, Rounding::up)
                               .round_to_step(Decimal::parse("0.00000001"), Rounding::up);
            cash_ -= p.trade.fees;
            p.best = s.current->open;
            if (p.plan.trailing) {
                p.activation = p.plan.trailing->activation_price;
                p.callback = p.plan.trailing->callback_rate.to_double() / 100.0;
                if (!p.activation) p.trail_level = trail_from(p, p.best);
            }
            last_activity_[symbol] = close - iv_;
            open_.emplace(symbol, std::move(p));
        }
        pending_.clear();
    }

    Decimal trail_from(const Position& p, double best) const {
        const bool is_long = p.trade.direction == Direction::long_side;
        return price(is_long ? best * (1 - p.callback) : best * (1 + p.callback));
    }

    // True when the position closed on this candle.
    bool check_exits(Position& p, std::int64_t close) {
        const Series& s = series_[p.trade.symbol];
        if (!s.current) return time_stop(p, close, s);
        const auto& c = *s.current;
        const bool is_long = p.trade.direction == Direction::long_side;
        Decimal stop = p.plan.stop_loss;
        bool trailing = false;
        if (p.trail_level && (is_long ? *p.trail_level > stop : *p.trail_level < stop)) {
            stop = *p.trail_level;
            trailing = true;
        }
        const Decimal open = price(c.open), low = price(c.low), high = price(c.high);
        const char* stop_reason = trailing ? "trailing_stop" : "stop_loss";
        if (is_long ? low <= stop : high >= stop) {
            const bool gap = is_long ? open <= stop : open >= stop;
            close_position(p, close, gap ? open : stop, stop_reason);
            return true;
        }
        const Decimal target = p.plan.take_profit;
        if (is_long ? high >= target : low <= target) {
            const bool gap = is_long ? open >= target : open <= target;
            close_position(p, close, gap ? open : target, "take_profit");
            return true;
        }
        if (p.plan.trailing) {
            p.best = is_long ? std::max(p.best, c.high) : std::min(p.best, c.low);
            const Decimal best = price(p.best);
            if (!p.trail_level &&
                (!p.activation || (is_long ? best >= *p.activation : best <= *p.activation)))
                p.trail_level = trail_from(p, p.best);
            else if (p.trail_level)
                p.trail_level = trail_from(p, p.best);
        }
        return time_stop(p, close, s);
    }

    bool time_stop(Position& p, std::int64_t close, const Series& s) {
        if (!strategy::time_stop_due(p.plan, close)) return false;
        close_position(p, close, price(s.last_close), "time_stop");
        return true;
    }

    void close_position(Position& p, std::int64_t close, Decimal level, const char* reason) {
        const bool is_long = p.trade.direction == Direction::long_side;
        Trade& t = p.trade;
        t.exit_time_ms = close;
        t.exit_price = slipped(level, cfg_.fills.slippage_rate, !is_long);
        t.exit_reason = reason;
        const Decimal exit_fee = t.exit_price.mul(t.quantity, Rounding::up)
                                     .mul(cfg_.fills.taker_fee_rate, Rounding::up)
                                     .round_to_step(Decimal::parse("0.00000001"), Rounding::up);
        t.fees += exit_fee;
        cash_ -= exit_fee;
        const Decimal move = is_long ? t.exit_price - t.entry_price : t.entry_price - t.exit_price;
        const Decimal gross = move.mul(t.quantity, Rounding::half_even);
        cash_ += gross;
        t.pnl = gross - t.fees - t.funding;
        t.return_pct = t.pnl.mul(kHundred, Rounding::half_even)
                           .div(p.margin, Rounding::half_even)
                           .round_to_step(Decimal::parse("0.01"), Rounding::half_even);
        last_activity_[t.symbol] = close;
        out_.trades.push_back(t);
    }

    void charge_funding() {
        for (auto& [symbol, p] : open_) {
            const Decimal notional =
                price(series_[symbol].last_close).mul(p.trade.quantity, Rounding::half_even);
            Decimal payment = notional.mul(cfg_.fills.funding_rate, Rounding::half_even)
                                  .round_to_step(Decimal::parse("0.00000001"), Rounding::half_even);
            if (p.trade.direction == Direction::short_side) payment = -payment;
            p.trade.funding += payment;
            cash_ -= payment;
        }
    }

    Decimal equity() {
        Decimal eq = cash_;
        for (const auto& [symbol, p] : open_) {
            const Decimal mark = price(series_[symbol].last_close);
            const Decimal move = p.trade.direction == Direction::long_side ? mark - p.trade.entry_price
                                                                           : p.trade.entry_price - mark;
            eq += move.mul(p.trade.quantity, Rounding::half_even);
        }
        return eq;
    }

    void decide(std::int64_t close, Decimal eq) {
        const strategy::ScanResult scan = strategy::scan_universe(universe_, windows_, cfg_.params, close);
        ++out_.scans;
        strategy::BotView bot;
        Decimal used;
        for (const auto& [symbol, p] : open_) {
            bot.open_symbols.push_back(symbol);
            used += p.margin;
        }
        bot.last_activity_ms.insert(last_activity_.begin(), last_activity_.end());
        bot.equity = eq;
        bot.available_margin = eq - used;
        bot.risk = cfg_.risk;
        const auto decisions = strategy::apply_bot_filters(scan, bot, cfg_.params);
        for (const std::size_t i : decisions.entries) {
            const auto& d = decisions.decisions[i];
            const Series& s = series_[d.symbol];
            if (!eq.is_positive() || s.last_close <= 0) continue;
            const auto sized =
                strategy::size_position(s.history->info, eq, cfg_.risk, price(s.last_close), cfg_.params);
            if (!sized) continue;
            pending_.emplace(d.symbol, Pending{*d.signal, *sized.size});
        }
    }

    const BacktestConfig& cfg_;
    const std::atomic<bool>* cancel_;
    std::int64_t iv_;
    std::int64_t from_ = 0;
    std::int64_t to_ = 0;
    Decimal cash_;
    strategy::Universe universe_;
    std::map<std::string, Series, std::less<>> series_;
    strategy::CandlesBySymbol windows_;
    std::map<std::string, Position> open_;
    std::map<std::string, Pending> pending_;
    std::map<std::string, exchange::TimeMs> last_activity_;
    RawResult out_;
};

}  // namespace

std::int64_t interval_ms(exchange::Interval interval) {
    using I = exchange::Interval;
    constexpr std::int64_t m = 60'000;
    switch (interval) {
        case I::m1:
            return m;
        case I::m3:
            return 3 * m;
        case I::m5:
            return 5 * m;
        case I::m15:
            return 15 * m;
        case I::m30:
            return 30 * m;
        case I::h1:
            return 60 * m;
        case I::h2:
            return 120 * m;
        case I::h4:
            return 240 * m;
        case I::h6:
            return 360 * m;
        case I::h8:
            return 480 * m;
        case I::h12:
            return 720 * m;
        case I::d1:
            return 1440 * m;
        case I::d3:
            return 3 * 1440 * m;
        default:
            break;
    }
    throw std::invalid_argument("backtest: interval " + std::string(exchange::interval_name(interval)) +
                                " is not supported (weeks and months have no fixed length here)");
}

RawResult run(const std::vector<SymbolHistory>& histories, const BacktestConfig& config,
              const std::atomic<bool>* cancel) {
    if (auto problems = strategy::validate(config.params); !problems.empty())
        throw std::invalid_argument("strategy params: " + problems.front());
    if (auto problems = strategy::validate(config.risk); !problems.empty())
        throw std::invalid_argument("risk settings: " + problems.front());
    if (config.from_ms >= config.to_ms)
        throw std::invalid_argument("backtest: the period is empty (from >= to)");
    if (!config.initial_equity.is_positive())
        throw std::invalid_argument("backtest: initial equity must be above 0");
    return Replay(histories, config, cancel).run();
}

}  // namespace tradingd::backtest
