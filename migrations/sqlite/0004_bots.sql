-- tradingd: foreign_keys_off
-- 0004 bots: what the bot engine persists (pending/cancelled positions, per-leg order attempts, scan and
-- ATR at entry), the paper broker's account snapshot per agent, and the supervisor's restart bookkeeping.
-- positions is rebuilt by SQLite's 12-step procedure (a CHECK cannot be altered); the marker line above
-- makes the migrator turn foreign keys off outside the transaction and run foreign_key_check before commit.

CREATE TABLE positions_new (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    agent_id            INTEGER NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
    symbol              TEXT    NOT NULL,
    side                TEXT    NOT NULL CHECK (side IN ('LONG', 'SHORT')),
    status              TEXT    NOT NULL DEFAULT 'OPEN'
                                CHECK (status IN ('PENDING', 'OPEN', 'CLOSED', 'CANCELLED')),
    quantity            TEXT    NOT NULL,
    entry_price         TEXT    NOT NULL,
    exit_price          TEXT    NULL,
    stop_loss           TEXT    NULL,
    take_profit         TEXT    NULL,
    leverage            INTEGER NOT NULL DEFAULT 1,
    realized_pnl        TEXT    NULL,
    fees                TEXT    NOT NULL DEFAULT '0',
    score               INTEGER NULL,
    close_reason        TEXT    NULL,
    opened_at           TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%S', 'now')),
    closed_at           TEXT    NULL,
    atr_at_entry        TEXT    NOT NULL DEFAULT '',
    opened_at_ms        INTEGER NOT NULL DEFAULT 0,
    closed_at_ms        INTEGER NULL,
    entry_attempt       INTEGER NOT NULL DEFAULT 0,
    stop_loss_attempt   INTEGER NOT NULL DEFAULT 0,
    take_profit_attempt INTEGER NOT NULL DEFAULT 0,
    exit_attempt        INTEGER NOT NULL DEFAULT 0,
    trailing_attempt    INTEGER NOT NULL DEFAULT 0,
    scan_id             INTEGER NULL,
    adopted             INTEGER NOT NULL DEFAULT 0 CHECK (adopted IN (0, 1))
);
INSERT INTO positions_new (id, agent_id, symbol, side, status, quantity, entry_price, exit_price, stop_loss,
                           take_profit, leverage, realized_pnl, fees, score, close_reason, opened_at, closed_at)
    SELECT id, agent_id, symbol, side, status, quantity, entry_price, exit_price, stop_loss, take_profit,
           leverage, realized_pnl, fees, score, close_reason, opened_at, closed_at
    FROM positions;
DROP TABLE positions;
ALTER TABLE positions_new RENAME TO positions;
CREATE INDEX idx_positions_agent_status ON positions (agent_id, status);

ALTER TABLE orders ADD COLUMN algo_status TEXT NULL;
ALTER TABLE orders ADD COLUMN close_position INTEGER NOT NULL DEFAULT 0 CHECK (close_position IN (0, 1));
ALTER TABLE orders ADD COLUMN updated_at_ms INTEGER NOT NULL DEFAULT 0;

CREATE TABLE paper_accounts (
    agent_id    INTEGER PRIMARY KEY REFERENCES agents (id) ON DELETE CASCADE,
    state       TEXT    NOT NULL,
    updated_at  TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%S', 'now'))
);

ALTER TABLE bots ADD COLUMN last_cause TEXT NULL;
ALTER TABLE bots ADD COLUMN last_restart_at TEXT NULL;
ALTER TABLE bots ADD COLUMN worker_pid INTEGER NULL;
