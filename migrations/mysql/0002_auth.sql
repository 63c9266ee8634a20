-- 0002 auth: refresh tokens (stored hashed, rotated, grouped in families so reuse revokes them all) and the
-- audit log of security-relevant actions. DATETIME, not TIMESTAMP: expiry dates must be able to pass 2038;
-- the session runs in UTC, so the values are UTC either way.

CREATE TABLE refresh_tokens (
    id           BIGINT      NOT NULL AUTO_INCREMENT PRIMARY KEY,
    user_id      INT         NOT NULL,
    family_id    CHAR(32)    NOT NULL,
    token_hash   CHAR(64)    NOT NULL,
    issued_at    DATETIME    NOT NULL DEFAULT CURRENT_TIMESTAMP,
    expires_at   DATETIME    NOT NULL,
    used_at      DATETIME    NULL DEFAULT NULL,
    revoked_at   DATETIME    NULL DEFAULT NULL,
    UNIQUE KEY uq_refresh_tokens_hash (token_hash),
    INDEX idx_refresh_tokens_family (family_id),
    INDEX idx_refresh_tokens_user (user_id),
    CONSTRAINT fk_refresh_tokens_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

CREATE TABLE audit_log (
    id          BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    user_id     INT          NULL,
    actor       VARCHAR(254) NOT NULL,
    action      VARCHAR(64)  NOT NULL,
    target      VARCHAR(254) NULL,
    ip          VARCHAR(45)  NULL,
    details     TEXT         NULL,
    created_at  DATETIME     NOT NULL DEFAULT CURRENT_TIMESTAMP,
    INDEX idx_audit_log_created (created_at),
    INDEX idx_audit_log_user (user_id, id),
    CONSTRAINT fk_audit_log_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE SET NULL
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;
