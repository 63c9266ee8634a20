// Universe selection: which symbols are eligible, how they are ranked and cut, and what the skip list does.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>

#include "market_fixtures.h"
#include "strategy/universe.h"

using namespace tradingd;
using namespace tradingd::strategy;
using namespace tradingd::strategy::test;

namespace {

std::vector<std::string> symbols_of(const std::vector<UniverseMember>& members) {
    std::vector<std::string> out;
    for (const auto& m : members) out.push_back(m.info.symbol);
    return out;
}

StrategyParams top(int n, std::vector<std::string> skip = {}) {
    StrategyParams p;
    p.universe_size = n;
    p.skip_coins = std::move(skip);
    return p;
}

}  // namespace

TEST_CASE("only USDT perpetuals that are trading are eligible", "[universe]") {
    auto halted = perpetual("LUNA");
    halted.status = "SETTLING";
    auto quarterly = perpetual("ETH");
    quarterly.symbol = "ETHUSDT_250627";
    quarterly.contract_type = "CURRENT_QUARTER";
    auto coin_margined = perpetual("BTC");
    coin_margined.symbol = "BTCUSDC";
    coin_margined.quote_asset = "USDC";
    const std::vector<exchange::SymbolInfo> symbols = {perpetual("SOL"), halted, quarterly, coin_margined};
    const std::vector<exchange::Ticker24h> tickers = {ticker("SOLUSDT", 1e6), ticker("LUNAUSDT", 9e9),
                                                      ticker("ETHUSDT_250627", 9e9), ticker("BTCUSDC", 9e9)};
    const auto u = select_universe(symbols, tickers, top(150));
    CHECK(symbols_of(u.members) == std::vector<std::string>{"SOLUSDT"});
    CHECK(u.skipped.empty());
}

TEST_CASE("the universe is the top N by 24h quote volume, highest first", "[universe]") {
    const std::vector<exchange::SymbolInfo> symbols = {perpetual("ADA"), perpetual("BTC"), perpetual("ETH"),
                                                       perpetual("XRP")};
    const std::vector<exchange::Ticker24h> tickers = {ticker("ADAUSDT", 2e8), ticker("BTCUSDT", 9e9),
                                                      ticker("ETHUSDT", 5e9), ticker("XRPUSDT", 7e8)};
    const auto u = select_universe(symbols, tickers, top(3));
    CHECK(symbols_of(u.members) == std::vector<std::string>{"BTCUSDT", "ETHUSDT", "XRPUSDT"});
    CHECK(u.members[0].rank == 1);
    CHECK(u.members[2].rank == 3);
    CHECK(u.members[0].quote_volume == 9e9);
    CHECK(u.members[1].info.tick_size == money::Decimal::parse("0.1"));  // filters come along
}

TEST_CASE("equal volumes are ordered by symbol, whatever order the exchange listed them in", "[universe]") {
    std::vector<exchange::SymbolInfo> symbols = {perpetual("DOT"), perpetual("ATOM"), perpetual("BNB"),
                                                 perpetual("CRV")};
    std::vector<exchange::Ticker24h> tickers = {ticker("DOTUSDT", 1e7), ticker("ATOMUSDT", 1e7),
                                                ticker("BNBUSDT", 1e7), ticker("CRVUSDT", 1e7)};
    const auto first = symbols_of(select_universe(symbols, tickers, top(2)).members);
    CHECK(first == std::vector<std::string>{"ATOMUSDT", "BNBUSDT"});
    std::reverse(symbols.begin(), symbols.end());
    std::rotate(tickers.begin(), tickers.begin() + 1, tickers.end());
    CHECK(symbols_of(select_universe(symbols, tickers, top(2)).members) == first);
}

TEST_CASE("a symbol without a ticker, or with a broken volume, ranks as volume 0", "[universe]") {
    const std::vector<exchange::SymbolInfo> symbols = {perpetual("NEW"), perpetual("BAD"), perpetual("OLD")};
    const std::vector<exchange::Ticker24h> tickers = {ticker("OLDUSDT", 1e6), ticker("BADUSDT", NAN)};
    const auto u = select_universe(symbols, tickers, top(150));
    CHECK(symbols_of(u.members) == std::vector<std::string>{"OLDUSDT", "BADUSDT", "NEWUSDT"});
    CHECK(u.members[1].quote_volume == 0);
    CHECK(u.members[2].quote_volume == 0);
}

TEST_CASE("skip_coins removes by base asset or symbol, ignoring case, without using up a slot",
          "[universe][skip]") {
    const std::vector<exchange::SymbolInfo> symbols = {perpetual("BTC"), perpetual("DOGE"), perpetual("ETH"),
                                                       perpetual("SOL")};
    const std::vector<exchange::Ticker24h> tickers = {ticker("BTCUSDT", 4e9), ticker("DOGEUSDT", 3e9),
                                                      ticker("ETHUSDT", 2e9), ticker("SOLUSDT", 1e9)};
    const auto u = select_universe(symbols, tickers, top(2, {" doge ", "ethusdt"}));
    CHECK(symbols_of(u.members) == std::vector<std::string>{"BTCUSDT", "SOLUSDT"});
    CHECK(symbols_of(u.skipped) == std::vector<std::string>{"DOGEUSDT", "ETHUSDT"});
    CHECK(u.skipped[0].rank == 2);
    CHECK(u.members[1].rank == 4);  // ranks count the skipped coins too
}

TEST_CASE("a skip_coins entry matches whole names only", "[universe][skip]") {
    auto pepe = perpetual("1000PEPE");
    CHECK_FALSE(is_skip_coin(pepe, std::vector<std::string>{"PEPE"}));
    CHECK(is_skip_coin(pepe, std::vector<std::string>{"1000pepe"}));
    CHECK_FALSE(is_skip_coin(perpetual("BTC"), std::vector<std::string>{"BT", "BTCUSD", ""}));
    CHECK(is_skip_coin(perpetual("BTC"), std::vector<std::string>{"x", "Btc"}));
}

TEST_CASE("a symbol listed twice counts once", "[universe]") {
    const std::vector<exchange::SymbolInfo> symbols = {perpetual("BTC"), perpetual("BTC")};
    const std::vector<exchange::Ticker24h> tickers = {ticker("BTCUSDT", 5), ticker("BTCUSDT", 7)};
    const auto u = select_universe(symbols, tickers, top(150));
    REQUIRE(u.members.size() == 1);
    CHECK(u.members[0].quote_volume == 5);
}
