-- 0003 backtests: stored backtest runs (parameters, summary metrics, equity curve), their trades and monthly
-- returns, and the kline store that `tradingctl market fetch` fills and stored-source backtests replay.
-- Money is DECIMAL(36,18); ratios (Sharpe, profit factor) are DECIMAL too. Run and period times are DATETIME
-- (UTC session); candle times stay epoch milliseconds (BIGINT) as Binance sends them. Every table's first
-- column is an integer key because db copy/backup page by it; the klines' natural key (symbol,
-- kline_interval, open_time) is a UNIQUE key ("interval" is a reserved word here).

CREATE TABLE backtest_runs (
    id                BIGINT         NOT NULL AUTO_INCREMENT PRIMARY KEY,
    status            ENUM('running', 'done', 'failed') NOT NULL DEFAULT 'running',
    published         BOOLEAN        NOT NULL DEFAULT FALSE,
    strategy_version  VARCHAR(32)    NOT NULL,
    params            TEXT           NOT NULL,
    source            ENUM('simulated', 'stored') NOT NULL,
    seed              BIGINT         NULL,
    kline_interval    VARCHAR(8)     NOT NULL,
    period_from       DATETIME       NOT NULL,
    period_to         DATETIME       NOT NULL,
    symbols           TEXT           NOT NULL,
    initial_equity    DECIMAL(36,18) NOT NULL,
    final_equity      DECIMAL(36,18) NULL,
    total_return_pct  DECIMAL(36,18) NULL,
    max_drawdown_pct  DECIMAL(36,18) NULL,
    profit_factor     DECIMAL(36,18) NULL,
    sharpe            DECIMAL(36,18) NULL,
    trade_count       INT            NOT NULL DEFAULT 0,
    win_rate_pct      DECIMAL(36,18) NULL,
    monthly_win_rate_pct DECIMAL(36,18) NULL,
    candles           BIGINT         NOT NULL DEFAULT 0,
    digest            CHAR(64)       NULL,
    equity_curve      MEDIUMTEXT     NULL,
    error             TEXT           NULL,
    created_at        DATETIME       NOT NULL DEFAULT CURRENT_TIMESTAMP,
    finished_at       DATETIME       NULL DEFAULT NULL,
    INDEX idx_backtest_runs_published (published)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

CREATE TABLE backtest_trades (
    id            BIGINT         NOT NULL AUTO_INCREMENT PRIMARY KEY,
    run_id        BIGINT         NOT NULL,
    symbol        VARCHAR(32)    NOT NULL,
    side          ENUM('LONG', 'SHORT') NOT NULL,
    score         INT            NOT NULL,
    leverage      INT            NOT NULL,
    quantity      DECIMAL(36,18) NOT NULL,
    entry_time    DATETIME       NOT NULL,
    entry_price   DECIMAL(36,18) NOT NULL,
    exit_time     DATETIME       NOT NULL,
    exit_price    DECIMAL(36,18) NOT NULL,
    exit_reason   VARCHAR(32)    NOT NULL,
    fees          DECIMAL(36,18) NOT NULL,
    funding       DECIMAL(36,18) NOT NULL,
    pnl           DECIMAL(36,18) NOT NULL,
    return_pct    DECIMAL(36,18) NOT NULL,
    INDEX idx_backtest_trades_run (run_id, id),
    CONSTRAINT fk_backtest_trades_run FOREIGN KEY (run_id) REFERENCES backtest_runs (id) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

CREATE TABLE backtest_monthly (
    id            BIGINT         NOT NULL AUTO_INCREMENT PRIMARY KEY,
    run_id        BIGINT         NOT NULL,
    month         CHAR(7)        NOT NULL,
    start_equity  DECIMAL(36,18) NOT NULL,
    end_equity    DECIMAL(36,18) NOT NULL,
    return_pct    DECIMAL(36,18) NOT NULL,
    trade_count   INT            NOT NULL,
    win_count     INT            NOT NULL,
    UNIQUE KEY uq_backtest_monthly_run_month (run_id, month),
    CONSTRAINT fk_backtest_monthly_run FOREIGN KEY (run_id) REFERENCES backtest_runs (id) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

CREATE TABLE klines (
    id              BIGINT         NOT NULL AUTO_INCREMENT PRIMARY KEY,
    symbol          VARCHAR(32)    NOT NULL,
    kline_interval  VARCHAR(8)     NOT NULL,
    open_time       BIGINT         NOT NULL,
    open            DECIMAL(36,18) NOT NULL,
    high            DECIMAL(36,18) NOT NULL,
    low             DECIMAL(36,18) NOT NULL,
    close           DECIMAL(36,18) NOT NULL,
    volume          DECIMAL(36,18) NOT NULL,
    close_time      BIGINT         NOT NULL,
    quote_volume    DECIMAL(36,18) NOT NULL,
    UNIQUE KEY uq_klines_symbol_interval_time (symbol, kline_interval, open_time)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;
