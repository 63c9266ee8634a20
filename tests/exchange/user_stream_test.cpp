// UserStream against a real fake-binance: events arrive typed and agree with REST, a dropped connection or an
// expired listenKey is survived with a resync, keepalives are sent, and stop() is prompt.
#include <catch2/catch.hpp>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "client_fixture.h"
#include "exchange/user_stream.h"

namespace tradingd::test {
namespace {

using namespace std::chrono;
using exchange::UserStreamEvent;

// Collects what the stream delivers; waits for a matching event.
class Inbox {
  public:
    void push(const UserStreamEvent& e) {
        std::lock_guard lock(mutex_);
        events_.push_back(e);
        cv_.notify_all();
    }
    template <class T, class Pred>
    std::optional<T> wait_for(Pred pred, milliseconds timeout = milliseconds(5000)) {
        std::unique_lock lock(mutex_);
        std::optional<T> found;
        cv_.wait_for(lock, timeout, [&] {
            for (; seen_ < events_.size(); ++seen_) {
                const T* e = std::get_if<T>(&events_[seen_]);
                if (e && pred(*e)) {
                    found = *e;
                    ++seen_;
                    return true;
                }
            }
            return false;
        });
        return found;
    }
    int resyncs() {
        std::lock_guard lock(mutex_);
        int n = 0;
        for (const auto& e : events_) n += std::holds_alternative<exchange::StreamResync>(e);
        return n;
    }

  private:
    std::mutex mutex_;
    std::condition_variable cv_;
    std::vector<UserStreamEvent> events_;
    std::size_t seen_ = 0;
};

struct StreamFixture : Clients {
    explicit StreamFixture(milliseconds keepalive = minutes(30)) {
        exchange::UserStreamSettings s;
        s.stream_url = fake.stream_base();
        s.keepalive = keepalive;
        s.reconnect_min = milliseconds(100);
        stream =
            std::make_unique<exchange::UserStream>(fake.config(), crypto::SecretString(kFakeKey), budget, s,
                                                   [this](const UserStreamEvent& e) { inbox.push(e); });
        stream->start();
    }
    bool resynced(int times) {
        const auto until = steady_clock::now() + seconds(5);
        while (inbox.resyncs() < times && steady_clock::now() < until)
            std::this_thread::sleep_for(milliseconds(20));
        return inbox.resyncs() >= times && stream->connected();
    }
    Inbox inbox;
    std::unique_ptr<exchange::UserStream> stream;
};

auto any = [](const auto&) { return true; };

}  // namespace

TEST_CASE("user stream: a fill arrives as typed events that agree with REST", "[user_stream]") {
    StreamFixture f;
    REQUIRE(f.resynced(1));  // the first connect is a resync too: nothing before it was seen
    auto placed = f.trading.place_order(market_order("BTCUSDT", exchange::Side::buy, "0.002", order_id(11)));
    REQUIRE(placed.ok());
    auto fill = f.inbox.wait_for<exchange::OrderUpdate>([](const auto& u) { return u.exec_type == "TRADE"; });
    REQUIRE(fill);
    auto rest = f.trading.query_order("BTCUSDT", order_id(11), exchange::OrderKind::plain);
    REQUIRE(rest.ok());
    CHECK(fill->client_order_id == order_id(11));
    CHECK(fill->order_id == rest->order_id);
    CHECK(fill->status == exchange::OrderStatus::filled);
    CHECK(fill->cum_qty == rest->executed_qty);
    CHECK(fill->last_qty == money::Decimal::parse("0.002"));
    CHECK(fill->avg_price == rest->avg_price);
    CHECK(fill->commission_asset == "USDT");
    CHECK(fill->commission > money::Decimal());
    auto account = f.inbox.wait_for<exchange::AccountUpdate>(any);
    REQUIRE(account);
    CHECK(account->reason == "ORDER");
    REQUIRE(account->positions.size() == 1);
    CHECK(account->positions[0].symbol == "BTCUSDT");
    CHECK(account->positions[0].amount == money::Decimal::parse("0.002"));
}

TEST_CASE("user stream: a triggered stop reports ALGO_UPDATE and the closing fill", "[user_stream]") {
    StreamFixture f;
    REQUIRE(f.resynced(1));
    REQUIRE(f.trading.place_order(market_order("ETHUSDT", exchange::Side::buy, "0.1", order_id(21))).ok());
    const auto mark = f.mark("ETHUSDT");
    exchange::OrderRequest stop;
    stop.symbol = "ETHUSDT";
    stop.side = exchange::Side::sell;
    stop.type = exchange::OrderType::stop_market;
    stop.stop_price = scaled(mark, "0.95");
    stop.close_position = true;
    stop.client_order_id = order_id(21, exchange::Leg::stop_loss);
    REQUIRE(f.trading.place_order(stop).ok());
    f.fake.admin("POST", "/_fake/price", {{"symbol", "ETHUSDT"}, {"price", scaled(mark, "0.9").to_string()}});
    auto algo = f.inbox.wait_for<exchange::AlgoUpdate>(
        [](const auto& u) { return u.status == exchange::AlgoStatus::triggered; });
    REQUIRE(algo);
    CHECK(algo->client_algo_id == order_id(21, exchange::Leg::stop_loss));
    CHECK(algo->actual_order_id != 0);
    auto closed = f.inbox.wait_for<exchange::AccountUpdate>(
        [](const auto& u) { return !u.positions.empty() && u.positions[0].amount == money::Decimal(); });
    REQUIRE(closed);
}

TEST_CASE("user stream: a dropped connection reconnects with a resync", "[user_stream]") {
    StreamFixture f;
    REQUIRE(f.resynced(1));
    f.fake.admin("POST", "/_fake/stream", {{"drop", true}});
    REQUIRE(f.resynced(2));
    CHECK(f.stream->stats().drops == 1);
    CHECK(f.stream->stats().keys_created == 1);  // the key was still good: no new one
    // Events flow on the new connection.
    REQUIRE(f.trading.place_order(market_order("BTCUSDT", exchange::Side::buy, "0.002", order_id(31))).ok());
    CHECK(f.inbox.wait_for<exchange::OrderUpdate>(
        [](const auto& u) { return u.client_order_id == order_id(31); }));
}

TEST_CASE("user stream: an expired listenKey is replaced and the stream resumes", "[user_stream]") {
    StreamFixture f;
    REQUIRE(f.resynced(1));
    f.fake.admin("POST", "/_fake/stream", {{"expire_listen_keys", true}});
    REQUIRE(f.resynced(2));
    CHECK(f.stream->stats().keys_created == 2);
    REQUIRE(f.trading.place_order(market_order("BTCUSDT", exchange::Side::buy, "0.002", order_id(41))).ok());
    CHECK(f.inbox.wait_for<exchange::OrderUpdate>(
        [](const auto& u) { return u.client_order_id == order_id(41); }));
}

TEST_CASE("user stream: keepalives extend the key (PUT, weight 1)", "[user_stream]") {
    StreamFixture f(milliseconds(300));
    REQUIRE(f.resynced(1));
    std::this_thread::sleep_for(milliseconds(1100));
    CHECK(f.stream->stats().keepalives >= 2);
    CHECK(f.fake.requests("PUT /fapi/v1/listenKey") >= 2);
    CHECK(f.fake.requests("POST /fapi/v1/listenKey") == 1);
}

TEST_CASE("user stream: stop() is prompt, connected or retrying", "[user_stream]") {
    SECTION("connected") {
        StreamFixture f;
        REQUIRE(f.resynced(1));
        const auto began = steady_clock::now();
        f.stream->stop();
        CHECK(steady_clock::now() - began < milliseconds(500));
        CHECK_FALSE(f.stream->connected());
    }
    SECTION("while nothing listens on the stream port") {
        Clients c;
        exchange::UserStreamSettings s;
        s.stream_url = "ws://127.0.0.1:1";  // refused at once; the loop backs off and tries again
        s.reconnect_min = milliseconds(2000);
        exchange::UserStream stream(c.fake.config(), crypto::SecretString(kFakeKey), c.budget, s,
                                    [](const UserStreamEvent&) {});
        stream.start();
        std::this_thread::sleep_for(milliseconds(300));
        const auto began = steady_clock::now();
        stream.stop();
        CHECK(steady_clock::now() - began < milliseconds(500));
        CHECK(stream.stats().connects == 0);
    }
}

TEST_CASE("user stream: event parsing", "[user_stream]") {
    auto order = exchange::parse_user_stream_event(
        R"({"e":"ORDER_TRADE_UPDATE","E":1,"T":2,"o":{"s":"BTCUSDT","c":"x","S":"SELL","o":"MARKET","x":"TRADE",)"
        R"("X":"PARTIALLY_FILLED","i":4000000001,"t":7,"q":"0.010","p":"0","ap":"95000.10","sp":"0","l":"0.004",)"
        R"("L":"95000.10","z":"0.004","n":"0.19000020","N":"USDT","rp":"-1.5","R":true,"cp":false}})");
    REQUIRE(order.ok());
    REQUIRE(order->has_value());
    const auto& u = std::get<exchange::OrderUpdate>(**order);
    CHECK(u.side == exchange::Side::sell);
    CHECK(u.status == exchange::OrderStatus::partially_filled);
    CHECK(u.commission.to_string() == "0.1900002");
    CHECK(u.realized_pnl == money::Decimal::parse("-1.5"));
    CHECK(u.order_id == 4000000001);
    CHECK(u.reduce_only);
    auto other = exchange::parse_user_stream_event(R"({"e":"MARGIN_CALL","E":1})");
    REQUIRE(other.ok());
    CHECK_FALSE(other->has_value());
    CHECK_FALSE(exchange::parse_user_stream_event(R"({"e":"ORDER_TRADE_UPDATE","E":1,"o":{"s":1}})").ok());
    CHECK_FALSE(exchange::parse_user_stream_event("not json").ok());
    // A price as a JSON number went through binary floating point: refused, like the REST parsers do.
    CHECK_FALSE(exchange::parse_user_stream_event(
                    R"({"e":"ACCOUNT_UPDATE","E":1,"a":{"m":"ORDER","B":[{"a":"USDT","wb":1.5}],"P":[]}})")
                    .ok());
}

}  // namespace tradingd::test
