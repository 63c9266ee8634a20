// The Bot's public calls, the journal wrappers every step persists through, and the scan path: per-bot
// filters on the exchange's balances, sizing, the intent persisted, then the entry by its client order id.
#include "bot/bot.h"

#include "bot/bot_impl.h"
#include "strategy/sizing.h"

namespace tradingd::bot {

using exchange::Leg;
using money::Rounding;

namespace {

bool per_bot_reason(strategy::Reason r) {
    return r == strategy::Reason::max_positions || r == strategy::Reason::already_in_position ||
           r == strategy::Reason::cooldown || r == strategy::Reason::insufficient_margin;
}

}  // namespace

void Bot::Impl::save(PositionRecord& p) {
    journal.update_position(p);
    auto& slot = tracked[p.id];
    if (&slot != &p) slot = p;
}

void Bot::Impl::note_order(const PositionRecord& p, Leg leg, const exchange::OrderInfo& o) {
    OrderRecord r;
    r.client_order_id = o.client_order_id;
    r.position_id = p.id;
    r.leg = leg;
    r.symbol = o.symbol.empty() ? p.symbol : o.symbol;
    r.side = o.side;
    r.type = o.type;
    r.status = o.status;
    r.algo_status = o.algo_status;
    r.quantity = o.orig_qty;
    if (o.price.is_positive()) r.price = o.price;
    if (o.stop_price.is_positive()) r.stop_price = o.stop_price;
    r.filled_quantity = o.executed_qty;
    if (o.avg_price.is_positive()) r.average_price = o.avg_price;
    if (o.order_id)
        r.exchange_order_id = o.order_id;
    else if (o.algo_id)
        r.exchange_order_id = o.algo_id;
    r.reduce_only = o.reduce_only;
    r.close_position = o.close_position;
    r.updated_at_ms = clock();
    journal.record_order(r);
}

void Bot::Impl::emit(std::string kind, std::string payload, std::optional<Notification> notify) {
    try {
        journal.event(Event{std::move(kind), std::move(payload), std::move(notify)});
    } catch (const std::exception&) {
        // Best effort by contract: an event lost with a broken socket must not stop an order flow.
    }
}

void Bot::Impl::error_event(std::string_view where, std::string_view message) {
    emit("error", message_payload("message", message, where));
}

void Bot::Impl::log_event(std::string message) {
    emit("log", message_payload("message", message));
}

DecisionLine Bot::Impl::enter(const strategy::Signal& signal, std::int64_t scan_id, exchange::Decimal equity,
                              bool* entered) {
    *entered = false;
    DecisionLine line{signal.symbol, std::string(strategy::direction_name(signal.direction)), "",
                      signal.score, 0};
    auto refuse = [&](std::string code, std::string detail) {
        line.what = std::move(code);
        line.detail = std::move(detail);
        return line;
    };
    // One-way mode nets every position on a symbol into one: a second would silently merge with the first.
    for (const auto& [id, p] : tracked)
        if (p.symbol == signal.symbol) return refuse("already_in_position", "a position on it is tracked");
    // A protective order of an earlier position that could not be cancelled would act on the new one.
    auto stale_here = [&] {
        for (const auto& [symbol, id] : leftover_cancels)
            if (symbol == signal.symbol) return true;
        return false;
    };
    if (stale_here()) retry_leftover_cancels();
    if (stale_here()) return refuse("stale_orders", "an earlier position's order on it is not cancelled yet");
    const auto* info = symbol_info(signal.symbol);
    if (!info || !info->trading()) return refuse("exchange_filter", signal.symbol + " is not trading");
    if (!(signal.indicators.close > 0)) return refuse("exchange_filter", "no reference price");
    const auto price =
        exchange::Decimal::from_double_rounded(signal.indicators.close, 12, Rounding::half_even);
    auto sizing = strategy::size_position(*info, equity, settings.risk, price, settings.params);
    if (!sizing) return refuse(std::string(strategy::refusal_code(*sizing.refusal)), sizing.message);

    PositionRecord p;
    p.agent_id = settings.agent_id;
    p.symbol = signal.symbol;
    p.direction = signal.direction;
    p.quantity = sizing.size->quantity;
    p.entry_price = price;
    p.leverage = sizing.size->leverage;
    p.score = signal.score;
    p.atr_at_entry = atr_text(signal.indicators.atr14);
    p.opened_at_ms = clock();
    p.attempts.entry = 1;
    p.scan_id = scan_id;
    p.id = journal.create_position(p);  // durable before anything reaches the exchange
    PositionRecord& q = tracked[p.id] = p;
    last_activity[p.symbol] = p.opened_at_ms;
    line.position_id = p.id;
    const std::int64_t id = p.id;

    auto margin = ex.set_margin_type(q.symbol, settings.margin_type);
    auto leverage = margin ? ex.set_leverage(q.symbol, q.leverage)
                           : exchange::Result<exchange::LeverageInfo>(margin.error());
    if (!leverage) {
        cancel_position(q, "entry_rejected");
        return refuse("exchange_refused", "margin type / leverage: " + leverage.error().describe());
    }
    auto req = strategy::entry_order(*info, q.direction, q.quantity);
    req.client_order_id = client_id(q, Leg::entry, q.attempts.entry);
    auto st = place(req);
    if (st.known == Known::refused) {
        exchange::OrderInfo shown;
        shown.client_order_id = req.client_order_id;
        shown.side = req.side;
        shown.status = exchange::OrderStatus::rejected;
        emit("order_rejected", order_payload(q, Leg::entry, shown, &*st.error));
        std::string why = st.error->describe();
        cancel_position(q, "entry_rejected");
        return refuse("exchange_refused", why);
    }
    *entered = true;
    line.detail = q.quantity.to_string();
    if (st.known != Known::present) {
        log_event("entry " + req.client_order_id + " has an unknown outcome; resolving it by its id");
        return line;
    }
    note_order(q, Leg::entry, st.order);
    emit("order_placed", order_payload(q, Leg::entry, st.order));
    if (!resolve_pending(q, false)) {  // looks the order up again: filled, resting, or ended unfilled
        *entered = false;
        return refuse("entry_not_filled", "the entry order ended without a fill");
    }
    if (tracked.count(id) && q.status == PositionStatus::open) ensure_guards(q);
    return line;
}

void Bot::Impl::scan(const strategy::ScanResult& scan, std::int64_t scan_id) {
    for (const auto& row : scan.rows)
        if (row.signal && row.signal->indicators.atr14 > 0)
            last_atr[row.symbol] = row.signal->indicators.atr14;
    // An adopted position start() could not price exits for (no klines) gets them from this scan's ATR.
    each_tracked([&](PositionRecord& p) {
        if (p.status != PositionStatus::open || !p.atr_at_entry.empty() || !last_atr.count(p.symbol)) return;
        p.atr_at_entry = atr_text(last_atr[p.symbol]);
        set_exit_prices(p);
        save(p);
        ensure_guards(p);
    });
    auto balances = ex.balances();
    if (!balances) {
        error_event("scan", "balances unavailable, scan " + std::to_string(scan_id) +
                                " skipped: " + balances.error().describe());
        return;
    }
    strategy::BotView view;
    for (const auto& b : *balances)
        if (b.asset == settings.quote_asset) {
            view.equity = b.wallet_balance + b.unrealized_pnl;
            view.available_margin = b.available_balance;
        }
    for (const auto& [id, p] : tracked) view.open_symbols.push_back(p.symbol);
    view.last_activity_ms = last_activity;
    view.risk = settings.risk;
    auto decisions = strategy::apply_bot_filters(scan, view, settings.params);

    std::vector<DecisionLine> entries, refused;
    for (std::size_t index : decisions.entries) {
        const auto& d = decisions.decisions[index];
        bool entered = false;
        auto line = enter(*d.signal, scan_id, view.equity, &entered);
        (entered ? entries : refused).push_back(std::move(line));
    }
    for (const auto& d : decisions.decisions)
        if (d.signal && d.failure && per_bot_reason(d.failure->reason))
            refused.push_back({d.symbol, std::string(strategy::reason_code(d.failure->reason)),
                               d.failure->detail, d.signal->score, 0});
    emit("decision", decision_payload(scan_id, entries, refused, decisions.decisions.size()));
}

// ---- public ----

namespace {

// Deduced, not named: Bot::Impl is private to Bot.
template <class Impl, class F>
auto guarded(Impl& impl, const char* where, F&& f) {
    if (impl.halted) throw JournalError("the bot stopped trading after a journal failure");
    try {
        return f();
    } catch (const JournalError& e) {
        impl.halted = true;
        impl.error_event(where, std::string("journal failure, trading stopped: ") + e.what());
        throw;
    }
}

}  // namespace

Bot::Bot(BotSettings settings, exchange::Trading& trading, Journal& journal, std::function<TimeMs()> clock)
    : impl_(std::make_unique<Impl>(std::move(settings), trading, journal, std::move(clock))) {}

Bot::~Bot() = default;

ReconcileReport Bot::start(std::vector<PositionRecord> open_from_daemon, ActivityBySymbol recent_activity) {
    return guarded(*impl_, "start",
                   [&] { return impl_->reconcile(std::move(open_from_daemon), std::move(recent_activity)); });
}

void Bot::on_scan(const strategy::ScanResult& scan, std::int64_t scan_id) {
    guarded(*impl_, "scan", [&] {
        if (impl_->started && !impl_->stopped) impl_->scan(scan, scan_id);
    });
}

void Bot::poll() {
    guarded(*impl_, "poll", [&] {
        if (impl_->started && !impl_->stopped) impl_->poll_once();
    });
}

void Bot::stop(bool flatten) {
    guarded(*impl_, "stop", [&] {
        auto& i = *impl_;
        if (!i.started) return;
        i.stopped = true;
        i.each_tracked([&](PositionRecord& p) {
            if (p.status == PositionStatus::pending) i.resolve_pending(p, true);
        });
        if (!flatten) return;
        auto positions = i.ex.positions();
        if (!positions) {
            i.error_event("stop", "positions unavailable, not flattened: " + positions.error().describe());
            return;
        }
        i.each_tracked([&](PositionRecord& p) {
            if (p.status != PositionStatus::open) return;
            for (const auto& x : *positions)
                if (x.symbol == p.symbol && !x.amount.is_zero()) {
                    if (p.close_reason.empty())
                        i.start_exit(p, "flattened", x.amount);
                    else
                        i.continue_exit(p, x.amount);
                }
        });
        i.poll_once();  // records the flattened positions closed and cancels their protective orders
    });
}

std::vector<PositionRecord> Bot::positions() const {
    std::vector<PositionRecord> out;
    for (const auto& [id, p] : impl_->tracked) out.push_back(p);
    return out;
}

bool Bot::halted() const {
    return impl_->halted;
}

}  // namespace tradingd::bot
