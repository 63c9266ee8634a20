-- 0004 bots: what the bot engine persists (pending/cancelled positions, per-leg order attempts, scan and
-- ATR at entry), the paper broker's account snapshot per agent, and the supervisor's restart bookkeeping.

ALTER TABLE positions
    MODIFY status ENUM('PENDING', 'OPEN', 'CLOSED', 'CANCELLED') NOT NULL DEFAULT 'OPEN',
    ADD COLUMN atr_at_entry        VARCHAR(64) NOT NULL DEFAULT '',
    ADD COLUMN opened_at_ms        BIGINT      NOT NULL DEFAULT 0,
    ADD COLUMN closed_at_ms        BIGINT      NULL,
    ADD COLUMN entry_attempt       INT         NOT NULL DEFAULT 0,
    ADD COLUMN stop_loss_attempt   INT         NOT NULL DEFAULT 0,
    ADD COLUMN take_profit_attempt INT         NOT NULL DEFAULT 0,
    ADD COLUMN exit_attempt        INT         NOT NULL DEFAULT 0,
    ADD COLUMN trailing_attempt    INT         NOT NULL DEFAULT 0,
    ADD COLUMN scan_id             BIGINT      NULL,
    ADD COLUMN adopted             BOOLEAN     NOT NULL DEFAULT FALSE;

ALTER TABLE orders
    ADD COLUMN algo_status    VARCHAR(24) NULL,
    ADD COLUMN close_position BOOLEAN     NOT NULL DEFAULT FALSE,
    ADD COLUMN updated_at_ms  BIGINT      NOT NULL DEFAULT 0;

CREATE TABLE paper_accounts (
    agent_id    INT        NOT NULL PRIMARY KEY,
    state       MEDIUMTEXT NOT NULL,
    updated_at  TIMESTAMP  NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
    CONSTRAINT fk_paper_accounts_agent FOREIGN KEY (agent_id) REFERENCES agents (id) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

ALTER TABLE bots
    ADD COLUMN last_cause      VARCHAR(32) NULL,
    ADD COLUMN last_restart_at TIMESTAMP   NULL DEFAULT NULL,
    ADD COLUMN worker_pid      INT         NULL;
