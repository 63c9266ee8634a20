// One Binance request end to end. Replies are classified by errors.h; nothing here logs, so neither the key
// nor a signed query can reach a log line from this layer.
#include "exchange/binance_rest.h"

#include <nlohmann/json.hpp>

#include <charconv>
#include <cstdio>
#include <functional>
#include <stdexcept>

namespace tradingd::exchange {

using nlohmann::json;

namespace {

std::optional<int> parse_int(std::string_view text) {
    int out = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
    if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
    return out;
}

std::optional<int> header_int(const HttpResponse& r, std::string_view name) {
    const auto value = r.header(name);
    return value ? parse_int(*value) : std::nullopt;
}

// The start of a reply that is not the JSON we expect (an nginx error page, say), printable and short.
std::string snippet(std::string_view body) {
    std::string out(body.substr(0, 160));
    for (char& c : out) {
        if (static_cast<unsigned char>(c) < 0x20) c = ' ';
    }
    if (body.size() > out.size()) out += "...";
    return out;
}

// Errors are {"code":-1121,"msg":"..."}; some successes carry {"code":200} or {"code":"200"}.
std::optional<int> code_of(const json& body) {
    if (!body.is_object()) return std::nullopt;
    const auto it = body.find("code");
    if (it == body.end()) return std::nullopt;
    if (it->is_number_integer()) return it->get<int>();
    if (it->is_string()) return parse_int(it->get_ref<const std::string&>());
    return std::nullopt;
}

std::string msg_of(const json& body) {
    if (body.is_object()) {
        const auto it = body.find("msg");
        if (it != body.end() && it->is_string()) return it->get<std::string>();
    }
    return {};
}

// Binance's USDⓈ-M docs do not promise Retry-After on 418, but the message says "IP banned until
// <ms timestamp>": the seconds from now until then, rounded up.
std::optional<int> ban_seconds_left(std::string_view message, TimeMs server_now) {
    constexpr std::string_view kUntil = "banned until ";
    const auto at = message.find(kUntil);
    if (at == std::string_view::npos) return std::nullopt;
    std::int64_t until = 0;
    const char* begin = message.data() + at + kUntil.size();
    const auto [end, ec] = std::from_chars(begin, message.data() + message.size(), until);
    if (ec != std::errc() || end == begin || until <= server_now) return std::nullopt;
    return static_cast<int>((until - server_now + 999) / 1000);
}

Error malformed(std::string_view path, const std::string& what, int status) {
    Error e;
    // For an order a reply we cannot read leaves its fate open, so this is the "query before anything" case.
    e.outcome = Outcome::unknown_status;
    e.http_status = status;
    e.message = "malformed reply to " + std::string(path) + ": " + what;
    return e;
}

}  // namespace

TimeMs local_now_ms() {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

BinanceRest::BinanceRest(BinanceConfig config, WeightBudget& budget,
                         std::optional<ApiCredentials> credentials)
    : config_(std::move(config)), budget_(budget), credentials_(std::move(credentials)) {
    while (!config_.base_url.empty() && config_.base_url.back() == '/') config_.base_url.pop_back();
    if (credentials_) {
        char label[32];
        std::snprintf(label, sizeof label, "key#%016zx",
                      std::hash<std::string_view>{}(credentials_->api_key.view()));
        account_label_ = label;
    }
}

TimeMs BinanceRest::server_now() const {
    return local_now_ms() + offset_ms_;
}

Result<TimeMs> BinanceRest::sync_time() {
    const TimeMs before = local_now_ms();
    auto reply = send(RestCall{"GET", "/fapi/v1/time", {}, Security::none, 1, Priority::essential});
    const TimeMs after = local_now_ms();
    if (!reply) return reply.error();
    const json& j = reply.value();
    if (!j.is_object() || !j.contains("serverTime") || !j["serverTime"].is_number_integer()) {
        return malformed("/fapi/v1/time", "no integer serverTime", 200);
    }
    const TimeMs server = j["serverTime"].get<TimeMs>();
    // The server read its clock somewhere in the round trip; the middle is the best guess.
    offset_ms_ = server - (before + after) / 2;
    synced_at_ = after;
    return server;
}

Result<void> BinanceRest::ensure_time_synced() {
    if (synced_at_ != 0 && local_now_ms() - synced_at_ < config_.time_resync_interval.count()) return {};
    auto synced = sync_time();
    if (!synced) return synced.error();
    return {};
}

Result<json> BinanceRest::call(const RestCall& c) {
    auto reply = send(c);
    if (!reply.ok() && reply.error().outcome == Outcome::timestamp &&
        c.security == Security::signed_request) {
        synced_at_ = 0;
        if (!sync_time().ok()) return reply;
        // A refused timestamp means nothing executed, but only reads are resent here: whether to send an
        // order again is the caller's decision.
        if (c.method == "GET") return send(c);
    }
    return reply;
}

Result<json> BinanceRest::send(const RestCall& c) {
    const bool is_signed = c.security == Security::signed_request;
    if (is_signed) {
        if (!credentials_) throw std::logic_error("signed Binance call on a client without credentials");
        if (auto synced = ensure_time_synced(); !synced) return synced.error();
    }
    note_progress();
    if (auto room = budget_.reserve(c.weight, c.priority, config_.max_budget_wait); !room)
        return room.error();
    if (c.order_entry) {
        if (auto room = budget_.reserve_order(account_label_, config_.max_budget_wait); !room)
            return room.error();
    }

    std::string text;
    if (is_signed) {
        QueryParams params = c.params;
        params.emplace_back("recvWindow", std::to_string(config_.recv_window_ms));
        last_timestamp_ = server_now();
        params.emplace_back("timestamp", std::to_string(last_timestamp_));
        text = sign(params, credentials_->secret.view());
    } else {
        text = build_query(c.params);
    }

    HttpRequest request;
    request.method = std::string(c.method);
    request.url = config_.base_url + std::string(c.path);
    // GET carries its parameters in the URL; the others in the body, where no proxy or access log keeps
    // the signed text.
    if (c.method == "GET") {
        if (!text.empty()) request.url += "?" + text;
    } else {
        request.body = std::move(text);
    }
    request.may_repeat = c.method == "GET";
    request.connect_timeout = config_.connect_timeout;
    request.total_timeout = config_.request_timeout;
    if (credentials_) request.headers.emplace_back("X-MBX-APIKEY", std::string(credentials_->api_key.view()));

    const TimeMs sent_at = budget_.now_ms();
    const HttpResponse response = transport_.perform(request);
    if (response.failure != Transport::none) {
        return make_error(0, std::nullopt,
                          std::string(c.method) + " " + std::string(c.path) + ": " + response.failure_message,
                          response.failure);
    }

    json body = json::parse(response.body, nullptr, /*allow_exceptions=*/false);
    const bool parsed = !body.is_discarded();
    const std::optional<int> code = parsed ? code_of(body) : std::nullopt;
    std::optional<int> retry_after = header_int(response, "retry-after");
    if (!retry_after && response.status == 418 && parsed)
        retry_after = ban_seconds_left(msg_of(body), server_now());

    RateObservation seen;
    seen.http_status = response.status;
    seen.code = code;
    seen.used_weight_1m = header_int(response, "x-mbx-used-weight-1m");
    seen.order_count_10s = header_int(response, "x-mbx-order-count-10s");
    seen.order_count_1m = header_int(response, "x-mbx-order-count-1m");
    if (retry_after) seen.retry_after = std::chrono::seconds(*retry_after);
    seen.sent_at = sent_at;
    seen.account = account_label_;
    budget_.observe(seen);

    const bool success_status = response.status >= 200 && response.status < 300;
    if (success_status && !parsed)
        return malformed(c.path, "not JSON: " + snippet(response.body), response.status);
    if (success_status && !(code && *code < 0)) return body;

    Error error = make_error(response.status, code, parsed ? msg_of(body) : snippet(response.body));
    if (error.outcome == Outcome::ok) return body;  // "already set" (-4046, -4059) is the state asked for
    if (retry_after) error.retry_after = std::chrono::seconds(*retry_after);
    return error;
}

}  // namespace tradingd::exchange
