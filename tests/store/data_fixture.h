// A populated database for the copy, backup and restore tests: every data table, unicode with emoji, NULLs,
// decimals at DECIMAL(36,18)'s limits, blobs with all 256 byte values, thousands of rows, and a deleted id.
#pragma once

#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <memory>
#include <string>

#include "store/migrator.h"
#include "store/open.h"

namespace tradingd::test {

inline const std::string kBigDecimal = "123456789012345678.123456789012345678";
inline const std::string kEmojiTitle = "Position opened 🚀 BTC/USDT — Ünïcödé ✓";
constexpr int kEvents = 4000;
constexpr int kScanResults = 2000;
constexpr std::int64_t kAuditNextId = 7;  // six audit rows were written and the newest deleted

inline store::Blob all_byte_values() {
    store::Blob b;
    for (int i = 0; i < 512; ++i) b.bytes.push_back(static_cast<std::uint8_t>((i * 7 + i / 256) & 0xff));
    for (int i = 0; i < 256; ++i) b.bytes.push_back(static_cast<std::uint8_t>(i));
    return b;
}

// A SQLite database file in its own temporary directory, removed with it.
class SqliteFile {
  public:
    SqliteFile() {
        static std::atomic<int> counter{0};
        dir_ = std::filesystem::temp_directory_path() /
               ("tradingd_data_test_" + std::to_string(::getpid()) + "_" + std::to_string(++counter));
        std::filesystem::create_directories(dir_);
        settings_.backend = store::Backend::sqlite;
        settings_.sqlite.path = (dir_ / "source.db").string();
        settings_.sqlite.create_if_missing = true;
    }
    ~SqliteFile() { std::filesystem::remove_all(dir_); }
    SqliteFile(const SqliteFile&) = delete;
    SqliteFile& operator=(const SqliteFile&) = delete;

    const std::string& path() const { return settings_.sqlite.path; }
    const std::filesystem::path& dir() const { return dir_; }
    const store::DbSettings& settings() const { return settings_; }
    std::unique_ptr<store::Connection> open(bool read_only = false) const {
        store::SqliteSettings s = settings_.sqlite;
        s.read_only = read_only;
        s.create_if_missing = !read_only;
        return store::open_sqlite(s);
    }

  private:
    std::filesystem::path dir_;
    store::DbSettings settings_;
};

inline void run(store::Connection& conn, const std::string& sql, std::initializer_list<store::Value> values) {
    auto st = conn.prepare(sql);
    int i = 1;
    for (const auto& v : values) st->bind(i++, v);
    st->step();
}

// Migrates `conn` to the latest schema and fills every data table.
inline void populate(store::Connection& conn) {
    using V = store::Value;
    store::migrate(conn);
    store::Transaction tx(conn);
    run(conn, "INSERT INTO users (email, password_hash, role, status, created_at) VALUES (?, ?, ?, ?, ?)",
        {std::string("root@example.com"), std::string("$argon2id$v=19$m=65536,t=3,p=1$c2FsdA$aGFzaA"),
         std::string("admin"), std::string("active"), std::string("2025-01-02 03:04:05")});
    run(conn, "INSERT INTO users (email, password_hash, role) VALUES (?, ?, ?)",
        {std::string("anna@example.com"), std::string("hash-2"), std::string("agent")});
    run(conn, "INSERT INTO users (email, password_hash, role, status) VALUES (?, ?, ?, ?)",
        {std::string("émile.🚀@example.com"), std::string("hash-3"), std::string("agent"),
         std::string("pending")});
    run(conn,
        "INSERT INTO agents (user_id, display_name, telegram_chat_id, risk_fraction, high_water_mark) "
        "VALUES (?, ?, ?, ?, ?)",
        {std::int64_t{2}, std::string("Anna 🚀 Ünïcödé"), nullptr, std::string("0.025"), kBigDecimal});
    run(conn, "INSERT INTO agents (user_id, display_name, telegram_chat_id, fee_rate) VALUES (?, ?, ?, ?)",
        {std::int64_t{3}, std::string("Émile"), std::string("-100123456"), std::string("0.15000")});
    run(conn, "INSERT INTO api_keys (agent_id, key_masked, data_key_id, ciphertext) VALUES (?, ?, ?, ?)",
        {std::int64_t{1}, std::string("vmPU…EhA8"), std::int64_t{1}, all_byte_values()});
    run(conn,
        "INSERT INTO api_keys (agent_id, key_masked, data_key_id, ciphertext, status, checked_at) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        {std::int64_t{2}, std::string("abcd…wxyz"), std::int64_t{2}, store::Blob{{0, 0, 0}},
         std::string("revoked"), std::string("2025-03-04 05:06:07")});
    run(conn, "INSERT INTO bots (agent_id, state, last_error, started_at) VALUES (?, ?, ?, ?)",
        {std::int64_t{1}, std::string("error"), std::string("exchange said -2015 ✗"),
         std::string("2025-02-03 04:05:06")});
    run(conn, "INSERT INTO bots (agent_id) VALUES (?)", {std::int64_t{2}});
    // A paper account snapshot is JSON text of any size; the copy must carry it byte for byte.
    run(conn, "INSERT INTO paper_accounts (agent_id, state) VALUES (?, ?)",
        {std::int64_t{1},
         std::string(R"({"wallet":"10000.5","positions":{"BTCUSDT":{"amount":"-0.001"}},"note":"✓"})")});
    for (int i = 1; i <= 60; ++i) {
        const bool closed = i % 3 == 0;
        run(conn,
            "INSERT INTO positions (agent_id, symbol, side, status, quantity, entry_price, exit_price, "
            "realized_pnl, score, closed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            {std::int64_t{1 + i % 2}, std::string("SYM") + std::to_string(i) + "USDT",
             std::string(i % 2 ? "LONG" : "SHORT"), std::string(closed ? "CLOSED" : "OPEN"),
             std::string("0.00") + std::to_string(i),
             i == 1 ? V(kBigDecimal) : V(std::to_string(60000 + i) + ".50"),
             closed ? V(std::string("-") + kBigDecimal) : V(nullptr),
             closed ? V(std::string("-12.030000")) : V(nullptr), i % 4 ? V(std::int64_t{i}) : V(nullptr),
             closed ? V(std::string("2025-05-06 07:08:09")) : V(nullptr)});
    }
    for (int i = 1; i <= 120; ++i)
        run(conn,
            "INSERT INTO orders (agent_id, position_id, client_order_id, symbol, side, type, leg, status, "
            "quantity, price, reduce_only) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            {std::int64_t{1 + i % 2}, i % 5 ? V(std::int64_t{1 + i % 60}) : V(nullptr),
             "td-" + std::to_string(i), std::string("BTCUSDT"), std::string(i % 2 ? "BUY" : "SELL"),
             std::string("LIMIT"), std::string(i % 3 ? "entry" : "stop_loss"), std::string("NEW"),
             std::string("1e-3"), i % 7 ? V(std::string("65000.1")) : V(nullptr), std::int64_t{i % 2}});
    for (int i = 1; i <= 100; ++i)
        run(conn,
            "INSERT INTO trades (agent_id, order_id, position_id, exchange_trade_id, symbol, side, price, "
            "quantity, fee, executed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            {std::int64_t{1}, i % 4 ? V(std::int64_t{i}) : V(nullptr), V(std::int64_t{1 + i % 60}),
             std::to_string(900000 + i), std::string("BTCUSDT"), std::string("BUY"),
             std::string("65000.123456789"), std::string("0.5"), std::string("0.000000000000000001"),
             std::string("2025-07-08 09:10:11")});
    for (int i = 1; i <= 200; ++i)
        run(conn,
            "INSERT INTO notifications (agent_id, type, title, message, is_read) VALUES (?, ?, ?, ?, ?)",
            {std::int64_t{1 + i % 2}, std::string(i % 2 ? "trade_open" : "system"),
             kEmojiTitle + " #" + std::to_string(i),
             i % 3 ? V(std::string("line 1\nline 2\t'quoted' \"double\" \\ 😀")) : V(nullptr),
             std::int64_t{i % 2}});
    for (int i = 1; i <= kScanResults; ++i)
        run(conn,
            "INSERT INTO scan_results (scan_id, scanned_at, symbol, score, direction, passed, reason, "
            "details) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            {std::int64_t{1 + i / 150}, std::string("2025-08-09 10:11:12"),
             "S" + std::to_string(i % 150) + "USDT", std::int64_t{i % 101},
             i % 3 == 0 ? V(nullptr) : V(std::string(i % 3 == 1 ? "LONG" : "SHORT")), std::int64_t{i % 2},
             i % 2 ? V(nullptr) : V(std::string("volume")), std::string("{\"rsi\":\"41.5\"}")});
    for (int i = 1; i <= kEvents; ++i)
        run(conn, "INSERT INTO events (agent_id, kind, payload) VALUES (?, ?, ?)",
            {i % 5 ? V(std::int64_t{1 + i % 2}) : V(nullptr), std::string("decision"),
             "{\"n\":" + std::to_string(i) + ",\"note\":\"Grüße 👋\"}"});
    for (int i = 1; i <= 10; ++i)
        run(conn,
            "INSERT INTO refresh_tokens (user_id, family_id, token_hash, expires_at, used_at) VALUES (?, ?, "
            "?, ?, ?)",
            {std::int64_t{1 + i % 3}, std::string(32, 'a' + i % 6),
             std::string(63, 'f') + std::to_string(i % 10), std::string("2030-01-01 00:00:00"),
             i % 2 ? V(std::string("2025-01-01 00:00:00")) : V(nullptr)});
    for (int i = 1; i <= 6; ++i)
        run(conn,
            "INSERT INTO audit_log (user_id, actor, action, target, ip, details) VALUES (?, ?, ?, ?, ?, ?)",
            {i % 2 ? V(std::int64_t{1}) : V(nullptr), std::string("tradingctl(uid=0)"), std::string("login"),
             nullptr, std::string("2001:db8::1"), std::string("{}")});
    run(conn, "DELETE FROM audit_log WHERE id = ?",
        {std::int64_t{6}});  // its id must never be handed out again
    // 0003: a published backtest run with a trade and a month, and candles of the kline store.
    run(conn,
        "INSERT INTO backtest_runs (status, published, strategy_version, params, source, seed, kline_interval, "
        "period_from, period_to, symbols, initial_equity, final_equity, total_return_pct, profit_factor, "
        "trade_count, candles, digest, equity_curve, finished_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
        "?, ?, ?, ?, ?, ?, ?)",
        {std::string("done"), std::int64_t{1}, std::string("1"), std::string("{\"note\":\"Grüße\"}"),
         std::string("simulated"), std::int64_t{42}, std::string("1h"), std::string("2025-01-01 00:00:00"),
         std::string("2025-07-01 00:00:00"), std::string("BTCUSDT,ETHUSDT"), std::string("10000"),
         std::string("10250.123456789"), std::string("2.5"), nullptr, std::int64_t{1}, std::int64_t{8760},
         std::string(64, 'a'), std::string("[[1735693200000,\"10000\"]]"), std::string("2025-07-01 00:05:00")});
    run(conn,
        "INSERT INTO backtest_trades (run_id, symbol, side, score, leverage, quantity, entry_time, entry_price, "
        "exit_time, exit_price, exit_reason, fees, funding, pnl, return_pct) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, "
        "?, ?, ?, ?, ?, ?)",
        {std::int64_t{1}, std::string("BTCUSDT"), std::string("SHORT"), std::int64_t{77}, std::int64_t{3},
         std::string("0.015"), std::string("2025-01-02 03:00:00"), std::string("65000.1"),
         std::string("2025-01-02 09:00:00"), std::string("64000.25"), std::string("take_profit"),
         std::string("0.97"), std::string("-0.0975"), std::string("14.12"), std::string("4.34")});
    run(conn,
        "INSERT INTO backtest_monthly (run_id, month, start_equity, end_equity, return_pct, trade_count, "
        "win_count) VALUES (?, ?, ?, ?, ?, ?, ?)",
        {std::int64_t{1}, std::string("2025-01"), std::string("10000"), std::string("10014.12"),
         std::string("0.14"), std::int64_t{1}, std::int64_t{1}});
    for (int i = 0; i < 50; ++i)
        run(conn,
            "INSERT INTO klines (symbol, kline_interval, open_time, open, high, low, close, volume, close_time, "
            "quote_volume) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            {std::string("BTCUSDT"), std::string("1h"), std::int64_t{1735689600000} + i * 3600000,
             std::string("65000.1"), std::string("65100.2"), std::string("64900"), std::string("65050.5"),
             std::string("123.456"), std::int64_t{1735693199999} + i * 3600000, std::string("8030000.75")});
    tx.commit();
}

}  // namespace tradingd::test
