// /api/agent/*: an agent's own data. The agent id always comes from the verified token (req.principal),
// never from the path or body, and every query is keyed by it: another agent's ids simply do not exist.
#include "daemon_context.h"
#include "exchange/key_check.h"
#include "http/handlers.h"
#include "store/auth_repository.h"
#include "vault/api_key_vault.h"

namespace tradingd::daemon::http {
namespace {

std::int64_t agent_of(const ApiRequest& req) {
    return *req.principal->agent_id;
}

ApiReply me(const ApiRequest& req, DaemonContext& ctx) {
    return ctx.with_store([&](store::Repository& repo) {
        auto agent = repo.find_agent(agent_of(req));
        if (!agent) return ApiReply::error(404, "not_found", "no agent profile");
        return ApiReply::ok({{"user", {{"id", req.principal->user_id}, {"email", req.principal->email}}},
                             {"agent",
                              {{"id", agent->id},
                               {"display_name", agent->display_name},
                               {"risk_fraction", agent->risk_fraction},
                               {"max_leverage", agent->max_leverage},
                               {"max_positions", agent->max_positions}}}});
    });
}

ApiReply notifications(const ApiRequest& req, DaemonContext& ctx) {
    bool unread = req.query.count("unread") && req.query.at("unread") == "1";
    int limit = 50;
    if (req.query.count("limit")) {
        auto n = to_id(req.query.at("limit"));
        if (!n || *n > 500) return ApiReply::error(400, "invalid_field", "'limit' must be 1 to 500");
        limit = static_cast<int>(*n);
    }
    return ctx.with_store([&](store::Repository& repo) {
        nlohmann::json list = nlohmann::json::array();
        for (const auto& n : repo.notifications(agent_of(req), unread, limit))
            list.push_back({{"id", n.id},
                            {"type", n.type},
                            {"title", n.title},
                            {"message", n.message ? nlohmann::json(*n.message) : nlohmann::json(nullptr)},
                            {"is_read", n.is_read},
                            {"created_at", n.created_at}});
        return ApiReply::ok({{"notifications", list}});
    });
}

ApiReply mark_read(const ApiRequest& req, DaemonContext& ctx) {
    auto id = to_id(req.params.at("id"));
    if (!id) return ApiReply::error(404, "not_found", "no such notification");
    auto changed = ctx.with_store(
        [&](store::Repository& repo) { return repo.mark_notification_read(agent_of(req), *id); });
    if (changed == 0) return ApiReply::error(404, "not_found", "no such notification");
    return ApiReply::ok({{"id", *id}, {"is_read", true}});
}

ApiReply positions(const ApiRequest& req, DaemonContext& ctx) {
    std::optional<std::string> status;
    if (req.query.count("status")) {
        status = req.query.at("status");
        if (*status != "OPEN" && *status != "CLOSED")
            return ApiReply::error(400, "invalid_field", "'status' must be OPEN or CLOSED");
    }
    return ctx.with_store([&](store::Repository& repo) {
        nlohmann::json list = nlohmann::json::array();
        for (const auto& p : repo.positions(agent_of(req), status))
            list.push_back(
                {{"id", p.id},
                 {"symbol", p.symbol},
                 {"side", p.side},
                 {"status", p.status},
                 {"quantity", p.quantity},
                 {"entry_price", p.entry_price},
                 {"exit_price", p.exit_price ? nlohmann::json(*p.exit_price) : nlohmann::json(nullptr)},
                 {"realized_pnl", p.realized_pnl ? nlohmann::json(*p.realized_pnl) : nlohmann::json(nullptr)},
                 {"leverage", p.leverage}});
        return ApiReply::ok({{"positions", list}});
    });
}

ApiReply get_api_key(const ApiRequest& req, DaemonContext& ctx) {
    return ctx.with_store([&](store::Repository& repo) {
        auto key = repo.active_api_key(agent_of(req));
        if (!key) return ApiReply::ok({{"linked", false}});
        return ApiReply::ok({{"linked", true}, {"key_masked", key->key_masked}});
    });
}

bool looks_like_binance_key(const std::string& s) {
    return s.size() >= 16 && s.size() <= 128 &&
           std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isalnum(c); });
}

// The body's api_key and api_secret, or the 400 reply saying what is wrong with them.
std::optional<ApiReply> key_fields(const ApiRequest& req, std::string& key, crypto::SecretString& secret) {
    Fields f(req.body);
    key = f.str("api_key", 128);
    auto secret_text = f.str("api_secret", 128);
    if (!f.ok()) return f.error();
    secret = crypto::SecretString::take(secret_text);
    if (!looks_like_binance_key(key) || !looks_like_binance_key(std::string(secret.view())))
        return ApiReply::error(400, "invalid_api_key",
                               "Binance API keys and secrets are 64 letters and digits");
    return std::nullopt;
}

ApiReply put_api_key(const ApiRequest& req, DaemonContext& ctx) {
    std::string key;
    crypto::SecretString secret;
    if (auto bad = key_fields(req, key, secret)) return *bad;
    auto keys = vault::keyring_from(ctx.config()->secrets);
    auto masked = ctx.with_store([&](store::Repository& repo) {
        vault::link_api_key(repo, keys, agent_of(req), key, secret);
        store::AuthRepository(repo.connection())
            .audit({req.principal->user_id, req.principal->email, "api_key_link", vault::mask_api_key(key),
                    req.client_ip, std::nullopt});
        return vault::mask_api_key(key);
    });
    return ApiReply::ok({{"linked", true}, {"key_masked", masked}});
}

// The key wizard's check: {"api_key","api_secret"} checks a key before it is linked; an empty body checks the
// agent's linked key. The secret is only used to sign the exchange calls; the reply never carries it.
ApiReply check_api_key(const ApiRequest& req, DaemonContext& ctx) {
    std::optional<exchange::ApiCredentials> credentials;
    if (req.body.empty()) {
        auto keys = vault::keyring_from(ctx.config()->secrets);
        auto stored = ctx.with_store(
            [&](store::Repository& repo) { return vault::load_api_key(repo, keys, agent_of(req)); });
        if (!stored)
            return ApiReply::error(404, "not_found", "no API key is linked; send api_key and api_secret");
        credentials =
            exchange::ApiCredentials{crypto::SecretString(stored->api_key), std::move(stored->api_secret)};
    } else {
        std::string key;
        crypto::SecretString secret;
        if (auto bad = key_fields(req, key, secret)) return *bad;
        credentials = exchange::ApiCredentials{crypto::SecretString(key), std::move(secret)};
    }
    const config::Settings& s = ctx.config()->settings;
    exchange::KeyCheckSettings settings{s.exchange_rest_url, s.exchange_sapi_url,
                                        std::chrono::milliseconds(s.exchange_request_timeout_ms)};
    auto report = exchange::check_api_key(*credentials, settings, exchange::process_weight_budget());
    nlohmann::json checks = nlohmann::json::array();
    for (const auto& c : report.checks)
        checks.push_back({{"code", c.code}, {"ok", c.ok}, {"message", c.message}, {"fix", c.fix}});
    return ApiReply::ok({{"ok", report.ok}, {"checks", checks}});
}

ApiReply delete_api_key(const ApiRequest& req, DaemonContext& ctx) {
    auto revoked = ctx.with_store([&](store::Repository& repo) {
        auto n = repo.revoke_api_keys(agent_of(req));
        if (n > 0)
            store::AuthRepository(repo.connection())
                .audit({req.principal->user_id, req.principal->email, "api_key_unlink", std::nullopt,
                        req.client_ip, std::nullopt});
        return n;
    });
    if (revoked == 0) return ApiReply::error(404, "not_found", "no API key is linked");
    return ApiReply{204, nullptr, {}};
}

}  // namespace

std::vector<Route> agent_routes() {
    return {
        {"GET", "/api/agent/me", Access::agent, "the signed-in agent's profile", me},
        {"GET", "/api/agent/notifications", Access::agent, "notifications, newest first (?unread=1&limit=N)",
         notifications},
        {"POST", "/api/agent/notifications/{id}/read", Access::agent, "mark one notification read",
         mark_read},
        {"GET", "/api/agent/positions", Access::agent, "positions (?status=OPEN|CLOSED)", positions},
        {"GET", "/api/agent/api-key", Access::agent, "whether an exchange API key is linked (masked)",
         get_api_key},
        {"PUT", "/api/agent/api-key", Access::agent, "link an exchange API key (stored encrypted)",
         put_api_key},
        {"DELETE", "/api/agent/api-key", Access::agent, "unlink the exchange API key", delete_api_key},
        {"POST", "/api/agent/api-key/check", Access::agent,
         "check an exchange API key (the body's, else the linked one): permissions, IP whitelist, balance",
         check_api_key},
    };
}

}  // namespace tradingd::daemon::http
