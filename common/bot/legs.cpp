// Orders by deterministic client order id: one request, then lookups by that id when its outcome is unknown,
// and the protective legs kept alive on the exchange. Every new attempt number is persisted before the order
// that carries it is sent, so after a crash a lookup by id always finds what may exist.
#include <cstdlib>
#include <stdexcept>

#include "bot/bot_impl.h"
#include "exchange/filters.h"

namespace tradingd::bot {

using exchange::Leg;
using exchange::OrderInfo;
using exchange::OrderKind;
using exchange::OrderRequest;
using exchange::OrderStatus;
using exchange::Outcome;

namespace {

std::uint32_t next_attempt(std::uint32_t a) {
    if (a >= exchange::kMaxAttempt) throw std::out_of_range("client order id attempts exhausted");
    return a + 1;
}

}  // namespace

std::uint32_t& attempt_of(PositionRecord& p, Guard g) {
    switch (g) {
        case Guard::stop_loss:
            return p.attempts.stop_loss;
        case Guard::take_profit:
            return p.attempts.take_profit;
        case Guard::trailing:
            return p.attempts.trailing;
    }
    throw std::logic_error("bad guard");
}

Leg leg_of(Guard g) {
    return g == Guard::stop_loss ? Leg::stop_loss : g == Guard::take_profit ? Leg::take_profit : Leg::exit;
}

std::string_view reason_of(Guard g) {
    return g == Guard::stop_loss ? "stop_loss" : g == Guard::take_profit ? "take_profit" : "trailing_stop";
}

bool order_is_live(const OrderInfo& o) {
    if (o.algo_status)
        return *o.algo_status == exchange::AlgoStatus::new_ ||
               *o.algo_status == exchange::AlgoStatus::triggering ||
               *o.algo_status == exchange::AlgoStatus::triggered;
    return o.status == OrderStatus::new_ || o.status == OrderStatus::partially_filled;
}

std::string Bot::Impl::client_id(const PositionRecord& p, Leg leg, std::uint32_t attempt) const {
    return exchange::make_client_order_id({.agent_id = static_cast<std::uint64_t>(settings.agent_id),
                                           .position_id = static_cast<std::uint64_t>(p.id),
                                           .leg = leg,
                                           .attempt = attempt});
}

const exchange::SymbolInfo* Bot::Impl::symbol_info(std::string_view symbol) const {
    auto it = symbols.find(symbol);
    return it == symbols.end() ? nullptr : &it->second;
}

OrderState Bot::Impl::lookup(const std::string& symbol, const std::string& id, OrderKind kind) {
    OrderState st;
    for (int i = 0; i < std::max(1, settings.max_lookups); ++i) {
        auto r = ex.query_order(symbol, id, kind);
        if (r) {
            st.known = Known::present;
            st.order = std::move(r).value();
            return st;
        }
        st.error = r.error();
        if (r.outcome() == Outcome::unknown_order) {
            st.known = Known::absent;
            return st;
        }
    }
    st.known = Known::unknown;
    return st;
}

OrderState Bot::Impl::place(const OrderRequest& request) {
    auto r = ex.place_order(request);
    if (r) return OrderState{Known::present, std::move(r).value(), std::nullopt};
    // A timeout, a 5xx or a duplicate id: the order may exist. Only its id can say; never send it twice.
    if (exchange::must_query_order(r.outcome()))
        return lookup(request.symbol, request.client_order_id, exchange::kind_of(request.type));
    return OrderState{Known::refused, {}, r.error()};
}

std::optional<strategy::ExitPlan> Bot::Impl::exit_plan(const PositionRecord& p) const {
    const auto* info = symbol_info(p.symbol);
    if (!info || p.atr_at_entry.empty() || !p.entry_price.is_positive() || !p.quantity.is_positive())
        return std::nullopt;
    char* end = nullptr;
    double atr = std::strtod(p.atr_at_entry.c_str(), &end);
    if (end == p.atr_at_entry.c_str()) return std::nullopt;
    auto r = strategy::plan_exits(*info, p.direction, p.entry_price, p.quantity, atr, p.opened_at_ms,
                                  settings.params);
    if (!r) return std::nullopt;
    return r.plan;
}

void Bot::Impl::set_exit_prices(PositionRecord& p) const {
    if (auto plan = exit_plan(p)) {
        p.stop_loss = plan->stop_loss;
        p.take_profit = plan->take_profit;
    }
}

bool Bot::Impl::ensure_guard(PositionRecord& p, Guard guard) {
    auto plan = exit_plan(p);
    if (!plan) return false;
    std::size_t index = guard == Guard::stop_loss ? 0 : guard == Guard::take_profit ? 1 : 2;
    if (index >= plan->orders.size()) return false;  // no trailing stop in this plan
    OrderRequest req = plan->orders[index];
    std::uint32_t& attempt = attempt_of(p, guard);
    const Leg leg = leg_of(guard);

    bool bump = attempt == 0;
    if (!bump) {
        auto st = lookup(p.symbol, client_id(p, leg, attempt), OrderKind::conditional);
        if (st.known == Known::unknown) return false;
        if (st.known == Known::present) {
            if (order_is_live(st.order)) return false;
            bump = true;  // cancelled, expired, rejected, or finished while the position is still open
        }
        // absent: never placed (the process died before sending it): send the same id now.
    }
    if (bump) {
        if (guard == Guard::trailing) {
            p.attempts.exit = next_attempt(p.attempts.exit);
            p.attempts.trailing = p.attempts.exit;
        } else {
            attempt = next_attempt(attempt);
        }
        save(p);
    }
    req.client_order_id = client_id(p, leg, attempt);
    auto st = place(req);
    if (st.known == Known::present) {
        note_order(p, leg, st.order);
        emit("order_placed", order_payload(p, leg, st.order));
        return true;
    }
    if (st.known != Known::refused) {
        log_event("protective order " + req.client_order_id + " has an unknown outcome; asking again later");
        return false;
    }
    OrderInfo shown;
    shown.symbol = p.symbol;
    shown.client_order_id = req.client_order_id;
    shown.side = req.side;
    shown.type = req.type;
    shown.stop_price = req.stop_price.value_or(exchange::Decimal{});
    shown.status = OrderStatus::rejected;
    emit("order_rejected", order_payload(p, leg, shown, &*st.error));
    // -2021: the price is already beyond the trigger, so the exit it guards is due now.
    if (st.error->code == -2021 && p.close_reason.empty()) {
        auto pos = ex.positions();
        if (pos)
            for (const auto& x : *pos)
                if (x.symbol == p.symbol && !x.amount.is_zero())
                    start_exit(p, std::string(reason_of(guard)), x.amount);
        return false;
    }
    if (alerted.insert({p.id, static_cast<int>(guard)}).second)
        emit("error", message_payload("message", st.error->describe(), "protective_order"),
             Notification{"risk_alert", "Protective order refused",
                          p.symbol + ": the exchange refused the " + std::string(reason_of(guard)) +
                              " order (" + st.error->describe() + "); the bot keeps trying."});
    return false;
}

void Bot::Impl::ensure_guards(PositionRecord& p, int* placed) {
    guards_checked_at[p.id] = clock();
    for (Guard g : {Guard::stop_loss, Guard::take_profit, Guard::trailing}) {
        if (!p.close_reason.empty()) return;  // an exit is under way: no new protective attempts
        if (ensure_guard(p, g) && placed) ++*placed;
    }
}

void Bot::Impl::cancel_guards(PositionRecord& p) {
    for (Guard g : {Guard::stop_loss, Guard::take_profit, Guard::trailing}) {
        std::uint32_t a = attempt_of(p, g);
        if (a == 0) continue;
        const Leg leg = leg_of(g);
        std::string id = client_id(p, leg, a);
        auto r = ex.cancel_order(p.symbol, id, OrderKind::conditional);
        if (r) {
            note_order(p, leg, *r);
            emit("order_cancelled", order_payload(p, leg, *r));
            continue;
        }
        if (r.outcome() == Outcome::unknown_order) continue;  // already gone (fired, cancelled, never sent)
        // Unknown: if it is still live, it must go later, or it would close the next position on the symbol.
        auto st = lookup(p.symbol, id, OrderKind::conditional);
        if (st.known == Known::absent || (st.known == Known::present && !order_is_live(st.order))) continue;
        leftover_cancels.insert({p.symbol, id});
        error_event("cancel_protective",
                    "could not cancel " + id + " (" + r.error().describe() + "); retrying on the next poll");
    }
}

void Bot::Impl::retry_leftover_cancels() {
    for (auto it = leftover_cancels.begin(); it != leftover_cancels.end();) {
        auto r = ex.cancel_order(it->first, it->second, OrderKind::conditional);
        if (r || r.outcome() == Outcome::unknown_order)
            it = leftover_cancels.erase(it);
        else
            ++it;
    }
}

bool Bot::Impl::start_exit(PositionRecord& p, std::string reason, exchange::Decimal amount) {
    p.attempts.exit = next_attempt(p.attempts.exit);
    p.close_reason = std::move(reason);
    save(p);
    return continue_exit(p, amount, /*known_absent=*/true);
}

bool Bot::Impl::continue_exit(PositionRecord& p, exchange::Decimal amount, bool known_absent) {
    const auto* info = symbol_info(p.symbol);
    if (!info) return false;
    if (!known_absent) {
        auto st = lookup(p.symbol, client_id(p, Leg::exit, p.attempts.exit), OrderKind::plain);
        if (st.known == Known::unknown) return false;
        if (st.known == Known::present) {
            if (st.order.status == OrderStatus::filled) return true;
            if (order_is_live(st.order)) return false;
            p.attempts.exit = next_attempt(p.attempts.exit);  // it ended without closing: a new attempt
            save(p);
        }
    }
    OrderRequest req;
    req.symbol = p.symbol;
    req.side = amount.is_positive() ? exchange::Side::sell : exchange::Side::buy;
    req.type = exchange::OrderType::market;
    req.quantity = exchange::round_quantity(*info, amount.abs(), req.type);
    req.reduce_only = true;
    req.client_order_id = client_id(p, Leg::exit, p.attempts.exit);
    auto st = place(req);
    if (st.known == Known::present) {
        note_order(p, Leg::exit, st.order);
        emit("order_placed", order_payload(p, Leg::exit, st.order));
        return st.order.status == OrderStatus::filled;
    }
    if (st.known == Known::refused)
        error_event("exit",
                    p.symbol + ": the " + p.close_reason + " exit was refused: " + st.error->describe());
    return false;
}

}  // namespace tradingd::bot
