// start(): the journal's pending and open positions against the exchange's positions and open orders. The
// exchange is the source of truth for what is held; the journal for which of our orders may exist.
#include "bot/bot_impl.h"
#include "strategy/indicators.h"
#include "strategy/scan.h"

namespace tradingd::bot {

using exchange::Leg;
using exchange::OrderKind;

namespace {

std::string pos_label(const PositionRecord& p) {
    return "position " + std::to_string(p.id) + " (" + p.symbol + ")";
}

}  // namespace

bool ExchangeUnavailable::transient() const {
    switch (error_.outcome) {
        case exchange::Outcome::rate_limited:
        case exchange::Outcome::ip_banned:
        case exchange::Outcome::unavailable:
        case exchange::Outcome::unknown_status:  // a read that timed out: nothing to look up, just read again
        case exchange::Outcome::timestamp:
            return true;
        default:  // a bad key, a missing permission, a refusal: waiting will not change the answer
            return false;
    }
}

std::optional<double> Bot::Impl::atr_from_klines(const std::string& symbol) {
    const auto missing = [&](const std::string& why) -> std::optional<double> {
        error_event("adopt", symbol + ": no ATR for the adopted position (" + why +
                                 "); its stop-loss/take-profit are placed after the next scan");
        return std::nullopt;
    };
    if (!settings.klines) return missing("no klines source");
    auto klines = settings.klines(symbol);
    if (!klines) return missing("klines unavailable: " + klines.error().describe());
    // The scanner's window: candles closed by now, the last lookback_candles of them, through the same
    // streaming ATR(14) the scoring runs, so the value equals the one the next scan would report.
    const TimeMs now = clock();
    std::vector<strategy::Candle> closed;
    for (const auto& k : *klines) {
        if (k.close_time >= now) break;
        closed.push_back(strategy::to_candle(k));
    }
    const auto lookback = static_cast<std::size_t>(std::max(settings.params.lookback_candles, 1));
    const std::size_t from = closed.size() > lookback ? closed.size() - lookback : 0;
    strategy::Atr atr(14);
    std::optional<double> value;
    for (std::size_t i = from; i < closed.size(); ++i) value = atr.update(closed[i]);
    if (!value) return missing(std::to_string(closed.size()) + " closed candles are too few for ATR(14)");
    if (!(*value > 0)) return missing("ATR(14) is not above 0");
    return value;
}

ReconcileReport Bot::Impl::reconcile(std::vector<PositionRecord> from_daemon,
                                     ActivityBySymbol recent_activity) {
    if (!settings.exchange_info) throw BotError("no exchange information source configured");
    auto info = settings.exchange_info();
    if (!info) throw ExchangeUnavailable("exchange information unavailable", info.error());
    symbols.clear();
    for (auto& s : *info) symbols.emplace(s.symbol, std::move(s));
    auto positions = ex.positions();
    if (!positions) throw ExchangeUnavailable("exchange positions unavailable", positions.error());
    auto orders = ex.open_orders(std::nullopt);
    if (!orders) throw ExchangeUnavailable("exchange open orders unavailable", orders.error());

    ReconcileReport r;
    tracked.clear();
    // The store's memory of recent entries and closes; the open positions below add theirs.
    last_activity = std::move(recent_activity);
    leftover_cancels.clear();
    for (auto& p : from_daemon) {
        if (p.agent_id != settings.agent_id || p.id <= 0 ||
            (p.status != PositionStatus::pending && p.status != PositionStatus::open))
            continue;
        last_activity[p.symbol] = std::max(last_activity[p.symbol], p.opened_at_ms);
        tracked[p.id] = std::move(p);
    }
    std::map<std::string, exchange::PositionInfo> held;
    for (const auto& x : *positions)
        if (!x.amount.is_zero()) held[x.symbol] = x;

    // 1. Pending entries: their entry order, by its id, says whether a position exists.
    each_tracked([&](PositionRecord& p) {
        if (p.status != PositionStatus::pending) return;
        const std::string label = pos_label(p);
        if (!resolve_pending(p, false)) {
            ++r.cancelled_pending;
            r.details.push_back(label + ": entry never filled, cancelled");
        } else if (p.status == PositionStatus::open) {
            ++r.filled_pending;
            r.details.push_back(label + ": entry had filled, now open");
        } else {
            ++r.unknown;
            r.details.push_back(label + ": entry still unresolved, asking again on the next poll");
        }
    });

    // 2. Our open orders that no tracked position needs (an old attempt, a position closed or cancelled
    // meanwhile) go first: a stale closePosition stop would close the next position on its symbol.
    std::set<std::string> needed;
    for (const auto& [id, p] : tracked) {
        if (p.attempts.entry) needed.insert(client_id(p, Leg::entry, p.attempts.entry));
        if (p.attempts.stop_loss) needed.insert(client_id(p, Leg::stop_loss, p.attempts.stop_loss));
        if (p.attempts.take_profit) needed.insert(client_id(p, Leg::take_profit, p.attempts.take_profit));
        if (p.attempts.trailing) needed.insert(client_id(p, Leg::exit, p.attempts.trailing));
        if (p.attempts.exit) needed.insert(client_id(p, Leg::exit, p.attempts.exit));
    }
    for (const auto& o : *orders) {
        auto parts = exchange::parse_client_order_id(o.client_order_id);
        if (!parts || parts->agent_id != static_cast<std::uint64_t>(settings.agent_id)) continue;
        if (needed.count(o.client_order_id)) continue;
        auto c = ex.cancel_order(o.symbol, o.client_order_id, o.kind);
        if (c) {
            ++r.stale_cancelled;
            r.details.push_back("stale order " + o.client_order_id + " on " + o.symbol + " cancelled");
        } else if (c.outcome() != exchange::Outcome::unknown_order) {
            leftover_cancels.insert({o.symbol, o.client_order_id});
        }
    }

    // 3. Open positions: still held (restore, re-arm, time stop) or flat (closed while we were away).
    each_tracked([&](PositionRecord& p) {
        if (p.status != PositionStatus::open) return;
        const std::string label = pos_label(p);
        auto it = held.find(p.symbol);
        if (it == held.end()) {
            if (auto done = close_from_exchange(p)) {
                ++r.closed;
                r.details.push_back(label + ": flat on the exchange, closed (" + done->close_reason + ")");
            }
            return;
        }
        ++r.restored;
        // Adopted at an earlier start without an ATR (no klines then) and no scan since: try again now.
        if (p.atr_at_entry.empty() && p.close_reason.empty())
            if (auto atr = atr_from_klines(p.symbol)) {
                p.atr_at_entry = atr_text(*atr);
                set_exit_prices(p);
                save(p);
            }
        int placed = 0;
        poll_open(p, it->second, &placed);
        r.rearmed += placed;
        if (placed)
            r.details.push_back(label + ": " + std::to_string(placed) + " protective order(s) re-armed");
    });

    // 4. Exchange positions nobody tracks: an entry that filled after its intent was given up, or a
    // position the user opened by hand. Policy decides: adopt (track and protect) or flatten.
    // Read again: step 3 may have closed positions (time stops, exits), and the first read would show them
    // as untracked.
    auto now_held = ex.positions();
    if (!now_held) throw ExchangeUnavailable("exchange positions unavailable", now_held.error());
    held.clear();
    for (const auto& x : *now_held)
        if (!x.amount.is_zero()) held[x.symbol] = x;
    std::set<std::string> covered;
    for (const auto& [id, p] : tracked) covered.insert(p.symbol);
    std::vector<std::int64_t> to_flatten;
    for (const auto& [symbol, x] : held) {
        if (covered.count(symbol)) continue;
        bool ours = false;
        for (const auto& o : *orders) {
            auto parts = exchange::parse_client_order_id(o.client_order_id);
            if (o.symbol == symbol && parts &&
                parts->agent_id == static_cast<std::uint64_t>(settings.agent_id))
                ours = true;
        }
        PositionRecord p;
        p.agent_id = settings.agent_id;
        p.symbol = symbol;
        p.direction =
            x.amount.is_negative() ? strategy::Direction::short_side : strategy::Direction::long_side;
        p.quantity = x.amount.abs();
        p.entry_price = x.entry_price;
        p.leverage = x.leverage > 0 ? x.leverage : settings.risk.leverage;
        p.opened_at_ms = clock();
        p.adopted = true;
        if (auto atr = last_atr.find(symbol); atr != last_atr.end()) p.atr_at_entry = atr_text(atr->second);
        if (p.atr_at_entry.empty() && settings.orphan_policy == OrphanPolicy::adopt)
            if (auto atr = atr_from_klines(symbol)) p.atr_at_entry = atr_text(*atr);
        set_exit_prices(p);
        p.id = journal.create_position(p);
        p.status = PositionStatus::open;
        journal.update_position(p);
        tracked[p.id] = p;
        const std::string who = ours ? "with our order ids" : "not opened by this bot";
        if (settings.orphan_policy == OrphanPolicy::adopt) {
            ++r.adopted;
            r.details.push_back("untracked " + x.amount.to_string() + " " + symbol + " (" + who +
                                ") adopted as position " + std::to_string(p.id));
            emit("position_opened", position_opened_payload(p));
            // Protected now, not a scan later: an orphan is by definition a position nobody guards.
            int placed = 0;
            if (!p.atr_at_entry.empty()) ensure_guards(tracked[p.id], &placed);
            r.rearmed += placed;
            if (placed)
                r.details.push_back("position " + std::to_string(p.id) + ": " + std::to_string(placed) +
                                    " protective order(s) placed");
        } else {
            ++r.flattened;
            r.details.push_back("untracked " + x.amount.to_string() + " " + symbol + " (" + who +
                                ") flattened as position " + std::to_string(p.id));
            start_exit(tracked[p.id], "flattened", x.amount);
            to_flatten.push_back(p.id);
        }
    }
    if (!to_flatten.empty()) poll_once();  // records the flattened ones closed

    started = true;
    stopped = false;
    const bool alarming = r.closed + r.adopted + r.flattened > 0;
    std::string summary = std::to_string(r.restored) + " restored, " + std::to_string(r.filled_pending) +
                          " entries filled, " + std::to_string(r.cancelled_pending) + " cancelled, " +
                          std::to_string(r.closed) + " closed while away, " + std::to_string(r.adopted) +
                          " adopted, " + std::to_string(r.flattened) + " flattened, " +
                          std::to_string(r.rearmed) + " protective orders re-armed, " +
                          std::to_string(r.stale_cancelled) + " stale orders cancelled";
    emit("reconcile", reconcile_payload(r),
         Notification{alarming ? "risk_alert" : "system", "Bot reconciled with the exchange", summary});
    return r;
}

}  // namespace tradingd::bot
