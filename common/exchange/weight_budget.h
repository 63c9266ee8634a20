// WeightBudget: the process's one account of Binance's per-IP request weight and per-account order counts.
// Every request reserves its weight here first, and every reply corrects the account from its headers.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "exchange/result.h"
#include "exchange/types.h"
#include "util/guarded.h"

namespace tradingd::exchange {

// Wall-clock milliseconds and a way to wait. Binance's weight windows are calendar minutes, so this is
// wall time, not a steady clock. Tests substitute a manual clock whose sleep just advances it.
class BudgetClock {
  public:
    virtual ~BudgetClock() = default;
    virtual TimeMs now_ms() const = 0;
    virtual void sleep_for(std::chrono::milliseconds duration) = 0;
};
std::shared_ptr<BudgetClock> system_budget_clock();

struct WeightLimits {
    int ip_weight_per_minute = 2400;  // REQUEST_WEIGHT; read the real value from exchangeInfo.rateLimits
    // Normal calls (the scanner) stop at this share of the limit; essential ones (order queries and cancels
    // that protect open positions) may use the rest, so a busy scan never locks a bot out of its stops.
    int normal_share_percent = 90;
    int orders_per_10s = 300;  // ORDERS, per account
    int orders_per_minute = 1200;
    std::chrono::milliseconds first_backoff{1000};  // first 429 pause when the reply has no Retry-After
    std::chrono::milliseconds max_backoff{120000};
    std::chrono::milliseconds default_ban{120000};  // 418 without Retry-After: Binance's shortest ban
};

enum class Priority { normal, essential };

// What one reply says about the limits; built by the client from the status and the X-MBX-* headers.
struct RateObservation {
    int http_status = 0;
    std::optional<int> code;  // Binance's code: -1003 is the IP limit, -1015 the account's order limit
    std::optional<int> used_weight_1m;
    std::optional<int> order_count_10s;
    std::optional<int> order_count_1m;
    std::optional<std::chrono::seconds> retry_after;
    TimeMs sent_at = 0;        // when the request was reserved: a header from an older minute is stale
    std::string_view account;  // whose order counts these are; empty for market data
};

struct BudgetSnapshot {
    int used_this_minute = 0;  // our estimate: reserved here, raised to what the headers report
    int limit = 0;
    TimeMs paused_until = 0;  // after a 429
    TimeMs banned_until = 0;  // after a 418
    int consecutive_429 = 0;
    std::int64_t requests_reserved = 0;  // totals since construction
    std::int64_t weight_reserved = 0;
    std::int64_t refused = 0;
    std::int64_t waits = 0;
    std::optional<int> last_used_weight_header;
};

// Thread-safe; one per process (process_weight_budget()). Binance counts weight per IP, so separate
// processes on one host (the daemon's scanner, each bot's worker) each keep a budget and learn about the
// others' use from X-MBX-USED-WEIGHT-1M, which reports the whole IP's use on every reply.
class WeightBudget {
  public:
    explicit WeightBudget(WeightLimits limits = {},
                          std::shared_ptr<BudgetClock> clock = system_budget_clock());

    void set_limits(const WeightLimits& limits);
    WeightLimits limits() const;

    // Takes `weight` from this minute's budget, waiting up to `max_wait` for room. Refuses at once with
    // ip_banned during a 418 ban (every caller), and with rate_limited when the room would come later than
    // max_wait or while a 429 pause holds normal calls. The error's retry_after says when to try again.
    Result<void> reserve(int weight, Priority priority, std::chrono::milliseconds max_wait);
    // Same for one new order of `account` (orders cost no IP weight but count per account).
    Result<void> reserve_order(std::string_view account, std::chrono::milliseconds max_wait);

    // Feeds one reply back: raises the weight estimate to the header's, starts 429 backoff (exponential,
    // never shorter than Retry-After) or a 418 ban, and clears the backoff after a normal reply.
    void observe(const RateObservation& observation);

    BudgetSnapshot snapshot() const;
    TimeMs now_ms() const { return clock_->now_ms(); }

  private:
    struct AccountOrders {
        std::deque<TimeMs> sent;  // our own order reservations of the last minute
        std::optional<int> header_10s, header_1m;
        TimeMs header_at = 0;
        TimeMs paused_until = 0;  // after -1015
    };
    struct State {
        WeightLimits limits;
        std::int64_t window = -1;  // minute number of `used`
        int used = 0;
        TimeMs paused_until = 0;
        int consecutive_429 = 0;
        TimeMs banned_until = 0;
        std::map<std::string, AccountOrders, std::less<>> accounts;
        BudgetSnapshot totals;
    };
    // One look at the state: granted, or what would be refused and from when it could be granted
    // (retry_at 0: never, whatever the wait).
    struct Decision {
        bool granted = false;
        Outcome outcome = Outcome::rate_limited;
        TimeMs retry_at = 0;
        std::string why;
    };
    Decision try_weight(State& s, int weight, Priority priority, TimeMs now);
    Decision try_order(State& s, std::string_view account, TimeMs now);
    Result<void> wait_loop(std::chrono::milliseconds max_wait,
                           const std::function<Decision(State&, TimeMs)>& step);

    std::shared_ptr<BudgetClock> clock_;
    Guarded<State> state_;
};

// The one budget of this process, shared by every Binance client in it.
WeightBudget& process_weight_budget();

// A long exchange call shows that its process is alive: the Binance client calls note_progress() before
// each request it sends, and the budget at least once a second while it waits for room. A bot worker sets
// the hook to send its heartbeat, so the watchdog sees a worker waiting on the exchange as alive and one
// stuck inside a single request (at most exchange.request_timeout_ms) as silent. The hook runs only on the
// thread that set it (the worker's main thread owns its socket); elsewhere note_progress() does nothing.
void set_progress_hook(std::function<void()> hook);
void note_progress();

}  // namespace tradingd::exchange
