-- 0001 core: accounts, agents, encrypted API keys, bots, positions, orders, trades, notifications,
-- scan results and the event log. Money and quantities are TEXT decimal strings, never REAL.
-- Timestamps are UTC text 'YYYY-MM-DD HH:MM:SS', the same text MySQL returns for its TIMESTAMP columns.

CREATE TABLE users (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    email         TEXT    NOT NULL UNIQUE COLLATE NOCASE CHECK (length(email) <= 254),
    password_hash TEXT    NOT NULL,
    role          TEXT    NOT NULL CHECK (role IN ('admin', 'agent')),
    status        TEXT    NOT NULL DEFAULT 'active' CHECK (status IN ('pending', 'active', 'disabled')),
    created_at    TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%S', 'now')),
    updated_at    TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%S', 'now'))
);

CREATE TABLE agents (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id           INTEGER NOT NULL UNIQUE REFERENCES users (id) ON DELETE CASCADE,
    display_name      TEXT    NOT NULL CHECK (length(display_name) <= 100),
    telegram_chat_id  TEXT    NULL,
    risk_fraction     TEXT    NOT NULL DEFAULT '0.02',
    max_leverage      INTEGER NOT NULL DEFAULT 5,
    max_positions     INTEGER NOT NULL DEFAULT 3,
    fee_rate          TEXT    NOT NULL DEFAULT '0.2',
    high_water_mark   TEXT    NOT NULL DEFAULT '0',
    created_at        TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%S', 'now'))
);

CREATE TABLE api_keys (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    agent_id      INTEGER NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
    exchange      TEXT    NOT NULL DEFAULT 'binance_usdm',
    key_masked    TEXT    NOT NULL,
    data_key_id   INTEGER NOT NULL,
    ciphertext    BLOB    NOT NULL,
    status        TEXT    NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'revoked')),
    created_at    TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%S', 'now')),
    checked_at    TEXT    NULL
);
CREATE INDEX idx_api_keys_agent ON api_keys (agent_id, status);

CREATE TABLE bots (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    agent_id       INTEGER NOT NULL UNIQUE REFERENCES agents (id) ON DELETE CASCADE,
    mode           TEXT    NOT NULL DEFAULT 'paper' CHECK (mode IN ('paper', 'live')),
    state          TEXT    NOT NULL DEFAULT 'stopped'
                           CHECK (state IN ('stopped', 'starting', 'running', 'stopping', 'error')),
    desired_state  TEXT    NOT NULL DEFAULT 'stopped' CHECK (desired_state IN ('stopped', 'running')),
    restart_count  INTEGER NOT NULL DEFAULT 0,
    last_error     TEXT    NULL,
    started_at     TEXT    NULL,
    updated_at     TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%S', 'now'))
);

CREATE TABLE positions (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    agent_id      INTEGER NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
    symbol        TEXT    NOT NULL,
    side          TEXT    NOT NULL CHECK (side IN ('LONG', 'SHORT')),
    status        TEXT    NOT NULL DEFAULT 'OPEN' CHECK (status IN ('OPEN', 'CLOSED')),
    quantity      TEXT    NOT NULL,
    entry_price   TEXT    NOT NULL,
    exit_price    TEXT    NULL,
    stop_loss     TEXT    NULL,
    take_profit   TEXT    NULL,
    leverage      INTEGER NOT NULL DEFAULT 1,
    realized_pnl  TEXT    NULL,
    fees          TEXT    NOT NULL DEFAULT '0',
    score         INTEGER NULL,
    close_reason  TEXT    NULL,
    opened_at     TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%S', 'now')),
    closed_at     TEXT    NULL
);
CREATE INDEX idx_positions_agent_status ON positions (agent_id, status);

CREATE TABLE orders (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    agent_id           INTEGER NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
    position_id        INTEGER NULL REFERENCES positions (id) ON DELETE SET NULL,
    client_order_id    TEXT    NOT NULL UNIQUE CHECK (length(client_order_id) <= 36),
    exchange_order_id  TEXT    NULL,
    symbol             TEXT    NOT NULL,
    side               TEXT    NOT NULL CHECK (side IN ('BUY', 'SELL')),
    type               TEXT    NOT NULL,
    leg                TEXT    NOT NULL CHECK (leg IN ('entry', 'stop_loss', 'take_profit', 'exit')),
    status             TEXT    NOT NULL,
    quantity           TEXT    NOT NULL,
    price              TEXT    NULL,
    stop_price         TEXT    NULL,
    filled_quantity    TEXT    NOT NULL DEFAULT '0',
    average_price      TEXT    NULL,
    reduce_only        INTEGER NOT NULL DEFAULT 0 CHECK (reduce_only IN (0, 1)),
    created_at         TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%S', 'now')),
    updated_at         TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%S', 'now'))
);
CREATE INDEX idx_orders_agent ON orders (agent_id, status);
CREATE INDEX idx_orders_position ON orders (position_id);

CREATE TABLE trades (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    agent_id           INTEGER NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
    order_id           INTEGER NULL REFERENCES orders (id) ON DELETE SET NULL,
    position_id        INTEGER NULL REFERENCES positions (id) ON DELETE SET NULL,
    exchange_trade_id  TEXT    NOT NULL,
    symbol             TEXT    NOT NULL,
    side               TEXT    NOT NULL CHECK (side IN ('BUY', 'SELL')),
    price              TEXT    NOT NULL,
    quantity           TEXT    NOT NULL,
    fee                TEXT    NOT NULL DEFAULT '0',
    fee_asset          TEXT    NOT NULL DEFAULT 'USDT',
    realized_pnl       TEXT    NOT NULL DEFAULT '0',
    executed_at        TEXT    NOT NULL,
    UNIQUE (agent_id, symbol, exchange_trade_id)
);
CREATE INDEX idx_trades_position ON trades (position_id);

CREATE TABLE notifications (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    agent_id    INTEGER NOT NULL REFERENCES agents (id),
    type        TEXT    NOT NULL CHECK (type IN ('trade_open', 'trade_close', 'risk_alert', 'billing', 'system')),
    title       TEXT    NOT NULL CHECK (length(title) <= 200),
    message     TEXT,
    is_read     INTEGER DEFAULT 0 CHECK (is_read IN (0, 1)),
    created_at  TEXT    DEFAULT (strftime('%Y-%m-%d %H:%M:%S', 'now'))
);
CREATE INDEX idx_agent_read ON notifications (agent_id, is_read);

CREATE TABLE scan_results (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    scan_id     INTEGER NOT NULL,
    scanned_at  TEXT    NOT NULL,
    symbol      TEXT    NOT NULL,
    score       INTEGER NOT NULL CHECK (score BETWEEN 0 AND 100),
    direction   TEXT    NULL CHECK (direction IN ('LONG', 'SHORT')),
    passed      INTEGER NOT NULL CHECK (passed IN (0, 1)),
    reason      TEXT    NULL,
    details     TEXT    NULL
);
CREATE INDEX idx_scan_results_scan ON scan_results (scan_id);
CREATE INDEX idx_scan_results_symbol ON scan_results (symbol, scanned_at);

CREATE TABLE events (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    agent_id    INTEGER NULL REFERENCES agents (id) ON DELETE CASCADE,
    kind        TEXT    NOT NULL,
    payload     TEXT    NOT NULL,
    created_at  TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%S', 'now'))
);
CREATE INDEX idx_events_agent ON events (agent_id, id);
