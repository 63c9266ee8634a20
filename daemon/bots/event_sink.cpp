// What workers send: requests are committed in one transaction before the reply (the worker's journal
// blocks on it), events become `events` rows (and notifications), `ready` marks the bot running. Also the
// `init` message, the only place an agent's decrypted key leaves the vault.
#include <algorithm>
#include <array>
#include <chrono>

#include "bots/bot_store.h"
#include "bots/params_json.h"
#include "bots/supervisor_impl.h"
#include "daemon_context.h"
#include "scanner/scanner_config.h"
#include "store/sql.h"
#include "vault/api_key_vault.h"

namespace tradingd::bots {

using nlohmann::json;

namespace {
constexpr std::array<std::string_view, 4> kNotificationTypes = {"trade_open", "trade_close", "risk_alert",
                                                                "system"};

std::int64_t wall_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}
}  // namespace

json Supervisor::Impl::build_init(std::int64_t agent_id) {
    const auto cfg = ctx.config();
    const auto& s = cfg->settings;
    json init = {{"type", "init"},
                 {"agent_id", agent_id},
                 {"heartbeat_interval_ms", s.bots_heartbeat_interval_s * 1000},
                 {"poll_interval_ms", s.bots_poll_interval_s * 1000},
                 {"stream_poll_interval_ms", s.bots_stream_poll_interval_s * 1000},
                 {"market",
                  {{"kind", s.exchange_market_data},
                   {"rest_url", s.exchange_rest_url},
                   {"stream_url", s.exchange_stream_url},
                   {"seed", s.exchange_simulated_seed},
                   {"request_timeout_ms", s.exchange_request_timeout_ms}}},
                 {"paper",
                  {{"starting_balance", s.paper_starting_balance},
                   {"taker_fee_rate", s.paper_taker_fee_rate},
                   {"maker_fee_rate", s.paper_maker_fee_rate},
                   {"slippage_rate", s.paper_slippage_rate}}}};
    ctx.with_store([&](store::Repository& repo) {
        BotStore bs(repo);
        auto bot = bs.find(agent_id);
        if (!bot) throw CommandRefused{"not_found", "no bot for agent " + std::to_string(agent_id)};
        init["mode"] = bot->mode;
        json settings = bs.risk_settings(agent_id);
        settings["orphan_policy"] = s.bots_orphan_policy;
        // The params the scanner scores with, so filters, sizing and exits agree with the scan.
        const auto params = daemon::scanner_settings(s).params;
        init["strategy"] = params_to_json(params);
        init["settings"] = std::move(settings);
        init["positions"] = bs.open_positions(agent_id);
        // Entries and closes inside the cooldown window: the worker's cooldown filter outlives a restart.
        init["recent_activity"] =
            bs.recent_activity(agent_id, wall_ms() - std::int64_t{params.cooldown_minutes} * 60'000);
        auto paper = bs.paper_state(agent_id);
        init["paper_state"] = paper ? json::parse(*paper, nullptr, false) : json(nullptr);
        if (bot->mode == "live") {
            auto key = vault::load_api_key(repo, vault::keyring_from(cfg->secrets), agent_id);
            if (!key) throw CommandRefused{"conflict", "live bot without a linked API key"};
            init["credentials"] = {{"api_key", key->api_key},
                                   {"api_secret", std::string(key->api_secret.view())}};
        }
    });
    return init;
}

void Supervisor::Impl::record_event(std::int64_t agent_id, const std::string& kind, const json& payload,
                                    const std::optional<json>& notify) {
    try {
        ctx.with_store([&](store::Repository& repo) {
            store::Transaction tx(repo.connection());
            repo.append_event(agent_id, kind, payload.dump());
            if (notify && notify->is_object()) {
                const std::string type = notify->value("type", "system");
                const bool known = std::find(kNotificationTypes.begin(), kNotificationTypes.end(), type) !=
                                   kNotificationTypes.end();
                std::string title = notify->value("title", kind);
                if (title.size() > 200) title.resize(200);
                repo.add_notification(agent_id, known ? type : "system", title,
                                      notify->value("message", std::string()));
            }
            tx.commit();
        });
    } catch (const std::exception& e) {
        logger->error("agent {}: cannot store a '{}' event: {}", agent_id, kind, e.what());
    }
}

void Supervisor::Impl::handle_event(Worker& w, const json& msg) {
    const std::string kind = msg.value("kind", "log");
    std::optional<json> notify;
    if (msg.contains("notify") && msg["notify"].is_object()) notify = msg["notify"];
    const json payload = msg.value("payload", json::object());
    // A worker's log lines and errors also reach the daemon's log, named by agent: one place to read when
    // several bots run. (Engine messages carry no secrets: they name symbols, orders and exchange errors.)
    if ((kind == "log" || kind == "error") && payload.is_object()) {
        const std::string text = payload.value("message", payload.dump());
        const std::string where = payload.value("where", std::string());
        if (kind == "log")
            logger->info("worker agent={}: {}", w.agent_id, text);
        else
            logger->warn("worker agent={} error{}: {}", w.agent_id, where.empty() ? "" : " in " + where,
                         text);
    }
    record_event(w.agent_id, kind, payload, notify);
}

json Supervisor::Impl::handle_request(Worker& w, const std::string& op, const json& args) {
    return ctx.with_store([&](store::Repository& repo) -> json {
        store::Transaction tx(repo.connection());
        BotStore bs(repo);
        json result = json::object();
        if (op == "create_position") {
            result["id"] = bs.create_position(w.agent_id, args);
        } else if (op == "update_position") {
            bs.update_position(w.agent_id, args);
        } else if (op == "record_order") {
            bs.record_order(w.agent_id, args);
        } else if (op == "save_paper_state") {
            bs.save_paper_state(w.agent_id, args.at("state").dump());
        } else {
            throw std::invalid_argument("unknown op '" + op + "'");
        }
        tx.commit();
        return result;
    });
}

void Supervisor::Impl::handle_line(Worker& w, const std::string& line) {
    json msg = json::parse(line, nullptr, false);
    if (msg.is_discarded() || !msg.is_object()) {
        logger->warn("worker agent={} sent a malformed line; ignored", w.agent_id);
        return;
    }
    const std::string type = msg.value("type", "");
    if (type == "heartbeat") return;
    if (type == "request") {
        json reply = {{"type", "reply"}, {"id", msg.value("id", json(nullptr))}};
        try {
            reply["result"] = handle_request(w, msg.value("op", ""), msg.value("args", json::object()));
            reply["ok"] = true;
        } catch (const std::exception& e) {
            logger->error("worker agent={} request {} refused: {}", w.agent_id, msg.value("op", ""),
                          e.what());
            reply["ok"] = false;
            reply["error"] = {{"code", "refused"}, {"message", e.what()}};
        }
        send(w, std::make_shared<const std::string>(reply.dump() + "\n"));
    } else if (type == "event") {
        handle_event(w, msg);
    } else if (type == "ready") {
        w.state = "running";
        ctx.with_store([&](store::Repository& repo) { BotStore(repo).set_running(w.agent_id, w.pid); });
        const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - w.spawned_at);
        logger->info("bot running agent={} pid={} positions={} cooldowns={} ready_ms={}", w.agent_id, w.pid,
                     msg.value("positions", 0), msg.value("cooldowns", 0), ms.count());
    } else if (type == "stopped") {
        logger->info("worker agent={} stopped its bot (flattened={})", w.agent_id,
                     msg.value("flattened", false));
    } else {
        logger->warn("worker agent={} sent an unknown message type '{}'", w.agent_id, type);
    }
}

}  // namespace tradingd::bots
