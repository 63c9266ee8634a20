// /api/admin/*: account administration and the audit log. Admin role required (checked by HttpServer).
#include "daemon_context.h"
#include "http/handlers.h"
#include "store/auth_repository.h"

namespace tradingd::daemon::http {
namespace {

nlohmann::json user_json(const store::UserRow& u) {
    return {{"id", u.id},
            {"email", u.email},
            {"role", u.role},
            {"status", u.status},
            {"created_at", u.created_at}};
}

ApiReply list_users(const ApiRequest&, DaemonContext& ctx) {
    return ctx.with_store([](store::Repository& repo) {
        nlohmann::json list = nlohmann::json::array();
        for (const auto& u : store::AuthRepository(repo.connection()).users(1000, 0))
            list.push_back(user_json(u));
        return ApiReply::ok({{"users", list}});
    });
}

// Applies one change to a user, records it in the audit log, and returns the user as it now is.
ApiReply change_user(const ApiRequest& req, DaemonContext& ctx, const std::string& action,
                     const std::function<bool(store::AuthRepository&, std::int64_t)>& change) {
    auto id = to_id(req.params.at("id"));
    if (!id) return ApiReply::error(404, "not_found", "no such user");
    return ctx.with_store([&](store::Repository& repo) {
        store::Transaction tx(repo.connection());
        store::AuthRepository auth(repo.connection());
        if (!repo.find_user(*id) || !change(auth, *id))
            return ApiReply::error(404, "not_found", "no such user");
        auth.audit({req.principal->user_id, req.principal->email, action, "user:" + std::to_string(*id),
                    req.client_ip, std::nullopt});
        auto user = repo.find_user(*id);
        tx.commit();
        return ApiReply::ok({{"user", user_json(*user)}});
    });
}

ApiReply set_role(const ApiRequest& req, DaemonContext& ctx) {
    Fields f(req.body);
    auto role = f.str("role", 16);
    if (!f.ok()) return f.error();
    if (role != "admin" && role != "agent")
        return ApiReply::error(400, "invalid_field", "'role' must be admin or agent");
    if (to_id(req.params.at("id")) == req.principal->user_id)
        return ApiReply::error(409, "conflict", "you cannot change your own role");
    return change_user(req, ctx, "role_change:" + role, [&](store::AuthRepository& auth, std::int64_t id) {
        return auth.set_user_role(id, role);
    });
}

ApiReply audit_log(const ApiRequest& req, DaemonContext& ctx) {
    std::optional<std::int64_t> before;
    if (req.query.count("before")) {
        before = to_id(req.query.at("before"));
        if (!before) return ApiReply::error(400, "invalid_field", "'before' must be an entry id");
    }
    return ctx.with_store([&](store::Repository& repo) {
        nlohmann::json list = nlohmann::json::array();
        for (const auto& row : store::AuthRepository(repo.connection()).audit_log(200, before)) {
            const auto& e = row.entry;
            list.push_back({{"id", row.id},
                            {"user_id", e.user_id ? nlohmann::json(*e.user_id) : nlohmann::json(nullptr)},
                            {"actor", e.actor},
                            {"action", e.action},
                            {"target", e.target ? nlohmann::json(*e.target) : nlohmann::json(nullptr)},
                            {"ip", e.ip ? nlohmann::json(*e.ip) : nlohmann::json(nullptr)},
                            {"created_at", row.created_at}});
        }
        return ApiReply::ok({{"entries", list}});
    });
}

}  // namespace

std::vector<Route> admin_routes() {
    return {
        {"GET", "/api/admin/users", Access::admin, "every account", list_users},
        {"POST", "/api/admin/users/{id}/approve", Access::admin, "activate a pending account",
         [](const ApiRequest& req, DaemonContext& ctx) {
             return change_user(req, ctx, "approve", [](store::AuthRepository& a, std::int64_t id) {
                 return a.set_user_status(id, "active");
             });
         }},
        {"POST", "/api/admin/users/{id}/disable", Access::admin, "disable an account and end its sessions",
         [](const ApiRequest& req, DaemonContext& ctx) {
             if (to_id(req.params.at("id")) == req.principal->user_id)
                 return ApiReply::error(409, "conflict", "you cannot disable your own account");
             return change_user(req, ctx, "disable", [](store::AuthRepository& a, std::int64_t id) {
                 a.revoke_user_tokens(id, store::utc_timestamp());
                 return a.set_user_status(id, "disabled");
             });
         }},
        {"PUT", "/api/admin/users/{id}/role", Access::admin, "make an account admin or agent", set_role},
        {"GET", "/api/admin/audit", Access::admin, "the audit log, newest first (?before=ID)", audit_log},
    };
}

}  // namespace tradingd::daemon::http
