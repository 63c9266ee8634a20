// Which user-data-stream events wake a live bot's loop. The account is the agent's own, but an agent may
// also trade it by hand: only our client order ids and the bot's symbols count.
#include "worker/stream_watch.h"

#include <nlohmann/json.hpp>

#include "exchange/client_order_id.h"
#include "util/log.h"

namespace tradingd::worker {

using nlohmann::json;

StreamWatch::StreamWatch(const json& init, std::int64_t agent_id)
    : agent_id_(static_cast<std::uint64_t>(agent_id)) {
    const json& m = init.at("market");
    exchange::BinanceConfig rest;
    rest.base_url = m.value("rest_url", rest.base_url);
    rest.request_timeout = std::chrono::milliseconds(m.value("request_timeout_ms", 10000));
    exchange::UserStreamSettings s;
    s.stream_url = m.value("stream_url", s.stream_url);
    stream_ = std::make_unique<exchange::UserStream>(
        rest, crypto::SecretString(init.at("credentials").at("api_key").get_ref<const std::string&>()),
        exchange::process_weight_budget(), s, [this](const exchange::UserStreamEvent& e) { on_event(e); });
    stream_->start();
}

StreamWatch::~StreamWatch() {
    if (stream_) stream_->stop();
}

void StreamWatch::watch(std::set<std::string> symbols) {
    symbols_.with([&](std::set<std::string>& s) { s = std::move(symbols); });
}

bool StreamWatch::concerns_bot(const std::string& symbol, const std::string& client_id) const {
    const auto ours = exchange::parse_client_order_id(client_id);
    if (ours && ours->agent_id == agent_id_) return true;
    return symbols_.with([&](const std::set<std::string>& s) { return s.count(symbol) > 0; });
}

void StreamWatch::on_event(const exchange::UserStreamEvent& e) {
    bool wanted = false;
    if (std::holds_alternative<exchange::StreamResync>(e)) {
        log::get("worker")->info("agent={} user_stream connected: polling once for what it may have missed",
                                 agent_id_);
        wanted = true;
    } else if (const auto* o = std::get_if<exchange::OrderUpdate>(&e)) {
        wanted = concerns_bot(o->symbol, o->client_order_id);
    } else if (const auto* a = std::get_if<exchange::AlgoUpdate>(&e)) {
        wanted = concerns_bot(a->symbol, a->client_algo_id);
    } else if (const auto* acct = std::get_if<exchange::AccountUpdate>(&e)) {
        for (const auto& p : acct->positions) wanted = wanted || concerns_bot(p.symbol, "");
    }
    if (wanted) poll_wanted_ = true;
}

}  // namespace tradingd::worker
