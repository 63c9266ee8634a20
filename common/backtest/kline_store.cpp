// SQL for the klines table. Prices are stored as decimal text (the shortest text that reads back as the
// same double) so both backends hold the same digits and a stored backtest equals one run from memory.
#include "backtest/kline_store.h"

#include "money/decimal.h"

namespace tradingd::backtest {
namespace {

std::string text(double v) {
    return money::Decimal::from_double_rounded(v, 12, money::Rounding::half_even).to_string();
}

double num(const store::Statement& st, int col) {
    return std::stod(st.get_text(col));
}

}  // namespace

std::int64_t store_klines(store::Connection& conn, const std::string& symbol, exchange::Interval interval,
                          const std::vector<exchange::Kline>& klines) {
    const char* verb = conn.backend() == store::Backend::mysql ? "INSERT IGNORE" : "INSERT OR IGNORE";
    store::Transaction tx(conn);
    auto st = conn.prepare(std::string(verb) +
                           " INTO klines (symbol, kline_interval, open_time, open, high, low, close, volume, "
                           "close_time, quote_volume) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    std::int64_t added = 0;
    const std::string iv(exchange::interval_name(interval));
    for (const auto& k : klines) {
        st->bind_all(symbol, iv, k.open_time, text(k.open), text(k.high), text(k.low), text(k.close),
                     text(k.volume), k.close_time, text(k.quote_volume));
        st->step();
        added += st->affected_rows();
        st->reset();
    }
    tx.commit();
    return added;
}

std::vector<strategy::Candle> stored_candles(store::Connection& conn, const std::string& symbol,
                                             exchange::Interval interval, exchange::TimeMs from_ms,
                                             exchange::TimeMs to_ms) {
    auto st = conn.prepare(
        "SELECT open_time, open, high, low, close, volume, close_time, quote_volume FROM klines WHERE symbol "
        "= ? "
        "AND kline_interval = ? AND open_time >= ? AND open_time < ? ORDER BY open_time");
    st->bind_all(symbol, std::string(exchange::interval_name(interval)), from_ms, to_ms);
    std::vector<strategy::Candle> out;
    while (st->step())
        out.push_back({st->get_int(0), num(*st, 1), num(*st, 2), num(*st, 3), num(*st, 4), num(*st, 5),
                       st->get_int(6), num(*st, 7)});
    return out;
}

std::vector<exchange::TimeMs> stored_open_times(store::Connection& conn, const std::string& symbol,
                                                exchange::Interval interval, exchange::TimeMs from_ms,
                                                exchange::TimeMs to_ms) {
    auto st = conn.prepare(
        "SELECT open_time FROM klines WHERE symbol = ? AND kline_interval = ? AND open_time >= ? AND "
        "open_time < ? ORDER BY open_time");
    st->bind_all(symbol, std::string(exchange::interval_name(interval)), from_ms, to_ms);
    std::vector<exchange::TimeMs> out;
    while (st->step()) out.push_back(st->get_int(0));
    return out;
}

std::vector<std::string> stored_symbols(store::Connection& conn, exchange::Interval interval) {
    auto st = conn.prepare("SELECT DISTINCT symbol FROM klines WHERE kline_interval = ? ORDER BY symbol");
    st->bind_all(std::string(exchange::interval_name(interval)));
    std::vector<std::string> out;
    while (st->step()) out.push_back(st->get_text(0));
    return out;
}

}  // namespace tradingd::backtest
