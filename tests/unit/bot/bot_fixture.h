// What the engine tests share: Binance-like symbols, a scan with chosen signals, and default settings.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "bot/bot.h"
#include "exchange/client_order_id.h"
#include "money/decimal.h"

namespace tradingd::bot::test {

// Milliseconds since the epoch, for bots that trade against a real (fake-binance) process's clock.
inline exchange::TimeMs wall_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

inline money::Decimal D(const char* text) {
    return money::Decimal::parse(text);
}

inline int count_type(const std::vector<exchange::OrderInfo>& orders, exchange::OrderType type) {
    int n = 0;
    for (const auto& o : orders) n += o.type == type;
    return n;
}

inline std::string id_of(std::int64_t position, exchange::Leg leg, std::uint32_t attempt,
                         std::uint64_t agent = 7) {
    return exchange::make_client_order_id({.agent_id = agent,
                                           .position_id = static_cast<std::uint64_t>(position),
                                           .leg = leg,
                                           .attempt = attempt});
}

inline exchange::OrderRequest market(const std::string& symbol, exchange::Side side, const char* qty,
                                     std::string id) {
    exchange::OrderRequest r;
    r.symbol = symbol;
    r.side = side;
    r.quantity = money::Decimal::parse(qty);
    r.client_order_id = std::move(id);
    return r;
}

inline exchange::SymbolInfo usdt_perp(const std::string& symbol, const char* tick, const char* step) {
    exchange::SymbolInfo s;
    s.symbol = symbol;
    s.status = "TRADING";
    s.contract_type = "PERPETUAL";
    s.base_asset = symbol.substr(0, symbol.size() - 4);
    s.quote_asset = s.margin_asset = "USDT";
    s.tick_size = money::Decimal::parse(tick);
    s.min_price = s.tick_size;
    s.step_size = s.market_step_size = money::Decimal::parse(step);
    s.min_qty = s.market_min_qty = s.step_size;
    s.min_notional = money::Decimal::parse("5");
    return s;
}

// A signal that passed the global filters, with ATR as `atr_pct` percent of the close.
inline strategy::ScanRow passing_row(const std::string& symbol, strategy::Direction dir, int score,
                                     double close, double atr_pct = 1.0, int rank = 1) {
    strategy::ScanRow row;
    row.symbol = symbol;
    row.volume_rank = rank;
    row.quote_volume = 1e9 / rank;
    strategy::Signal s;
    s.symbol = symbol;
    s.score = score;
    s.direction = dir;
    s.indicators.close = close;
    s.indicators.atr14 = close * atr_pct / 100;
    s.indicators.atr_pct = atr_pct;
    row.signal = s;
    return row;
}

inline strategy::ScanResult scan_of(std::vector<strategy::ScanRow> rows, exchange::TimeMs now) {
    strategy::ScanResult r;
    r.scan_time_ms = now;
    r.rows = std::move(rows);
    return r;
}

inline BotSettings settings_for(std::int64_t agent, std::vector<exchange::SymbolInfo> symbols) {
    BotSettings s;
    s.agent_id = agent;
    s.exchange_info = [symbols] { return exchange::Result<std::vector<exchange::SymbolInfo>>(symbols); };
    return s;
}

}  // namespace tradingd::bot::test

#include <memory>

#include "memory_journal.h"
#include "sim_exchange.h"

namespace tradingd::bot::test {

// One agent's account in the sim, its journal, a settable clock and the bot under test.
struct Harness {
    explicit Harness(const char* wallet = "10000")
        : sim(money::Decimal::parse(wallet)),
          symbols{usdt_perp("BTCUSDT", "0.1", "0.001"), usdt_perp("ETHUSDT", "0.01", "0.001"),
                  usdt_perp("SOLUSDT", "0.001", "0.01")},
          settings(settings_for(7, symbols)) {
        sim.add_symbol(symbols[0], money::Decimal::parse("50000"));
        sim.add_symbol(symbols[1], money::Decimal::parse("3000"));
        sim.add_symbol(symbols[2], money::Decimal::parse("150"));
        sim.set_time(now);
    }
    // A fresh Bot, as a restarted worker would build it; the old one is discarded.
    Bot& restart() {
        bot = std::make_unique<Bot>(settings, sim, journal, [this] { return now; });
        return *bot;
    }
    Bot& started() {
        restart();
        bot->start(journal.live_positions());
        return *bot;
    }
    void advance(exchange::TimeMs ms) {
        now += ms;
        sim.set_time(now);
    }
    strategy::ScanResult scan(std::vector<strategy::ScanRow> rows) const {
        return scan_of(std::move(rows), now);
    }
    // Live (untriggered, uncancelled) orders on the exchange.
    std::vector<exchange::OrderInfo> live_orders() { return sim.open_orders(std::nullopt).value(); }

    SimExchange sim;
    MemoryJournal journal;
    exchange::TimeMs now = 1'700'000'000'000;
    std::vector<exchange::SymbolInfo> symbols;
    BotSettings settings;
    std::unique_ptr<Bot> bot;
};

}  // namespace tradingd::bot::test
