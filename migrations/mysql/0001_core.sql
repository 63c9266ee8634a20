-- 0001 core: accounts, agents, encrypted API keys, bots, positions, orders, trades, notifications,
-- scan results and the event log. Money and quantities are DECIMAL(36,18), never FLOAT/DOUBLE.
-- The connection runs with time_zone '+00:00', so TIMESTAMP columns read back as UTC.

CREATE TABLE users (
    id            INT          NOT NULL AUTO_INCREMENT PRIMARY KEY,
    email         VARCHAR(254) NOT NULL,
    password_hash VARCHAR(255) NOT NULL,
    role          ENUM('admin', 'agent') NOT NULL,
    status        ENUM('pending', 'active', 'disabled') NOT NULL DEFAULT 'active',
    created_at    TIMESTAMP    NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at    TIMESTAMP    NOT NULL DEFAULT CURRENT_TIMESTAMP,
    UNIQUE KEY uq_users_email (email)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

CREATE TABLE agents (
    id                INT            NOT NULL AUTO_INCREMENT PRIMARY KEY,
    user_id           INT            NOT NULL,
    display_name      VARCHAR(100)   NOT NULL,
    telegram_chat_id  VARCHAR(64)    NULL,
    risk_fraction     DECIMAL(36,18) NOT NULL DEFAULT 0.02,
    max_leverage      INT            NOT NULL DEFAULT 5,
    max_positions     INT            NOT NULL DEFAULT 3,
    fee_rate          DECIMAL(36,18) NOT NULL DEFAULT 0.2,
    high_water_mark   DECIMAL(36,18) NOT NULL DEFAULT 0,
    created_at        TIMESTAMP      NOT NULL DEFAULT CURRENT_TIMESTAMP,
    UNIQUE KEY uq_agents_user (user_id),
    CONSTRAINT fk_agents_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

CREATE TABLE api_keys (
    id            INT            NOT NULL AUTO_INCREMENT PRIMARY KEY,
    agent_id      INT            NOT NULL,
    exchange      VARCHAR(32)    NOT NULL DEFAULT 'binance_usdm',
    key_masked    VARCHAR(32)    NOT NULL,
    data_key_id   INT            NOT NULL,
    ciphertext    VARBINARY(2048) NOT NULL,
    status        ENUM('active', 'revoked') NOT NULL DEFAULT 'active',
    created_at    TIMESTAMP      NOT NULL DEFAULT CURRENT_TIMESTAMP,
    checked_at    TIMESTAMP      NULL DEFAULT NULL,
    INDEX idx_api_keys_agent (agent_id, status),
    CONSTRAINT fk_api_keys_agent FOREIGN KEY (agent_id) REFERENCES agents (id) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

CREATE TABLE bots (
    id             INT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    agent_id       INT       NOT NULL,
    mode           ENUM('paper', 'live') NOT NULL DEFAULT 'paper',
    state          ENUM('stopped', 'starting', 'running', 'stopping', 'error') NOT NULL DEFAULT 'stopped',
    desired_state  ENUM('stopped', 'running') NOT NULL DEFAULT 'stopped',
    restart_count  INT       NOT NULL DEFAULT 0,
    last_error     TEXT      NULL,
    started_at     TIMESTAMP NULL DEFAULT NULL,
    updated_at     TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    UNIQUE KEY uq_bots_agent (agent_id),
    CONSTRAINT fk_bots_agent FOREIGN KEY (agent_id) REFERENCES agents (id) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

CREATE TABLE positions (
    id            BIGINT         NOT NULL AUTO_INCREMENT PRIMARY KEY,
    agent_id      INT            NOT NULL,
    symbol        VARCHAR(32)    NOT NULL,
    side          ENUM('LONG', 'SHORT') NOT NULL,
    status        ENUM('OPEN', 'CLOSED') NOT NULL DEFAULT 'OPEN',
    quantity      DECIMAL(36,18) NOT NULL,
    entry_price   DECIMAL(36,18) NOT NULL,
    exit_price    DECIMAL(36,18) NULL,
    stop_loss     DECIMAL(36,18) NULL,
    take_profit   DECIMAL(36,18) NULL,
    leverage      INT            NOT NULL DEFAULT 1,
    realized_pnl  DECIMAL(36,18) NULL,
    fees          DECIMAL(36,18) NOT NULL DEFAULT 0,
    score         INT            NULL,
    close_reason  VARCHAR(32)    NULL,
    opened_at     TIMESTAMP      NOT NULL DEFAULT CURRENT_TIMESTAMP,
    closed_at     TIMESTAMP      NULL DEFAULT NULL,
    INDEX idx_positions_agent_status (agent_id, status),
    CONSTRAINT fk_positions_agent FOREIGN KEY (agent_id) REFERENCES agents (id) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

CREATE TABLE orders (
    id                 BIGINT         NOT NULL AUTO_INCREMENT PRIMARY KEY,
    agent_id           INT            NOT NULL,
    position_id        BIGINT         NULL,
    client_order_id    VARCHAR(36)    NOT NULL,
    exchange_order_id  VARCHAR(32)    NULL,
    symbol             VARCHAR(32)    NOT NULL,
    side               ENUM('BUY', 'SELL') NOT NULL,
    type               VARCHAR(32)    NOT NULL,
    leg                ENUM('entry', 'stop_loss', 'take_profit', 'exit') NOT NULL,
    status             VARCHAR(24)    NOT NULL,
    quantity           DECIMAL(36,18) NOT NULL,
    price              DECIMAL(36,18) NULL,
    stop_price         DECIMAL(36,18) NULL,
    filled_quantity    DECIMAL(36,18) NOT NULL DEFAULT 0,
    average_price      DECIMAL(36,18) NULL,
    reduce_only        BOOLEAN        NOT NULL DEFAULT FALSE,
    created_at         TIMESTAMP      NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at         TIMESTAMP      NOT NULL DEFAULT CURRENT_TIMESTAMP,
    UNIQUE KEY uq_orders_client_order_id (client_order_id),
    INDEX idx_orders_agent (agent_id, status),
    INDEX idx_orders_position (position_id),
    CONSTRAINT fk_orders_agent FOREIGN KEY (agent_id) REFERENCES agents (id) ON DELETE CASCADE,
    CONSTRAINT fk_orders_position FOREIGN KEY (position_id) REFERENCES positions (id) ON DELETE SET NULL
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

CREATE TABLE trades (
    id                 BIGINT         NOT NULL AUTO_INCREMENT PRIMARY KEY,
    agent_id           INT            NOT NULL,
    order_id           BIGINT         NULL,
    position_id        BIGINT         NULL,
    exchange_trade_id  VARCHAR(32)    NOT NULL,
    symbol             VARCHAR(32)    NOT NULL,
    side               ENUM('BUY', 'SELL') NOT NULL,
    price              DECIMAL(36,18) NOT NULL,
    quantity           DECIMAL(36,18) NOT NULL,
    fee                DECIMAL(36,18) NOT NULL DEFAULT 0,
    fee_asset          VARCHAR(16)    NOT NULL DEFAULT 'USDT',
    realized_pnl       DECIMAL(36,18) NOT NULL DEFAULT 0,
    executed_at        TIMESTAMP      NOT NULL DEFAULT CURRENT_TIMESTAMP,
    UNIQUE KEY uq_trades_exchange_id (agent_id, symbol, exchange_trade_id),
    INDEX idx_trades_position (position_id),
    CONSTRAINT fk_trades_agent FOREIGN KEY (agent_id) REFERENCES agents (id) ON DELETE CASCADE,
    CONSTRAINT fk_trades_order FOREIGN KEY (order_id) REFERENCES orders (id) ON DELETE SET NULL,
    CONSTRAINT fk_trades_position FOREIGN KEY (position_id) REFERENCES positions (id) ON DELETE SET NULL
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

CREATE TABLE notifications (
    id          BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    agent_id    INT          NOT NULL,
    type        ENUM('trade_open', 'trade_close', 'risk_alert', 'billing', 'system') NOT NULL,
    title       VARCHAR(200) NOT NULL,
    message     TEXT,
    is_read     BOOLEAN      DEFAULT FALSE,
    created_at  TIMESTAMP    DEFAULT CURRENT_TIMESTAMP,
    INDEX idx_agent_read (agent_id, is_read),
    CONSTRAINT fk_notifications_agent FOREIGN KEY (agent_id) REFERENCES agents (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

CREATE TABLE scan_results (
    id          BIGINT      NOT NULL AUTO_INCREMENT PRIMARY KEY,
    scan_id     BIGINT      NOT NULL,
    scanned_at  TIMESTAMP   NOT NULL DEFAULT CURRENT_TIMESTAMP,
    symbol      VARCHAR(32) NOT NULL,
    score       INT         NOT NULL,
    direction   ENUM('LONG', 'SHORT') NULL,
    passed      BOOLEAN     NOT NULL,
    reason      VARCHAR(32) NULL,
    details     TEXT        NULL,
    INDEX idx_scan_results_scan (scan_id),
    INDEX idx_scan_results_symbol (symbol, scanned_at),
    CONSTRAINT chk_scan_results_score CHECK (score BETWEEN 0 AND 100)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

CREATE TABLE events (
    id          BIGINT      NOT NULL AUTO_INCREMENT PRIMARY KEY,
    agent_id    INT         NULL,
    kind        VARCHAR(32) NOT NULL,
    payload     MEDIUMTEXT  NOT NULL,
    created_at  TIMESTAMP   NOT NULL DEFAULT CURRENT_TIMESTAMP,
    INDEX idx_events_agent (agent_id, id),
    CONSTRAINT fk_events_agent FOREIGN KEY (agent_id) REFERENCES agents (id) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;
