-- 0003 backtests: stored backtest runs (parameters, summary metrics, equity curve), their trades and monthly
-- returns, and the kline store that `tradingctl market fetch` fills and stored-source backtests replay.
-- Money is TEXT decimal strings; ratios (Sharpe, profit factor) are TEXT decimals too so both backends hold
-- the same digits. Run and period times are UTC text; candle times stay epoch milliseconds as Binance sends
-- them. Every table's first column is an integer key because db copy/backup page by it; the klines' natural
-- key (symbol, kline_interval, open_time) is a UNIQUE constraint ("interval" is reserved in MySQL).

CREATE TABLE backtest_runs (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    status            TEXT    NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'done', 'failed')),
    published         INTEGER NOT NULL DEFAULT 0 CHECK (published IN (0, 1)),
    strategy_version  TEXT    NOT NULL,
    params            TEXT    NOT NULL,
    source            TEXT    NOT NULL CHECK (source IN ('simulated', 'stored')),
    seed              INTEGER NULL,
    kline_interval    TEXT    NOT NULL,
    period_from       TEXT    NOT NULL,
    period_to         TEXT    NOT NULL,
    symbols           TEXT    NOT NULL,
    initial_equity    TEXT    NOT NULL,
    final_equity      TEXT    NULL,
    total_return_pct  TEXT    NULL,
    max_drawdown_pct  TEXT    NULL,
    profit_factor     TEXT    NULL,
    sharpe            TEXT    NULL,
    trade_count       INTEGER NOT NULL DEFAULT 0,
    win_rate_pct      TEXT    NULL,
    monthly_win_rate_pct TEXT NULL,
    candles           INTEGER NOT NULL DEFAULT 0,
    digest            TEXT    NULL,
    equity_curve      TEXT    NULL,
    error             TEXT    NULL,
    created_at        TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%S', 'now')),
    finished_at       TEXT    NULL
);
CREATE INDEX idx_backtest_runs_published ON backtest_runs (published);

CREATE TABLE backtest_trades (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    run_id        INTEGER NOT NULL REFERENCES backtest_runs (id) ON DELETE CASCADE,
    symbol        TEXT    NOT NULL,
    side          TEXT    NOT NULL CHECK (side IN ('LONG', 'SHORT')),
    score         INTEGER NOT NULL,
    leverage      INTEGER NOT NULL,
    quantity      TEXT    NOT NULL,
    entry_time    TEXT    NOT NULL,
    entry_price   TEXT    NOT NULL,
    exit_time     TEXT    NOT NULL,
    exit_price    TEXT    NOT NULL,
    exit_reason   TEXT    NOT NULL,
    fees          TEXT    NOT NULL,
    funding       TEXT    NOT NULL,
    pnl           TEXT    NOT NULL,
    return_pct    TEXT    NOT NULL
);
CREATE INDEX idx_backtest_trades_run ON backtest_trades (run_id, id);

CREATE TABLE backtest_monthly (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    run_id        INTEGER NOT NULL REFERENCES backtest_runs (id) ON DELETE CASCADE,
    month         TEXT    NOT NULL,
    start_equity  TEXT    NOT NULL,
    end_equity    TEXT    NOT NULL,
    return_pct    TEXT    NOT NULL,
    trade_count   INTEGER NOT NULL,
    win_count     INTEGER NOT NULL,
    UNIQUE (run_id, month)
);

CREATE TABLE klines (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    symbol          TEXT    NOT NULL,
    kline_interval  TEXT    NOT NULL,
    open_time       INTEGER NOT NULL,
    open            TEXT    NOT NULL,
    high            TEXT    NOT NULL,
    low             TEXT    NOT NULL,
    close           TEXT    NOT NULL,
    volume          TEXT    NOT NULL,
    close_time      INTEGER NOT NULL,
    quote_volume    TEXT    NOT NULL,
    UNIQUE (symbol, kline_interval, open_time)
);
