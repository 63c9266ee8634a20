// Accounts and sessions: registration, login with rate limits, JWT access tokens, rotating refresh tokens
// whose reuse revokes their whole family, and the check behind every authenticated request.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "crypto/password.h"
#include "http/api.h"
#include "http/login_throttle.h"
#include "store/repository.h"

namespace tradingd::daemon::http {

struct IssuedTokens {
    std::string access_token;
    std::int64_t expires_in = 0;  // seconds
    std::string refresh_token;
};

// An expected outcome of an auth call that did not succeed: turned into an HTTP status by the handler.
struct AuthFailure {
    int status;
    std::string code;
    std::string message;
    std::int64_t retry_after_s = 0;
};

struct SessionResult {
    std::optional<IssuedTokens> tokens;
    std::optional<Principal> principal;
    std::optional<AuthFailure> failure;
};

class AuthService {
  public:
    explicit AuthService(DaemonContext& ctx, crypto::Argon2Params params = crypto::kOwaspArgon2idMinimum);

    // The Authenticator of HttpServer: a valid, unexpired token of a user who still exists and is active.
    std::optional<Principal> authenticate(const std::string& token, std::string& why);

    SessionResult login(const std::string& email, const std::string& password, const std::string& ip);
    SessionResult refresh(const std::string& refresh_token, const std::string& ip);
    void logout(const std::string& refresh_token, const std::string& ip);

    // Registration of an agent: returns the new user's principal (status may be 'pending').
    struct Registered {
        std::optional<Principal> principal;
        std::string status;
        std::optional<AuthFailure> failure;
    };
    Registered register_agent(const std::string& email, const std::string& password,
                              const std::string& display_name, const std::string& ip);

    const crypto::PasswordHasher& hasher() const { return hasher_; }

  private:
    // Signs an access token and stores a new refresh token of `family_id`; call inside the caller's
    // transaction.
    IssuedTokens issue(store::Repository& repo, const Principal& who, const std::string& family_id);

    DaemonContext& ctx_;
    crypto::PasswordHasher hasher_;
    LoginThrottle throttle_;
};

}  // namespace tradingd::daemon::http
