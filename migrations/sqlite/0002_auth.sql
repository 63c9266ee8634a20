-- 0002 auth: refresh tokens (stored hashed, rotated, grouped in families so reuse revokes them all) and the
-- audit log of security-relevant actions.

CREATE TABLE refresh_tokens (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    family_id    TEXT    NOT NULL,
    token_hash   TEXT    NOT NULL UNIQUE,
    issued_at    TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%S', 'now')),
    expires_at   TEXT    NOT NULL,
    used_at      TEXT    NULL,
    revoked_at   TEXT    NULL
);
CREATE INDEX idx_refresh_tokens_family ON refresh_tokens (family_id);
CREATE INDEX idx_refresh_tokens_user ON refresh_tokens (user_id);

CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id     INTEGER NULL REFERENCES users (id) ON DELETE SET NULL,
    actor       TEXT    NOT NULL,
    action      TEXT    NOT NULL,
    target      TEXT    NULL,
    ip          TEXT    NULL,
    details     TEXT    NULL,
    created_at  TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%S', 'now'))
);
CREATE INDEX idx_audit_log_created ON audit_log (created_at);
CREATE INDEX idx_audit_log_user ON audit_log (user_id, id);
