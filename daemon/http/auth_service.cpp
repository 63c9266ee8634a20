// Sessions. Password hashing runs outside the store lock (it takes ~80 ms by design); everything that
// changes the database for one request happens in one transaction.
#include "http/auth_service.h"

#include <ctime>

#include "crypto/digest.h"
#include "crypto/jwt.h"
#include "crypto/random.h"
#include "daemon_context.h"
#include "store/auth_repository.h"
#include "util/email.h"
#include "util/log.h"

namespace tradingd::daemon::http {
namespace {

std::string lowercase(std::string s) {
    for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

std::int64_t unix_now() {
    return static_cast<std::int64_t>(std::time(nullptr));
}

AuthFailure invalid_credentials() {
    return {401, "invalid_credentials", "wrong email or password", 0};
}

std::optional<Principal> principal_for(store::Repository& repo, const store::UserRow& user) {
    Principal p{user.id, user.email, user.role, std::nullopt};
    if (user.role == "agent") p.agent_id = store::AuthRepository(repo.connection()).agent_id_of_user(user.id);
    return p;
}

}  // namespace

AuthService::AuthService(DaemonContext& ctx, crypto::Argon2Params params) : ctx_(ctx), hasher_(params) {}

std::optional<Principal> AuthService::authenticate(const std::string& token, std::string& why) {
    auto cfg = ctx_.config();
    auto verified =
        crypto::jwt::verify(token, cfg->secrets.jwt_secret_key, cfg->settings.auth_issuer, unix_now());
    if (!verified.ok()) {
        why = "invalid token (" + std::string(crypto::jwt::to_string(verified.failure)) + ")";
        return std::nullopt;
    }
    const auto& claims = *verified.claims;
    std::int64_t user_id = 0;
    try {
        user_id = std::stoll(claims.at("sub").get<std::string>());
    } catch (const std::exception&) {
        why = "invalid token (bad subject)";
        return std::nullopt;
    }
    // The account as it is now, not as it was when the token was issued: a disabled user or a changed role
    // takes effect at once.
    return ctx_.with_store([&](store::Repository& repo) -> std::optional<Principal> {
        auto user = repo.find_user(user_id);
        if (!user || user->status != "active") {
            why = "the account is not active";
            return std::nullopt;
        }
        return principal_for(repo, *user);
    });
}

IssuedTokens AuthService::issue(store::Repository& repo, const Principal& who, const std::string& family_id) {
    auto cfg = ctx_.config();
    const auto now = unix_now();
    nlohmann::json claims = {{"iss", cfg->settings.auth_issuer},
                             {"sub", std::to_string(who.user_id)},
                             {"role", who.role},
                             {"iat", now},
                             {"nbf", now},
                             {"exp", now + cfg->settings.auth_access_token_ttl_s},
                             {"jti", crypto::random_hex(16)}};
    if (who.agent_id) claims["agent_id"] = *who.agent_id;
    IssuedTokens t;
    t.access_token = crypto::jwt::sign(claims, cfg->secrets.jwt_secret_key);
    t.expires_in = cfg->settings.auth_access_token_ttl_s;
    t.refresh_token = crypto::base64url_encode(crypto::random_bytes(32));
    // Only the hash is stored: a leaked database does not hand out sessions.
    store::AuthRepository(repo.connection())
        .add_refresh_token(who.user_id, family_id, crypto::sha256_hex(t.refresh_token),
                           store::utc_timestamp(cfg->settings.auth_refresh_token_ttl_days * 86400));
    return t;
}

SessionResult AuthService::login(const std::string& email, const std::string& password,
                                 const std::string& ip) {
    auto cfg = ctx_.config();
    const auto account = lowercase(email);
    const ThrottleLimits limits{cfg->settings.auth_login_max_failures_per_account,
                                cfg->settings.auth_login_max_failures_per_ip,
                                std::chrono::seconds(cfg->settings.auth_login_window_s)};
    if (auto wait = throttle_.retry_after(account, ip, limits); wait > 0)
        return {{}, {}, AuthFailure{429, "rate_limited", "too many failed logins; try again later", wait}};

    auto user = ctx_.with_store([&](store::Repository& repo) { return repo.find_user_by_email(email); });
    // Unknown emails cost the same time as wrong passwords, so timing does not reveal which emails exist.
    const bool ok = user ? hasher_.verify(password, user->password_hash) : hasher_.dummy_verify(password);
    if (!ok) {
        throttle_.record_failure(account, ip);
        ctx_.with_store([&](store::Repository& repo) {
            store::AuthRepository(repo.connection())
                .audit({user ? std::optional(user->id) : std::nullopt, account, "login_failed", std::nullopt,
                        ip, std::nullopt});
        });
        return {{}, {}, invalid_credentials()};
    }
    if (user->status != "active") {
        const bool pending = user->status == "pending";
        return {{},
                {},
                AuthFailure{403, pending ? "pending_approval" : "account_disabled",
                            pending ? "your account is waiting for an administrator's approval"
                                    : "this account has been disabled",
                            0}};
    }
    throttle_.record_success(account);
    std::optional<std::string> rehashed;
    if (hasher_.needs_rehash(user->password_hash)) rehashed = hasher_.hash(password);

    return ctx_.with_store([&](store::Repository& repo) {
        store::Transaction tx(repo.connection());
        store::AuthRepository auth(repo.connection());
        if (rehashed) repo.set_password_hash(user->id, *rehashed);
        auto who = principal_for(repo, *user);
        auto tokens = issue(repo, *who, crypto::random_hex(16));
        auth.audit({user->id, user->email, "login", std::nullopt, ip, std::nullopt});
        tx.commit();
        return SessionResult{tokens, who, std::nullopt};
    });
}

SessionResult AuthService::refresh(const std::string& refresh_token, const std::string& ip) {
    const auto hash = crypto::sha256_hex(refresh_token);
    const auto now = store::utc_timestamp();
    return ctx_.with_store([&](store::Repository& repo) -> SessionResult {
        store::Transaction tx(repo.connection());
        store::AuthRepository auth(repo.connection());
        auto row = auth.find_refresh_token(hash);
        if (!row) return {{}, {}, AuthFailure{401, "invalid_refresh_token", "unknown refresh token", 0}};
        auto reused = [&] {
            // Someone presented a token that was already exchanged: either the user or a thief holds a copy.
            // End every session of this login; the real user signs in again.
            auth.revoke_token_family(row->family_id, now);
            auth.audit({row->user_id, "anonymous", "refresh_reuse", row->family_id, ip, std::nullopt});
            tx.commit();
            static auto logger = log::get("api");
            logger->warn("refresh token reuse for user {} from {}: session family revoked", row->user_id, ip);
            return SessionResult{{},
                                 {},
                                 AuthFailure{401, "refresh_token_reused",
                                             "this refresh token was already used; sign in again", 0}};
        };
        if (row->revoked_at || row->used_at) return reused();
        if (row->expires_at <= now)
            return {{},
                    {},
                    AuthFailure{401, "refresh_token_expired", "the session has expired; sign in again", 0}};
        if (!auth.use_refresh_token(row->id, now)) return reused();
        auto user = repo.find_user(row->user_id);
        if (!user || user->status != "active") {
            auth.revoke_token_family(row->family_id, now);
            tx.commit();
            return {{}, {}, AuthFailure{401, "account_inactive", "the account is not active", 0}};
        }
        auto who = principal_for(repo, *user);
        auto tokens = issue(repo, *who, row->family_id);
        tx.commit();
        return {tokens, who, std::nullopt};
    });
}

void AuthService::logout(const std::string& refresh_token, const std::string& ip) {
    const auto hash = crypto::sha256_hex(refresh_token);
    ctx_.with_store([&](store::Repository& repo) {
        store::Transaction tx(repo.connection());
        store::AuthRepository auth(repo.connection());
        if (auto row = auth.find_refresh_token(hash)) {
            auth.revoke_token_family(row->family_id, store::utc_timestamp());
            auth.audit({row->user_id, "user", "logout", std::nullopt, ip, std::nullopt});
        }
        tx.commit();
    });
}

AuthService::Registered AuthService::register_agent(const std::string& email, const std::string& password,
                                                    const std::string& display_name, const std::string& ip) {
    auto fail = [](int status, std::string code, std::string message) {
        return Registered{std::nullopt, "", AuthFailure{status, std::move(code), std::move(message), 0}};
    };
    if (!plausible_email(email))
        return fail(400, "invalid_email", "that does not look like an email address");
    if (password.size() < 10 || crypto::check_password(password) != crypto::PasswordProblem::none)
        return fail(400, "weak_password", "use a password of 10 to 1024 characters");
    if (display_name.empty() || display_name.size() > 100)
        return fail(400, "invalid_display_name", "the display name must be 1 to 100 characters");

    auto hash = hasher_.hash(password);
    if (!hash) return fail(400, "weak_password", "that password cannot be used");
    const std::string status = ctx_.config()->settings.auth_require_approval ? "pending" : "active";
    return ctx_.with_store([&](store::Repository& repo) -> Registered {
        store::Transaction tx(repo.connection());
        if (repo.find_user_by_email(email))
            return fail(409, "email_taken", "an account with that email exists");
        auto user_id = repo.create_user(email, *hash, "agent", status);
        auto agent_id = repo.create_agent(user_id, display_name);
        store::AuthRepository(repo.connection())
            .audit({user_id, lowercase(email), "register", "agent:" + std::to_string(agent_id), ip,
                    std::nullopt});
        tx.commit();
        return Registered{Principal{user_id, email, "agent", agent_id}, status, std::nullopt};
    });
}

}  // namespace tradingd::daemon::http
