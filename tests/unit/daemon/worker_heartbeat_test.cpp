// The worker's heartbeat while the bot is busy on the exchange: a worker making one slow call after another
// keeps sending heartbeats (HeartbeatTrading), so the supervisor's bots.heartbeat_timeout_s never takes it
// for hung; a worker stuck inside a single call goes silent and still is. Real socketpair, real WorkerLink.
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>
#include <vector>

#include "worker/heartbeat_trading.h"
#include "worker/line_channel.h"
#include "worker/worker_link.h"

using namespace tradingd;
using namespace std::chrono;
using Clock = steady_clock;

namespace {

// An exchange whose every call takes `delay` (a slow API, a request timing out) and holds nothing.
class SlowTrading final : public exchange::Trading {
  public:
    milliseconds delay{0};
    int calls = 0;

    exchange::Result<std::vector<exchange::Balance>> balances() override {
        return slow(empty<exchange::Balance>());
    }
    exchange::Result<std::vector<exchange::PositionInfo>> positions() override {
        return slow(empty<exchange::PositionInfo>());
    }
    exchange::Result<std::vector<exchange::OrderInfo>> open_orders(
        const std::optional<std::string>&) override {
        return slow(empty<exchange::OrderInfo>());
    }
    exchange::Result<exchange::OrderInfo> place_order(const exchange::OrderRequest&) override {
        return timeout<exchange::OrderInfo>();
    }
    exchange::Result<exchange::OrderInfo> query_order(const std::string&, const std::string&,
                                                      exchange::OrderKind) override {
        return timeout<exchange::OrderInfo>();
    }
    exchange::Result<exchange::OrderInfo> cancel_order(const std::string&, const std::string&,
                                                       exchange::OrderKind) override {
        return timeout<exchange::OrderInfo>();
    }
    exchange::Result<exchange::LeverageInfo> set_leverage(const std::string&, int) override {
        return timeout<exchange::LeverageInfo>();
    }
    exchange::Result<void> set_margin_type(const std::string&, exchange::MarginType) override {
        sleep();
        return exchange::local_error(exchange::Outcome::unknown_status, "request timed out");
    }
    exchange::Result<std::vector<exchange::UserTrade>> user_trades(const exchange::TradeQuery&) override {
        return slow(empty<exchange::UserTrade>());
    }

  private:
    template <class T>
    static exchange::Result<std::vector<T>> empty() {
        return std::vector<T>{};
    }
    template <class R>
    R slow(R r) {
        sleep();
        return r;
    }
    template <class T>
    exchange::Result<T> timeout() {
        sleep();
        return exchange::local_error(exchange::Outcome::unknown_status, "request timed out");
    }
    void sleep() {
        ++calls;
        std::this_thread::sleep_for(delay);
    }
};

// The daemon's end of the socketpair: when each heartbeat arrived.
class DaemonEnd {
  public:
    explicit DaemonEnd(int fd) : fd_(fd), reader_([this] { read(); }) {}
    ~DaemonEnd() {
        if (reader_.joinable()) reader_.join();
        ::close(fd_);
    }
    std::size_t count() {
        std::lock_guard lock(mutex_);
        return beats_.size();
    }
    // Every heartbeat, once the worker end has closed.
    std::vector<Clock::time_point> heartbeats_until_eof() {
        reader_.join();
        std::lock_guard lock(mutex_);
        return beats_;
    }

  private:
    void read() {
        worker::LineChannel in(::dup(fd_));
        try {
            for (;;) {
                auto msg = in.receive(seconds(30));
                if (!msg) return;
                if (msg->value("type", "") != "heartbeat") continue;
                std::lock_guard lock(mutex_);
                beats_.push_back(Clock::now());
            }
        } catch (const worker::ChannelClosed&) {
            // the worker end closed: the test is over
        }
    }

    int fd_;
    std::mutex mutex_;
    std::vector<Clock::time_point> beats_;
    std::thread reader_;
};

// The longest silence the daemon saw between `from` and `to` (heartbeats are the only messages here).
milliseconds longest_silence(const std::vector<Clock::time_point>& beats, Clock::time_point from,
                             Clock::time_point to) {
    milliseconds longest{0};
    Clock::time_point last = from;
    for (auto t : beats) {
        longest = std::max(longest, duration_cast<milliseconds>(t - last));
        last = t;
    }
    return std::max(longest, duration_cast<milliseconds>(to - last));
}

struct Run {
    std::vector<Clock::time_point> beats;
    Clock::time_point from, to;
    milliseconds silence() const { return longest_silence(beats, from, to); }
};

// Runs `work` on a worker link with a 100 ms heartbeat interval and returns what the daemon end saw.
template <class F>
Run run_worker(F&& work) {
    int fds[2];
    REQUIRE(::socketpair(AF_UNIX, SOCK_STREAM, 0, fds) == 0);
    DaemonEnd daemon(fds[1]);
    Run run;
    {
        worker::LineChannel channel(fds[0]);
        worker::WorkerLink link(channel, milliseconds(100));
        link.heartbeat_if_due();  // the loop's last heartbeat before the scan arrived
        for (int i = 0; i < 200 && daemon.count() == 0; ++i) std::this_thread::sleep_for(milliseconds(5));
        REQUIRE(daemon.count() == 1);
        run.from = Clock::now();
        work(link);
        run.to = Clock::now();
    }  // the worker end closes; the reader sees EOF
    for (auto t : daemon.heartbeats_until_eof())
        if (t > run.from) run.beats.push_back(t);  // the ones sent during the work
    return run;
}

// A scan's worth of order flow: sizing reads, margin, leverage, the entry, and lookups after timeouts.
void order_flow(exchange::Trading& t) {
    (void)t.balances();
    for (int i = 0; i < 2; ++i) {
        (void)t.set_margin_type("BTCUSDT", exchange::MarginType::isolated);
        (void)t.set_leverage("BTCUSDT", 3);
        (void)t.place_order({});
        (void)t.query_order("BTCUSDT", "td1-7-1-e1", exchange::OrderKind::plain);
        (void)t.positions();
    }
}

}  // namespace

TEST_CASE("a worker busy with slow exchange calls keeps its heartbeat; one stuck in a call goes silent",
          "[worker]") {
    // Scaled down: heartbeat interval 100 ms, each call 200 ms, "heartbeat timeout" 600 ms. Eleven calls in
    // a row take 2.2 s, far past the timeout, without ever returning to the worker loop.
    const milliseconds timeout(600);
    SlowTrading slow;
    slow.delay = milliseconds(200);

    SECTION("through HeartbeatTrading the longest silence is one call plus one interval") {
        auto run = run_worker([&](worker::WorkerLink& link) {
            worker::HeartbeatTrading beating(slow, link);
            order_flow(beating);
        });
        CHECK(slow.calls == 11);
        CHECK(run.to - run.from >= milliseconds(2200));
        CHECK(run.beats.size() >= 10);  // one before each call (the interval is shorter than a call)
        CHECK(run.silence() < timeout);
    }
    SECTION("without it the daemon hears nothing for the whole flow (the false 'hung')") {
        auto run = run_worker([&](worker::WorkerLink&) { order_flow(slow); });
        CHECK(run.beats.empty());
        CHECK(run.silence() >= timeout);
    }
    SECTION("a single call stuck past the timeout is still silence the watchdog sees") {
        slow.delay = milliseconds(1500);
        auto run = run_worker([&](worker::WorkerLink& link) {
            worker::HeartbeatTrading beating(slow, link);
            (void)beating.positions();
        });
        CHECK(run.silence() >= milliseconds(1500));
    }
}

TEST_CASE("progress() after the daemon closed its end does not break the order flow", "[worker]") {
    int fds[2];
    REQUIRE(::socketpair(AF_UNIX, SOCK_STREAM, 0, fds) == 0);
    ::close(fds[1]);
    worker::LineChannel channel(fds[0]);
    worker::WorkerLink link(channel, milliseconds(0));
    SlowTrading slow;
    worker::HeartbeatTrading beating(slow, link);
    CHECK(beating.positions().ok());  // the heartbeat failed silently; the call itself ran
    CHECK(slow.calls == 1);
    CHECK_THROWS_AS(link.heartbeat_if_due(), worker::ChannelClosed);
}
