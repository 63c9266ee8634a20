// /api/auth/*: register, login, refresh, logout. Open routes: the service decides who gets a session.
#include "daemon_context.h"
#include "http/auth_service.h"
#include "http/handlers.h"

namespace tradingd::daemon::http {
namespace {

ApiReply failure_reply(const AuthFailure& f) {
    auto reply = ApiReply::error(f.status, f.code, f.message);
    if (f.retry_after_s > 0) reply.headers["Retry-After"] = std::to_string(f.retry_after_s);
    return reply;
}

nlohmann::json user_json(const Principal& p) {
    nlohmann::json j = {{"id", p.user_id}, {"email", p.email}, {"role", p.role}};
    if (p.agent_id) j["agent_id"] = *p.agent_id;
    return j;
}

ApiReply session_reply(const SessionResult& r) {
    if (r.failure) return failure_reply(*r.failure);
    return ApiReply::ok({{"access_token", r.tokens->access_token},
                         {"token_type", "Bearer"},
                         {"expires_in", r.tokens->expires_in},
                         {"refresh_token", r.tokens->refresh_token},
                         {"user", user_json(*r.principal)}});
}

}  // namespace

std::vector<Route> auth_routes(AuthService& auth) {
    return {
        {"POST", "/api/auth/register", Access::open, "create an agent account",
         [&auth](const ApiRequest& req, DaemonContext&) {
             Fields f(req.body);
             auto email = f.str("email", 254);
             auto password = f.str("password", 1024);
             auto name = f.str("display_name", 100);
             if (!f.ok()) return f.error();
             auto r = auth.register_agent(email, password, name, req.client_ip);
             if (r.failure) return failure_reply(*r.failure);
             auto body = nlohmann::json{{"user", user_json(*r.principal)}, {"status", r.status}};
             body["user"]["status"] = r.status;
             return ApiReply::created(body);
         }},
        {"POST", "/api/auth/login", Access::open, "exchange email and password for tokens",
         [&auth](const ApiRequest& req, DaemonContext&) {
             Fields f(req.body);
             auto email = f.str("email", 254);
             auto password = f.str("password", 1024);
             if (!f.ok()) return f.error();
             return session_reply(auth.login(email, password, req.client_ip));
         }},
        {"POST", "/api/auth/refresh", Access::open, "exchange a refresh token for new tokens (one use)",
         [&auth](const ApiRequest& req, DaemonContext&) {
             Fields f(req.body);
             auto token = f.str("refresh_token", 256);
             if (!f.ok()) return f.error();
             return session_reply(auth.refresh(token, req.client_ip));
         }},
        {"POST", "/api/auth/logout", Access::open, "end the session of a refresh token",
         [&auth](const ApiRequest& req, DaemonContext&) {
             Fields f(req.body);
             auto token = f.str("refresh_token", 256);
             if (!f.ok()) return f.error();
             auth.logout(token, req.client_ip);
             return ApiReply{204, nullptr, {}};
         }},
    };
}

}  // namespace tradingd::daemon::http
