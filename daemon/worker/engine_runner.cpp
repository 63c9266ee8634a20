// The real BotRunner: bot::Bot on the agent's exchange account. Live: the Binance client with the key from
// `init`. Paper: the paper broker, restored from the daemon's snapshot and saved after every change.
#include <algorithm>
#include <chrono>
#include <stdexcept>

#include "bot/bot.h"
#include "bots/params_json.h"
#include "bots/record_json.h"
#include "exchange/binance_client.h"
#include "exchange/market_source.h"
#include "strategy/scan_json.h"
#include "worker/bot_runner.h"
#include "worker/heartbeat_trading.h"
#include "worker/paper_trading.h"
#include "worker/stream_watch.h"

namespace tradingd::worker {
namespace {

using nlohmann::json;

exchange::TimeMs wall_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

exchange::MarketSourceSettings market_settings(const json& init) {
    const json& m = init.at("market");
    exchange::MarketSourceSettings s;
    auto kind = exchange::parse_market_source(m.at("kind").get<std::string>());
    if (!kind) throw std::runtime_error("init: unknown market source");
    s.kind = *kind;
    s.simulated_seed = m.value("seed", std::uint64_t{1});
    s.rest_url = m.value("rest_url", s.rest_url);
    s.request_timeout = std::chrono::milliseconds(m.value("request_timeout_ms", 10000));
    return s;
}

bot::BotSettings bot_settings(const json& init, exchange::MarketData& market, WorkerLink& link) {
    const json& s = init.at("settings");
    bot::BotSettings b;
    b.agent_id = init.at("agent_id").get<std::int64_t>();
    auto fraction = money::Decimal::try_parse(s.at("equity_fraction").get<std::string>());
    if (!fraction) throw std::runtime_error("init: equity_fraction is not a decimal");
    b.risk.equity_fraction = *fraction;
    b.risk.leverage = s.at("leverage").get<int>();
    b.risk.max_open_positions = s.at("max_open_positions").get<int>();
    b.orphan_policy = s.value("orphan_policy", "adopt") == "flatten" ? bot::OrphanPolicy::flatten
                                                                     : bot::OrphanPolicy::adopt;
    // The scanner's params: filters, sizing and exits must use what the scan was scored with.
    b.params = bots::params_from_json(init.at("strategy"));
    // Market-data calls at start() can be as slow as exchange calls: each shows progress the same way.
    b.exchange_info = [&market, &link] {
        link.progress();
        return market.exchange_info();
    };
    // What the scanner fetches: one more than the lookback, as the newest candle is usually still open.
    const exchange::KlineQuery query{"", b.params.interval, std::min(b.params.lookback_candles + 1, 1500),
                                     std::nullopt, std::nullopt};
    b.klines = [&market, &link, query](const std::string& symbol) {
        link.progress();
        auto q = query;
        q.symbol = symbol;
        return market.klines(q);
    };
    return b;
}

class EngineRunner final : public BotRunner {
  public:
    EngineRunner(const json& init, bot::Journal& journal, WorkerLink& link)
        : market_(exchange::open_market_data(market_settings(init))) {
        const std::string mode = init.at("mode").get<std::string>();
        if (mode == "live") {
            const json& c = init.at("credentials");
            exchange::BinanceConfig cfg;
            cfg.base_url = init.at("market").value("rest_url", cfg.base_url);
            exchange::ApiCredentials creds{
                crypto::SecretString(c.at("api_key").get_ref<const std::string&>()),
                crypto::SecretString(c.at("api_secret").get_ref<const std::string&>())};
            trading_ = std::make_unique<exchange::BinanceTrading>(cfg, exchange::process_weight_budget(),
                                                                  std::move(creds));
            if (init.value("stream_poll_interval_ms", 0) > 0)
                stream_ = std::make_unique<StreamWatch>(init, init.at("agent_id").get<std::int64_t>());
        } else if (mode == "paper") {
            trading_ = make_paper_trading(init, *market_, link);
        } else {
            throw std::runtime_error("init: mode must be paper or live");
        }
        beating_ = std::make_unique<HeartbeatTrading>(*trading_, link);
        bot_ = std::make_unique<bot::Bot>(bot_settings(init, *market_, link), *beating_, journal, wall_ms);
    }

    json start(const json& positions, const json& recent_activity) override {
        std::vector<bot::PositionRecord> open;
        for (const auto& p : positions) open.push_back(bots::position_from_json(p));
        bot::ActivityBySymbol activity;
        if (!recent_activity.is_object()) throw std::runtime_error("init: recent_activity is not an object");
        for (const auto& [symbol, at] : recent_activity.items()) {
            if (!at.is_number_integer())
                throw std::runtime_error("init: recent_activity." + symbol + " is not epoch milliseconds");
            activity[symbol] = at.get<exchange::TimeMs>();
        }
        const auto cooldowns = static_cast<int>(activity.size());
        auto report = bot_->start(std::move(open), std::move(activity));
        after_work(false);
        return {{"positions", static_cast<int>(bot_->positions().size())},
                {"cooldowns", cooldowns},
                {"restored", report.restored},
                {"adopted", report.adopted},
                {"closed", report.closed}};
    }

    void on_scan(const json& scan, std::int64_t scan_id) override {
        const auto before = bot_->positions();
        bot_->on_scan(strategy::scan_from_json(scan.dump(), nullptr), scan_id);
        after_work(settled_ && before == bot_->positions());
    }
    void poll() override {
        const auto before = bot_->positions();
        bot_->poll();
        after_work(before == bot_->positions());
    }
    bool take_poll_request() override { return stream_ && stream_->take_poll_request(); }
    bool quiet_on_stream() const override { return stream_ && stream_->connected() && settled_; }
    bool has_stream() const override { return stream_ != nullptr; }
    void stop(bool flatten) override { bot_->stop(flatten); }

  private:
    // `settled`: the last poll changed nothing the bot tracks and nothing is half done. A poll that did change something (an order
    // placed or retried bumps its attempt number first) is followed by the next one at the normal interval,
    // so a protective order that failed to go out is retried in seconds, not at the stream's pace.
    void after_work(bool settled) {
        // An entry still pending or an exit under way is unfinished business: keep the normal pace for it.
        for (const auto& p : bot_->positions())
            if (p.status == bot::PositionStatus::pending || !p.close_reason.empty()) settled = false;
        settled_ = settled;
        if (!stream_) return;
        std::set<std::string> symbols;
        for (const auto& p : bot_->positions()) symbols.insert(p.symbol);
        stream_->watch(std::move(symbols));
    }

    std::unique_ptr<exchange::MarketData> market_;
    std::unique_ptr<exchange::Trading> trading_;
    std::unique_ptr<HeartbeatTrading> beating_;  // trading_ as the bot calls it
    std::unique_ptr<bot::Bot> bot_;
    std::unique_ptr<StreamWatch> stream_;  // live bots only; its thread only sets flags
    bool settled_ = false;
};

}  // namespace

std::unique_ptr<BotRunner> make_runner(const json& init, bot::Journal& journal, WorkerLink& link) {
    return std::make_unique<EngineRunner>(init, journal, link);
}

}  // namespace tradingd::worker
