// The budget's bookkeeping. It errs toward counting too much: an over-estimate costs a short wait until the
// minute rolls over, an under-estimate costs a 429 and, if repeated, a ban of the whole IP.
#include "exchange/weight_budget.h"

#include <algorithm>
#include <thread>

namespace tradingd::exchange {

namespace {

constexpr TimeMs kMinuteMs = 60'000;
constexpr TimeMs kTenSecondsMs = 10'000;
// Binance's minute follows its own clock. Starting our minute half a second late keeps a local clock that
// runs slightly ahead from spending the new minute's budget while the server still counts the old one.
constexpr TimeMs kRolloverGraceMs = 500;

std::int64_t window_of(TimeMs t) {
    return (t - kRolloverGraceMs) / kMinuteMs;
}
TimeMs window_start(std::int64_t window) {
    return window * kMinuteMs + kRolloverGraceMs;
}

class SystemClock final : public BudgetClock {
  public:
    TimeMs now_ms() const override {
        using namespace std::chrono;
        return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
    }
    void sleep_for(std::chrono::milliseconds duration) override { std::this_thread::sleep_for(duration); }
};

std::string seconds_text(TimeMs ms) {
    return std::to_string(ms / 1000) + "." + std::to_string((ms % 1000) / 100) + " s";
}

Error local_refusal(Outcome outcome, std::string message, TimeMs wait_ms) {
    Error e = local_error(outcome, "local weight budget: " + std::move(message));
    e.retry_after = std::chrono::milliseconds(std::max<TimeMs>(wait_ms, 0));
    return e;
}

}  // namespace

std::shared_ptr<BudgetClock> system_budget_clock() {
    static const auto clock = std::make_shared<SystemClock>();
    return clock;
}

WeightBudget::WeightBudget(WeightLimits limits, std::shared_ptr<BudgetClock> clock)
    : clock_(std::move(clock)) {
    state_.with([&](State& s) { s.limits = limits; });
}

void WeightBudget::set_limits(const WeightLimits& limits) {
    state_.with([&](State& s) { s.limits = limits; });
}

WeightLimits WeightBudget::limits() const {
    return state_.with([](const State& s) { return s.limits; });
}

WeightBudget::Decision WeightBudget::try_weight(State& s, int weight, Priority priority, TimeMs now) {
    const std::int64_t window = window_of(now);
    if (window != s.window) {
        s.window = window;
        s.used = 0;
    }
    if (s.banned_until > now) {
        return {false, Outcome::ip_banned, s.banned_until, "the IP is banned (HTTP 418)"};
    }
    if (priority == Priority::normal && s.paused_until > now) {
        return {false, Outcome::rate_limited, s.paused_until, "backing off after HTTP 429"};
    }
    const int cap = priority == Priority::essential
                        ? s.limits.ip_weight_per_minute
                        : s.limits.ip_weight_per_minute * s.limits.normal_share_percent / 100;
    if (weight > cap) {
        return {false, Outcome::rejected, 0,
                "a request of weight " + std::to_string(weight) + " can never fit in " + std::to_string(cap)};
    }
    if (s.used + weight > cap) {
        return {false, Outcome::rate_limited, window_start(window + 1),
                std::to_string(s.used) + " of " + std::to_string(cap) + " weight used this minute"};
    }
    s.used += weight;
    ++s.totals.requests_reserved;
    s.totals.weight_reserved += weight;
    return {true, Outcome::ok, 0, {}};
}

WeightBudget::Decision WeightBudget::try_order(State& s, std::string_view account, TimeMs now) {
    if (s.banned_until > now) {
        return {false, Outcome::ip_banned, s.banned_until, "the IP is banned (HTTP 418)"};
    }
    auto it = s.accounts.find(account);
    if (it == s.accounts.end()) it = s.accounts.emplace(std::string(account), AccountOrders{}).first;
    AccountOrders& a = it->second;
    while (!a.sent.empty() && a.sent.front() <= now - kMinuteMs) a.sent.pop_front();
    if (a.paused_until > now) {
        return {false, Outcome::rate_limited, a.paused_until, "the account hit its order limit (-1015)"};
    }

    // Our own count, raised to the exchange's when its header is recent enough to still apply.
    const auto first_within = [&](TimeMs span) {
        return std::find_if(a.sent.begin(), a.sent.end(), [&](TimeMs t) { return t > now - span; });
    };
    const auto check = [&](TimeMs span, int limit,
                           const std::optional<int>& header) -> std::optional<TimeMs> {
        const auto first = first_within(span);
        const int ours = static_cast<int>(std::distance(first, a.sent.end()));
        const bool header_fresh = header && a.header_at > now - span;
        if (std::max(ours, header_fresh ? *header : 0) < limit) return std::nullopt;
        // Room returns when the oldest counted order leaves the window.
        if (ours >= limit) return *first + span;
        return a.header_at + span;
    };
    if (auto at = check(kTenSecondsMs, s.limits.orders_per_10s, a.header_10s)) {
        return {false, Outcome::rate_limited, *at, "the account's 10-second order limit is reached"};
    }
    if (auto at = check(kMinuteMs, s.limits.orders_per_minute, a.header_1m)) {
        return {false, Outcome::rate_limited, *at, "the account's 1-minute order limit is reached"};
    }
    a.sent.push_back(now);
    return {true, Outcome::ok, 0, {}};
}

Result<void> WeightBudget::wait_loop(std::chrono::milliseconds max_wait,
                                     const std::function<Decision(State&, TimeMs)>& step) {
    const TimeMs deadline = clock_->now_ms() + max_wait.count();
    for (bool waited = false;; waited = true) {
        const TimeMs now = clock_->now_ms();
        const Decision d = state_.with([&](State& s) { return step(s, now); });
        if (d.granted) return {};
        if (d.retry_at == 0 || d.retry_at > deadline) {
            state_.with([](State& s) { ++s.totals.refused; });
            std::string why = d.why;
            if (d.retry_at != 0) why += "; room again in " + seconds_text(d.retry_at - now);
            return local_refusal(d.outcome, std::move(why), d.retry_at == 0 ? 0 : d.retry_at - now);
        }
        if (!waited) state_.with([](State& s) { ++s.totals.waits; });  // callers that waited, not slices
        // In slices of at most a second, showing progress between them: a long wait is not a hang.
        note_progress();
        clock_->sleep_for(std::chrono::milliseconds(std::clamp<TimeMs>(d.retry_at - now, 1, 1000)));
    }
}

Result<void> WeightBudget::reserve(int weight, Priority priority, std::chrono::milliseconds max_wait) {
    return wait_loop(max_wait, [&](State& s, TimeMs now) { return try_weight(s, weight, priority, now); });
}

Result<void> WeightBudget::reserve_order(std::string_view account, std::chrono::milliseconds max_wait) {
    return wait_loop(max_wait, [&](State& s, TimeMs now) { return try_order(s, account, now); });
}

void WeightBudget::observe(const RateObservation& o) {
    const TimeMs now = clock_->now_ms();
    state_.with([&](State& s) {
        const std::int64_t window = window_of(now);
        if (window != s.window) {
            s.window = window;
            s.used = 0;
        }
        if (o.used_weight_1m) {
            s.totals.last_used_weight_header = *o.used_weight_1m;
            // A reply to a request sent in the previous minute counts that minute's weight, not this one's.
            if (window_of(o.sent_at) == window) s.used = std::max(s.used, *o.used_weight_1m);
        }
        const TimeMs retry_ms = o.retry_after ? std::chrono::milliseconds(*o.retry_after).count() : 0;
        if (o.http_status == 418) {
            const TimeMs ban = retry_ms > 0 ? retry_ms : s.limits.default_ban.count();
            s.banned_until = std::max(s.banned_until, now + ban);
        } else if (o.http_status == 429 && o.code == -1015 && !o.account.empty()) {
            auto it = s.accounts.find(o.account);
            if (it == s.accounts.end())
                it = s.accounts.emplace(std::string(o.account), AccountOrders{}).first;
            it->second.paused_until =
                std::max(it->second.paused_until, now + (retry_ms > 0 ? retry_ms : kTenSecondsMs));
        } else if (o.http_status == 429) {
            ++s.consecutive_429;
            TimeMs backoff = s.limits.first_backoff.count();
            for (int i = 1; i < s.consecutive_429 && backoff < s.limits.max_backoff.count(); ++i)
                backoff *= 2;
            backoff = std::min<TimeMs>(backoff, s.limits.max_backoff.count());
            s.paused_until = std::max(s.paused_until, now + std::max(backoff, retry_ms));
        } else if (o.http_status > 0) {
            s.consecutive_429 = 0;
        }
        if (!o.account.empty() && (o.order_count_10s || o.order_count_1m)) {
            auto it = s.accounts.find(o.account);
            if (it == s.accounts.end())
                it = s.accounts.emplace(std::string(o.account), AccountOrders{}).first;
            it->second.header_10s = o.order_count_10s;
            it->second.header_1m = o.order_count_1m;
            it->second.header_at = now;
        }
    });
}

BudgetSnapshot WeightBudget::snapshot() const {
    const TimeMs now = clock_->now_ms();
    return state_.with([&](const State& s) {
        BudgetSnapshot out = s.totals;
        out.used_this_minute = window_of(now) == s.window ? s.used : 0;
        out.limit = s.limits.ip_weight_per_minute;
        out.paused_until = s.paused_until;
        out.banned_until = s.banned_until;
        out.consecutive_429 = s.consecutive_429;
        return out;
    });
}

namespace {

struct ProgressHook {
    std::function<void()> hook;
    std::thread::id owner;
};

ProgressHook& progress_hook() {
    static ProgressHook h;
    return h;
}

}  // namespace

void set_progress_hook(std::function<void()> hook) {
    progress_hook() = {std::move(hook), std::this_thread::get_id()};
}

void note_progress() {
    const ProgressHook& h = progress_hook();
    if (h.hook && h.owner == std::this_thread::get_id()) h.hook();
}

WeightBudget& process_weight_budget() {
    static WeightBudget budget;
    return budget;
}

}  // namespace tradingd::exchange
