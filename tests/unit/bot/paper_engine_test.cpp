// The engine on the PaperBroker (exchange/paper_broker.h), unchanged: paper bots run the same code as live
// ones, so an entry, its protective orders, a stop-loss close and a restart from the broker's snapshot must
// all work on it exactly as on the exchange.
#include <catch2/catch.hpp>

#include <map>

#include "bot_fixture.h"
#include "exchange/paper_broker.h"

using namespace tradingd;
using namespace tradingd::bot;
using namespace tradingd::bot::test;
using exchange::OrderType;
using strategy::Direction;

namespace {

// Mark prices the test sets, and the fixture's symbols: all a PaperBroker reads from its market.
class StubMarket final : public exchange::MarketData {
  public:
    explicit StubMarket(std::vector<exchange::SymbolInfo> symbols) : symbols_(std::move(symbols)) {}
    std::map<std::string, money::Decimal> marks;

    exchange::Result<std::vector<exchange::SymbolInfo>> exchange_info() override { return symbols_; }
    exchange::Result<std::vector<exchange::Kline>> klines(const exchange::KlineQuery&) override {
        return std::vector<exchange::Kline>{};
    }
    exchange::Result<std::vector<exchange::Ticker24h>> tickers_24h() override {
        return std::vector<exchange::Ticker24h>{};
    }
    exchange::Result<std::vector<exchange::MarkPrice>> mark_prices() override {
        std::vector<exchange::MarkPrice> out;
        for (const auto& [s, p] : marks) out.push_back(mark(s));
        return out;
    }
    exchange::Result<exchange::MarkPrice> mark_price(const std::string& symbol) override {
        return mark(symbol);
    }
    exchange::Result<exchange::TimeMs> server_time() override { return exchange::TimeMs{0}; }

  private:
    exchange::MarkPrice mark(const std::string& symbol) {
        exchange::MarkPrice m;
        m.symbol = symbol;
        m.mark_price = marks[symbol];
        m.index_price = m.mark_price;
        return m;
    }
    std::vector<exchange::SymbolInfo> symbols_;
};

}  // namespace

TEST_CASE("the engine runs unchanged on the paper broker: entry, protection, stop-loss close, restart",
          "[bot][paper]") {
    Harness h;  // for its symbols, clock and journal; the exchange here is the paper broker
    StubMarket market(h.symbols);
    market.marks["BTCUSDT"] = D("50000");
    exchange::PaperBroker broker(exchange::PaperSettings{}, market, [&] { return h.now; });
    h.settings.exchange_info = [&] { return market.exchange_info(); };
    auto bot = std::make_unique<Bot>(h.settings, broker, h.journal, [&] { return h.now; });
    bot->start({});
    bot->on_scan(h.scan({passing_row("BTCUSDT", Direction::long_side, 80, 50000)}), 1);

    auto open = h.journal.with_status(PositionStatus::open);
    REQUIRE(open.size() == 1);
    const auto p = open[0];
    CHECK(p.quantity == D("0.06"));
    CHECK(broker.positions().value().at(0).amount == D("0.06"));
    auto orders = broker.open_orders(std::nullopt).value();
    CHECK(count_type(orders, OrderType::stop_market) == 1);
    CHECK(count_type(orders, OrderType::take_profit_market) == 1);

    // The worker dies; a new one restores the broker from its snapshot and reconciles: nothing to do.
    auto restored = exchange::PaperBroker::restore(broker.snapshot(), market, [&] { return h.now; });
    bot = std::make_unique<Bot>(h.settings, restored, h.journal, [&] { return h.now; });
    auto report = bot->start(h.journal.live_positions());
    CHECK(report.restored == 1);
    CHECK(report.rearmed == 0);
    CHECK(restored.open_orders(std::nullopt).value().size() == 2);

    // The mark falls through the stop at 49250: the broker fills it, the bot records the close.
    h.advance(60'000);
    market.marks["BTCUSDT"] = D("49000");
    REQUIRE(restored.poll().ok());
    bot->poll();
    auto closed = h.journal.with_status(PositionStatus::closed);
    REQUIRE(closed.size() == 1);
    CHECK(closed[0].close_reason == "stop_loss");
    REQUIRE(closed[0].realized_pnl);
    money::Decimal pnl, fees;
    exchange::TradeQuery q;
    q.symbol = "BTCUSDT";
    const auto trades = restored.user_trades(q);
    REQUIRE(trades.ok());
    for (const auto& t : *trades) {
        pnl += t.realized_pnl;
        fees += t.commission;
    }
    CHECK(*closed[0].realized_pnl == pnl);  // the broker's own numbers, to the last digit
    CHECK(closed[0].fees == fees);
    CHECK(restored.positions().value().empty());
    CHECK(restored.open_orders(std::nullopt).value().empty());
}
