// The paper broker: fills, fees, slippage, entry averaging, PnL, resting limits, stop / take-profit /
// trailing triggers, Binance's refusals with the same outcomes as the real client, and an account that
// survives a restart exactly through its snapshot. Prices come from a scripted mark price over the
// simulated market's real symbol rules (BTCUSDT: tick 0.1, step 0.001, min notional 100).
#include <catch2/catch.hpp>

#include <map>

#include "exchange/paper_broker.h"
#include "exchange/simulated_market.h"

using namespace tradingd::exchange;
using tradingd::money::Decimal;

namespace {

Decimal D(const char* text) {
    return Decimal::parse(text);
}

TradeQuery btc_trades() {
    TradeQuery q;
    q.symbol = "BTCUSDT";
    return q;
}

// Real symbol rules from the simulated market; mark prices and funding rates set by the test.
class ScriptedMarket final : public MarketData {
  public:
    explicit ScriptedMarket(TimeMs& now) : now_(now), sim_(7, [&now] { return now; }) {}
    std::map<std::string, Decimal> marks;
    Decimal funding_rate = D("0.0001");

    Result<std::vector<SymbolInfo>> exchange_info() override { return sim_.exchange_info(); }
    Result<std::vector<Kline>> klines(const KlineQuery& q) override { return sim_.klines(q); }
    Result<std::vector<Ticker24h>> tickers_24h() override { return sim_.tickers_24h(); }
    Result<std::vector<MarkPrice>> mark_prices() override { return std::vector<MarkPrice>{}; }
    Result<MarkPrice> mark_price(const std::string& symbol) override {
        auto it = marks.find(symbol);
        if (it == marks.end()) return make_error(400, -1121, "Invalid symbol.");
        return MarkPrice{symbol, it->second, it->second, funding_rate, 0, now_};
    }
    Result<TimeMs> server_time() override { return now_; }

  private:
    TimeMs& now_;
    SimulatedMarket sim_;
};

struct Fixture {
    TimeMs now = 1767312000000;  // 2026-01-02T00:00:00Z, a funding time
    ScriptedMarket market{now};
    PaperSettings settings = [] {
        PaperSettings s;
        s.starting_balance = D("10000");
        s.taker_fee_rate = D("0.0005");
        s.maker_fee_rate = D("0.0002");
        s.slippage_rate = D("0");
        return s;
    }();
    PaperBroker broker{settings, market, [this] { return now; }};

    Fixture() { market.marks["BTCUSDT"] = D("50000"); }

    OrderRequest order(Side side, OrderType type, const char* qty, std::string id) {
        OrderRequest o;
        o.symbol = "BTCUSDT";
        o.side = side;
        o.type = type;
        if (qty) o.quantity = D(qty);
        o.client_order_id = std::move(id);
        return o;
    }
    OrderInfo place(const OrderRequest& o) {
        auto r = broker.place_order(o);
        INFO((r.ok() ? std::string() : r.error().describe()));
        REQUIRE(r.ok());
        return *r;
    }
    PositionInfo position() {
        auto p = broker.positions();
        REQUIRE(p.ok());
        REQUIRE(p->size() == 1);
        return p->front();
    }
    bool flat() { return broker.positions()->empty(); }
    Balance balance() { return broker.balances()->front(); }
};

}  // namespace

TEST_CASE("paper market orders fill at the mark plus slippage, on the tick, with the taker fee", "[paper]") {
    Fixture f;
    f.settings.slippage_rate = D("0.001");
    PaperBroker broker(f.settings, f.market, [&] { return f.now; });
    OrderRequest buy = f.order(Side::buy, OrderType::market, "0.01", "buy-1");
    auto filled = broker.place_order(buy);
    REQUIRE(filled.ok());
    CHECK(filled->status == OrderStatus::filled);
    CHECK(filled->avg_price == D("50050"));  // 50000 * 1.001
    CHECK(filled->executed_qty == D("0.01"));
    auto trades = broker.user_trades(btc_trades());
    REQUIRE(trades->size() == 1);
    CHECK(trades->front().commission == D("0.25025"));  // 500.5 * 0.0005
    CHECK(trades->front().commission_asset == "USDT");
    CHECK_FALSE(trades->front().maker);
    CHECK(broker.balances()->front().wallet_balance == D("9999.74975"));

    f.market.marks["BTCUSDT"] = D("50000.14");  // a sell slips down (49950.13986), then down onto the tick
    auto sold = broker.place_order(f.order(Side::sell, OrderType::market, "0.01", "sell-1"));
    CHECK(sold->avg_price == D("49950.1"));
}

TEST_CASE("paper positions average their entry and realize PnL when reduced or flipped", "[paper]") {
    Fixture f;
    f.place(f.order(Side::buy, OrderType::market, "0.01", "a"));
    f.market.marks["BTCUSDT"] = D("60000");
    f.place(f.order(Side::buy, OrderType::market, "0.03", "b"));
    PositionInfo p = f.position();
    CHECK(p.amount == D("0.04"));
    CHECK(p.entry_price == D("57500"));  // (0.01*50000 + 0.03*60000) / 0.04

    f.market.marks["BTCUSDT"] = D("58000");
    CHECK(f.position().unrealized_pnl == D("20"));
    CHECK(f.balance().unrealized_pnl == D("20"));

    f.market.marks["BTCUSDT"] = D("59000");
    f.place(f.order(Side::sell, OrderType::market, "0.05", "c"));  // closes 0.04, opens 0.01 short
    p = f.position();
    CHECK(p.amount == D("-0.01"));
    CHECK(p.entry_price == D("59000"));
    auto trades = f.broker.user_trades(btc_trades());
    REQUIRE(trades->size() == 3);
    CHECK(trades->back().realized_pnl == D("60"));  // 0.04 * (59000 - 57500)
    // Fees: 0.0005 of 500, 1800 and 2950.
    CHECK(f.balance().wallet_balance == D("10000") + D("60") - D("0.25") - D("0.9") - D("1.475"));

    f.market.marks["BTCUSDT"] = D("58000");
    f.place(f.order(Side::buy, OrderType::market, "0.01", "d"));
    CHECK(f.flat());
    CHECK(f.broker.user_trades(btc_trades())->back().realized_pnl == D("10"));  // short gains
}

TEST_CASE("paper limit orders rest until the mark crosses, then fill at their price as maker", "[paper]") {
    Fixture f;
    OrderRequest bid = f.order(Side::buy, OrderType::limit, "0.1", "bid");
    bid.price = D("49000.05");  // rounded down onto the tick: never pay more than asked
    bid.time_in_force = TimeInForce::gtc;
    OrderInfo placed = f.place(bid);
    CHECK(placed.status == OrderStatus::new_);
    CHECK(placed.price == D("49000"));
    CHECK(f.broker.open_orders(std::nullopt)->size() == 1);
    // The resting bid holds margin: 4900 / 20.
    CHECK(f.balance().available_balance == D("9755"));

    f.market.marks["BTCUSDT"] = D("49000.1");
    CHECK(f.broker.poll().value() == false);
    f.market.marks["BTCUSDT"] = D("48990");
    auto q = f.broker.query_order("BTCUSDT", "bid", OrderKind::plain);
    CHECK(q->status == OrderStatus::filled);
    CHECK(q->avg_price == D("49000"));
    CHECK(f.position().entry_price == D("49000"));
    auto trade = f.broker.user_trades(btc_trades())->back();
    CHECK(trade.maker);
    CHECK(trade.commission == D("0.98"));  // 4900 * 0.0002
    CHECK(f.broker.open_orders(std::nullopt)->empty());

    SECTION("a limit already through the mark takes at once, no worse than its price") {
        OrderRequest take = f.order(Side::sell, OrderType::limit, "0.1", "take");
        take.price = D("48000");
        take.time_in_force = TimeInForce::gtc;
        OrderInfo t = f.place(take);
        CHECK(t.status == OrderStatus::filled);
        CHECK(t.avg_price == D("48990"));
        CHECK(f.flat());
    }
    SECTION("post-only that would take is refused, IOC that cannot fill expires") {
        OrderRequest post = f.order(Side::sell, OrderType::limit, "0.1", "post");
        post.price = D("48000");
        post.time_in_force = TimeInForce::gtx;
        auto r = f.broker.place_order(post);
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().code == -5022);
        OrderRequest ioc = f.order(Side::sell, OrderType::limit, "0.1", "ioc");
        ioc.price = D("60000");
        ioc.time_in_force = TimeInForce::ioc;
        CHECK(f.place(ioc).status == OrderStatus::expired);
    }
}

TEST_CASE("paper stop-loss and take-profit trigger when the mark reaches them", "[paper]") {
    Fixture f;
    f.place(f.order(Side::buy, OrderType::market, "0.02", "entry"));
    OrderRequest sl = f.order(Side::sell, OrderType::stop_market, nullptr, "sl");
    sl.stop_price = D("48000");
    sl.close_position = true;
    OrderRequest tp = f.order(Side::sell, OrderType::take_profit_market, "0.01", "tp");
    tp.stop_price = D("52000");
    tp.reduce_only = true;
    CHECK(f.place(sl).algo_status == AlgoStatus::new_);
    CHECK(f.place(tp).kind == OrderKind::conditional);
    CHECK(f.broker.open_orders(std::string("BTCUSDT"))->size() == 2);

    SECTION("take-profit first: reduces by its quantity, then the stop closes the rest") {
        f.market.marks["BTCUSDT"] = D("52100");
        auto done = f.broker.query_order("BTCUSDT", "tp", OrderKind::conditional);
        CHECK(done->algo_status == AlgoStatus::finished);
        CHECK(done->status == OrderStatus::filled);
        CHECK(done->avg_price == D("52100"));  // executes at market once triggered
        CHECK(done->order_id > 0);
        CHECK(f.position().amount == D("0.01"));
        CHECK(f.broker.user_trades(btc_trades())->back().realized_pnl == D("21"));
        f.market.marks["BTCUSDT"] = D("47500");  // gaps through the stop: filled at the mark
        CHECK(f.flat());
        auto stop = f.broker.query_order("BTCUSDT", "sl", OrderKind::conditional);
        CHECK(stop->executed_qty == D("0.01"));
        CHECK(stop->avg_price == D("47500"));
    }
    SECTION("stop first: closes the whole position; the take-profit then has nothing to reduce") {
        f.market.marks["BTCUSDT"] = D("47999.9");
        CHECK(f.broker.poll().value());
        CHECK(f.flat());
        f.market.marks["BTCUSDT"] = D("53000");
        CHECK(f.broker.query_order("BTCUSDT", "tp", OrderKind::conditional)->algo_status ==
              AlgoStatus::expired);
    }
    SECTION("a trigger the mark has already passed is refused") {
        OrderRequest late = f.order(Side::sell, OrderType::stop_market, nullptr, "late");
        late.stop_price = D("50100");
        late.close_position = true;
        auto r = f.broker.place_order(late);
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().code == -2021);
    }
}

TEST_CASE("paper trailing stops activate, follow the best mark and fire on the callback", "[paper]") {
    Fixture f;
    f.place(f.order(Side::buy, OrderType::market, "0.01", "entry"));
    OrderRequest trail = f.order(Side::sell, OrderType::trailing_stop_market, "0.01", "trail");
    trail.reduce_only = true;
    trail.activation_price = D("51000");
    trail.callback_rate = D("1");
    f.place(trail);
    auto status = [&] {
        return f.broker.query_order("BTCUSDT", "trail", OrderKind::conditional)->algo_status;
    };

    for (const char* mark : {"50500", "49000"}) {  // not activated: a fall does nothing
        f.market.marks["BTCUSDT"] = D(mark);
        CHECK(status() == AlgoStatus::new_);
    }
    for (const char* mark : {"52000", "51600", "53000", "52500"}) {  // active; 1 % below 53000 is 52470
        f.market.marks["BTCUSDT"] = D(mark);
        CHECK(status() == AlgoStatus::new_);
    }
    f.market.marks["BTCUSDT"] = D("52400");
    CHECK(status() == AlgoStatus::finished);
    CHECK(f.flat());
    CHECK(f.broker.user_trades(btc_trades())->back().realized_pnl == D("24"));

    OrderRequest bad = f.order(Side::sell, OrderType::trailing_stop_market, "0.01", "bad");
    bad.callback_rate = D("12");
    CHECK(f.broker.place_order(bad).error().code == -1130);
    bad.callback_rate = D("1");
    bad.activation_price = D("52000");  // a SELL's activation at or under the mark would fire at once
    CHECK(f.broker.place_order(bad).error().code == -2021);
}

TEST_CASE("paper refusals carry the outcomes the Binance client reports", "[paper]") {
    Fixture f;
    OrderRequest bid = f.order(Side::buy, OrderType::limit, "0.01", "same-id");
    bid.price = D("40000");
    bid.time_in_force = TimeInForce::gtc;
    f.place(bid);
    CHECK(f.broker.place_order(bid).outcome() == Outcome::duplicate_client_id);
    CHECK(f.broker.cancel_order("BTCUSDT", "same-id", OrderKind::plain)->status == OrderStatus::canceled);
    CHECK(f.broker.place_order(bid).ok());  // the id is free once the first order is done

    CHECK(f.broker.query_order("BTCUSDT", "nope", OrderKind::plain).outcome() == Outcome::unknown_order);
    CHECK(f.broker.cancel_order("BTCUSDT", "nope", OrderKind::plain).outcome() == Outcome::unknown_order);
    CHECK(f.broker.query_order("BTCUSDT", "nope", OrderKind::conditional).outcome() ==
          Outcome::unknown_order);

    OrderRequest reduce = f.order(Side::sell, OrderType::market, "0.01", "reduce");
    reduce.reduce_only = true;
    auto r = f.broker.place_order(reduce);
    CHECK(r.outcome() == Outcome::rejected);
    CHECK(r.error().code == -2022);

    auto tiny = f.broker.place_order(f.order(Side::buy, OrderType::market, "0.001", "tiny"));  // 50 < 100
    CHECK(tiny.outcome() == Outcome::filter_violation);
    CHECK(tiny.error().message.find("notional_below_min") == 0);
    auto dust = f.broker.place_order(f.order(Side::buy, OrderType::market, "0.0004", "dust"));
    CHECK(dust.outcome() == Outcome::filter_violation);
    CHECK(dust.error().message.find("qty_below_min") == 0);
    CHECK(f.broker.place_order(f.order(Side::buy, OrderType::market, "5", "huge")).outcome() ==
          Outcome::insufficient_margin);  // 250000 / 20 > 10000
    CHECK(f.broker.place_order(f.order(Side::buy, OrderType::market, "0.01", "bad id!")).outcome() ==
          Outcome::rejected);
    OrderRequest unknown = f.order(Side::buy, OrderType::market, "1", "u");
    unknown.symbol = "NOPEUSDT";
    CHECK(f.broker.place_order(unknown).error().code == -1121);

    // Leverage changes the margin an order needs.
    CHECK(f.broker.set_leverage("BTCUSDT", 125)->leverage == 125);
    CHECK(f.broker.place_order(f.order(Side::buy, OrderType::market, "5", "huge2")).ok());
    CHECK(f.broker.set_leverage("BTCUSDT", 0).outcome() == Outcome::rejected);
    CHECK(f.broker.set_margin_type("BTCUSDT", MarginType::isolated).error().code == -4048);
    CHECK(f.broker.set_margin_type("BTCUSDT", MarginType::cross).ok());  // already set is success
}

TEST_CASE("a paper account restored from its snapshot is the same account", "[paper]") {
    Fixture f;
    f.place(f.order(Side::buy, OrderType::market, "0.03", "entry"));
    REQUIRE(f.broker.set_leverage("BTCUSDT", 10).ok());
    OrderRequest trail = f.order(Side::sell, OrderType::trailing_stop_market, "0.03", "trail");
    trail.callback_rate = D("2");
    trail.reduce_only = true;
    f.place(trail);
    OrderRequest bid = f.order(Side::buy, OrderType::limit, "0.01", "bid");
    bid.price = D("45000");
    bid.time_in_force = TimeInForce::gtc;
    f.place(bid);
    f.market.marks["BTCUSDT"] = D("51000");  // the trailing stop's best mark moves
    REQUIRE(f.broker.poll().ok());

    std::string saved = f.broker.snapshot();
    PaperBroker restored = PaperBroker::restore(saved, f.market, [&] { return f.now; });
    CHECK(restored.snapshot() == saved);
    CHECK(restored.balances()->front().wallet_balance == f.balance().wallet_balance);
    CHECK(restored.positions()->front().entry_price == f.position().entry_price);
    CHECK(restored.open_orders(std::nullopt)->size() == 2);

    // Both continue identically: the trail fires 2 % under 51000, and ids continue from the same counters.
    f.market.marks["BTCUSDT"] = D("49900");
    auto a = f.broker.place_order(f.order(Side::buy, OrderType::market, "0.01", "next"));
    auto b = restored.place_order(f.order(Side::buy, OrderType::market, "0.01", "next"));
    CHECK(a->order_id == b->order_id);
    CHECK(restored.snapshot() == f.broker.snapshot());
    CHECK(restored.query_order("BTCUSDT", "trail", OrderKind::conditional)->algo_status ==
          AlgoStatus::finished);

    CHECK_THROWS_AS(PaperBroker::restore("{\"format\":1}", f.market, [&] { return f.now; }),
                    std::invalid_argument);
    CHECK_THROWS_AS(PaperBroker::restore("not json", f.market, [&] { return f.now; }), std::invalid_argument);
}

TEST_CASE("two paper brokers fed the same prices and clock end in the same state", "[paper]") {
    Fixture one, two;
    for (Fixture* f : {&one, &two}) {
        for (const char* mark : {"50000", "50500.3", "49800", "51200.7"}) {
            f->market.marks["BTCUSDT"] = D(mark);
            f->now += 60000;
            f->place(f->order(Side::buy, OrderType::market, "0.004", ""));  // generated ids too
        }
        f->place(f->order(Side::sell, OrderType::market, "0.01", "cut"));
    }
    CHECK(one.broker.snapshot() == two.broker.snapshot());
    CHECK(one.broker.version() == two.broker.version());
}

TEST_CASE("paper funding is charged every 8 hours when enabled", "[paper]") {
    Fixture f;
    f.settings.funding = true;
    PaperBroker broker(f.settings, f.market, [&] { return f.now; });
    REQUIRE(broker.place_order(f.order(Side::buy, OrderType::market, "0.02", "long")).ok());
    Decimal after_fee = broker.balances()->front().wallet_balance;
    f.now += 7 * 3600000;
    CHECK(broker.balances()->front().wallet_balance == after_fee);
    f.now += 2 * 3600000;  // one funding time passed: 0.02 * 50000 * 0.0001 = 0.1 paid by the long
    CHECK(broker.balances()->front().wallet_balance == after_fee - D("0.1"));
    f.now += 16 * 3600000;  // two more
    CHECK(broker.balances()->front().wallet_balance == after_fee - D("0.3"));
}
