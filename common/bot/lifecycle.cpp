// A position's life after its intent: the entry resolved by its client id (filled, never placed, stale),
// opened with its exits planned, watched for exits the exchange executed, time-stopped, and closed with the
// exchange's own fill prices, PnL and fees from user trades.
#include "bot/bot_impl.h"

namespace tradingd::bot {

using exchange::Decimal;
using exchange::Leg;
using exchange::OrderInfo;
using exchange::OrderKind;
using exchange::OrderStatus;
using money::Rounding;

namespace {

constexpr TimeMs kHourMs = 3'600'000;
// User trades are read from a little before the entry's time: the exchange's clock and ours differ.
constexpr TimeMs kTradeWindowSlackMs = 60'000;

Decimal signed_quantity(const PositionRecord& p) {
    return p.direction == strategy::Direction::long_side ? p.quantity : -p.quantity;
}

}  // namespace

bool Bot::Impl::resolve_pending(PositionRecord& p, bool force_stale) {
    if (p.attempts.entry == 0) {  // an intent whose id was never formed: nothing can exist
        cancel_position(p, "entry_not_filled");
        return false;
    }
    const std::string id = client_id(p, Leg::entry, p.attempts.entry);
    auto st = lookup(p.symbol, id, OrderKind::plain);
    const TimeMs age = clock() - p.opened_at_ms;
    if (st.known == Known::unknown) return true;
    if (st.known == Known::absent) {
        // Binance may still execute a request that timed out until its recvWindow has passed.
        if (age < settings.unknown_grace_ms) return true;
        cancel_position(p, "entry_not_filled");
        return false;
    }
    OrderInfo o = st.order;
    if (order_is_live(o)) {
        if (!force_stale && age < settings.stale_entry_ms) return true;
        auto r = ex.cancel_order(p.symbol, id, OrderKind::plain);
        if (r) {
            o = *r;
        } else {
            auto again = lookup(p.symbol, id, OrderKind::plain);
            if (again.known != Known::present || order_is_live(again.order)) return true;
            o = again.order;
        }
        if (o.executed_qty.is_zero()) {
            note_order(p, Leg::entry, o);
            emit("order_cancelled", order_payload(p, Leg::entry, o));
            cancel_position(p, "entry_stale");
            return false;
        }
    }
    if (o.executed_qty.is_positive()) {
        apply_entry(p, o);
        return true;
    }
    note_order(p, Leg::entry, o);
    cancel_position(p, o.status == OrderStatus::rejected ? "entry_rejected" : "entry_not_filled");
    return false;
}

void Bot::Impl::apply_entry(PositionRecord& p, const OrderInfo& entry) {
    note_order(p, Leg::entry, entry);
    emit("order_filled", order_payload(p, Leg::entry, entry));
    open_position(p, entry);
}

void Bot::Impl::open_position(PositionRecord& p, const OrderInfo& entry) {
    p.status = PositionStatus::open;
    p.quantity = entry.executed_qty;
    p.entry_price = entry.avg_price.is_positive()
                        ? entry.avg_price
                        : entry.cum_quote.div(entry.executed_qty, Rounding::half_even);
    // The exchange's fill time: the time stop and the user-trade window count from it, even when the
    // fill is only discovered by a reconciliation long after.
    p.opened_at_ms = entry.update_time > 0 ? entry.update_time : clock();
    set_exit_prices(p);
    save(p);
    last_activity[p.symbol] = clock();
    emit("position_opened", position_opened_payload(p),
         Notification{"trade_open", "Position opened",
                      std::string(strategy::direction_name(p.direction)) + " " + p.quantity.to_string() +
                          " " + p.symbol + " at " + p.entry_price.to_string()});
}

void Bot::Impl::cancel_position(PositionRecord& p, std::string reason) {
    PositionRecord done = p;
    done.status = PositionStatus::cancelled;
    done.close_reason = std::move(reason);
    done.closed_at_ms = clock();
    journal.update_position(done);
    tracked.erase(done.id);
    emit("log", message_payload("message", "position " + std::to_string(done.id) + " (" + done.symbol +
                                               ") cancelled: " + done.close_reason));
}

std::optional<PositionRecord> Bot::Impl::close_from_exchange(PositionRecord& p) {
    // The sibling protective orders go first: left behind, a closePosition order would close the next
    // position opened on this symbol.
    cancel_guards(p);
    std::optional<std::int64_t> entry_order_id;
    if (p.attempts.entry > 0) {
        auto st = lookup(p.symbol, client_id(p, Leg::entry, p.attempts.entry), OrderKind::plain);
        // Without the entry's order id its fee and the boundary to earlier trades are unknown: ask later
        // rather than record a wrong PnL.
        if (st.known == Known::unknown) return std::nullopt;
        if (st.known == Known::present) entry_order_id = st.order.order_id;
    }
    exchange::TradeQuery q;
    q.symbol = p.symbol;
    q.start_time = p.opened_at_ms - kTradeWindowSlackMs;
    q.limit = 1000;
    auto trades = ex.user_trades(q);
    if (!trades) {
        error_event("close", p.symbol + ": user trades unavailable (" + trades.error().describe() +
                                 "); the close is recorded on the next poll");
        return std::nullopt;
    }
    const auto opening =
        p.direction == strategy::Direction::long_side ? exchange::Side::buy : exchange::Side::sell;
    Decimal fees, qty, quote, pnl;
    // `fees` is in the quote asset; a commission paid in another asset (BNB) cannot be added to it without
    // a price, so it is kept apart and reported instead of silently mis-added.
    std::map<std::string, Decimal> other_fees;
    auto add_fee = [&](const exchange::UserTrade& t) {
        if (t.commission_asset.empty() || t.commission_asset == settings.quote_asset)
            fees += t.commission;
        else
            other_fees[t.commission_asset] += t.commission;
    };
    std::int64_t last_entry_trade = 0;
    for (const auto& t : *trades)
        if (entry_order_id && t.order_id == *entry_order_id) {
            add_fee(t);
            last_entry_trade = std::max(last_entry_trade, t.id);
        }
    std::set<std::int64_t> closing_orders;
    for (const auto& t : *trades) {
        if (t.side == opening || t.id <= last_entry_trade) continue;
        add_fee(t);
        qty += t.qty;
        quote += t.quote_qty;
        pnl += t.realized_pnl;
        closing_orders.insert(t.order_id);
    }
    PositionRecord done = p;
    std::string reason = p.close_reason.empty() ? "closed_on_exchange" : p.close_reason;
    // Which protective order (if any) made the closing trades decides the reason.
    std::vector<std::pair<Guard, exchange::OrderInfo>> fired;
    for (Guard g : {Guard::stop_loss, Guard::take_profit, Guard::trailing}) {
        const std::uint32_t a = attempt_of(p, g);
        if (a == 0) continue;
        auto st = lookup(p.symbol, client_id(p, leg_of(g), a), OrderKind::conditional);
        if (st.known == Known::unknown) return std::nullopt;
        if (st.known == Known::present && st.order.order_id != 0 && closing_orders.count(st.order.order_id))
            fired.emplace_back(g, st.order);
    }
    for (const auto& [g, order] : fired) {
        note_order(p, leg_of(g), order);
        emit("order_filled", order_payload(p, leg_of(g), order));
        reason = std::string(reason_of(g));
    }
    done.status = PositionStatus::closed;
    done.close_reason = reason;
    done.closed_at_ms = clock();
    done.fees = fees;
    if (qty.is_positive()) {
        done.exit_price = quote.div(qty, Rounding::half_even);
        done.realized_pnl = pnl;
    }
    journal.update_position(done);
    tracked.erase(done.id);
    last_activity[done.symbol] = clock();
    for (const auto& [asset, amount] : other_fees)
        error_event("fees", "position " + std::to_string(done.id) + " (" + done.symbol + ") paid " +
                                amount.to_string() + " " + asset + " in commissions, not counted in its " +
                                settings.quote_asset + " fees");
    emit("position_closed", position_closed_payload(done),
         Notification{"trade_close", "Position closed",
                      done.symbol + " closed (" + reason + ")" +
                          (done.realized_pnl ? ", PnL " + done.realized_pnl->to_string() + " USDT" : "")});
    return done;
}

bool Bot::Impl::poll_open(PositionRecord& p, const std::optional<exchange::PositionInfo>& on_exchange,
                          int* placed) {
    if (!on_exchange || on_exchange->amount.is_zero()) {
        const auto id = p.id;  // p is gone once the close is recorded
        close_from_exchange(p);
        return tracked.count(id) > 0;
    }
    const Decimal amount = on_exchange->amount;
    const auto id = p.id;
    const int hours = settings.params.max_holding_hours;
    bool exited = false;
    if (!p.close_reason.empty())
        exited = continue_exit(p, amount);
    else if (hours > 0 && clock() >= p.opened_at_ms + hours * kHourMs)
        exited = start_exit(p, "time_stop", amount);
    if (exited) {
        close_from_exchange(p);
        return tracked.count(id) > 0;
    }
    if (!p.close_reason.empty()) return true;  // an exit is under way
    if (amount != signed_quantity(p)) {
        // Reduced by hand or by a partly filled exit: track what the exchange holds.
        log_event(p.symbol + ": exchange position " + amount.to_string() + " differs from the journal's " +
                  signed_quantity(p).to_string() + "; following the exchange");
        p.quantity = amount.abs();
        save(p);
    }
    // start() passes `placed` and always verifies; poll() only every guard_check_ms.
    if (placed || clock() - guards_checked_at[id] >= settings.guard_check_ms) ensure_guards(p, placed);
    return true;
}

void Bot::Impl::poll_once() {
    retry_leftover_cancels();
    auto positions = ex.positions();
    if (!positions) {
        error_event("poll", "positions unavailable: " + positions.error().describe());
        return;
    }
    std::map<std::string, exchange::PositionInfo> held;
    for (const auto& x : *positions) held[x.symbol] = x;
    each_tracked([&](PositionRecord& p) {
        if (p.status == PositionStatus::pending && !resolve_pending(p, false)) return;
        if (p.status != PositionStatus::open) return;
        auto it = held.find(p.symbol);
        poll_open(p, it == held.end() ? std::nullopt : std::optional(it->second));
    });
}

}  // namespace tradingd::bot
