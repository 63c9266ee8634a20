// The Binance error table (codes from reference/binance-usdm.md §4) and the precedence that turns a reply
// into one Outcome. Unlisted codes fall to the HTTP status class.
#include "exchange/errors.h"

#include <algorithm>
#include <iterator>
#include <utility>

namespace tradingd::exchange {

namespace {

// Sorted by code for the binary search below.
constexpr std::pair<int, Outcome> kCodes[] = {
    {-5028, Outcome::timestamp},         // outside the matching engine's recvWindow
    {-4164, Outcome::filter_violation},  // notional below MIN_NOTIONAL
    {-4131, Outcome::filter_violation},  // MARKET counterparty price outside PERCENT_PRICE
    {-4120, Outcome::conditional_on_wrong_endpoint},
    {-4116, Outcome::duplicate_client_id},
    {-4059, Outcome::ok},                // position side already set
    {-4046, Outcome::ok},                // margin type already set
    {-4024, Outcome::filter_violation},  // price below the mark-price band
    {-4023, Outcome::filter_violation},  // quantity not on step
    {-4016, Outcome::filter_violation},  // price above the mark-price band
    {-4014, Outcome::filter_violation},  // price not on tick
    {-4013, Outcome::filter_violation},  // price below minPrice
    {-4005, Outcome::filter_violation},  // quantity above maxQty
    {-4004, Outcome::filter_violation},  // quantity below minQty
    {-4003, Outcome::filter_violation},  // quantity not positive
    {-4002, Outcome::filter_violation},  // price above maxPrice
    {-4001, Outcome::filter_violation},  // price not positive
    {-2019, Outcome::insufficient_margin},
    {-2018, Outcome::insufficient_margin},  // balance insufficient
    {-2015, Outcome::permission_or_ip},
    {-2014, Outcome::auth},
    {-2013, Outcome::unknown_order},
    {-2011, Outcome::unknown_order},
    {-1111, Outcome::filter_violation},  // precision beyond the symbol's
    {-1022, Outcome::auth},
    {-1021, Outcome::timestamp},
    {-1015, Outcome::rate_limited},      // too many orders
    {-1013, Outcome::filter_violation},  // generic filter failure
    {-1008, Outcome::unavailable},       // throttled by system protection: not executed
    {-1007, Outcome::unknown_status},    // backend timeout
    {-1006, Outcome::unknown_status},    // unexpected response from the message bus
    {-1003, Outcome::rate_limited},
    {-1001, Outcome::unknown_status},  // internal error, disconnected
    {-1000, Outcome::unknown_status},
};
static_assert(std::is_sorted(std::begin(kCodes), std::end(kCodes),
                             [](const auto& a, const auto& b) { return a.first < b.first; }));

std::optional<Outcome> lookup(int code) {
    const auto it = std::lower_bound(std::begin(kCodes), std::end(kCodes), code,
                                     [](const auto& row, int c) { return row.first < c; });
    if (it == std::end(kCodes) || it->first != code) return std::nullopt;
    return it->second;
}

}  // namespace

Outcome classify(int http_status, std::optional<int> code, std::string_view message, Transport transport) {
    switch (transport) {
        case Transport::not_sent:
            return Outcome::unavailable;
        case Transport::timed_out:
        case Transport::connection_lost:
            return Outcome::unknown_status;
        case Transport::none:
            break;
    }
    if (http_status == 418) return Outcome::ip_banned;
    if (http_status == 429) return Outcome::rate_limited;
    if (http_status >= 500) {
        // Only these two 503 answers are documented as "not executed"; any other 5xx may hide a placed order.
        if (code == -1008 || message.starts_with("Service Unavailable")) return Outcome::unavailable;
        return Outcome::unknown_status;
    }
    // The mode-change calls answer {"code":200,"msg":"success"}.
    if (code && *code != 0 && *code != 200) {
        if (auto known = lookup(*code)) return *known;
    }
    if (http_status == 401) return Outcome::permission_or_ip;
    if (http_status == 408) return Outcome::unknown_status;
    if (http_status >= 400) return Outcome::rejected;
    if (http_status >= 200 && http_status < 300) return code && *code < 0 ? Outcome::rejected : Outcome::ok;
    // A status we cannot interpret (0, 1xx, 3xx) is not an answer to the request.
    return Outcome::unknown_status;
}

Error make_error(int http_status, std::optional<int> code, std::string message, Transport transport) {
    Error e;
    e.outcome = classify(http_status, code, message, transport);
    e.http_status = http_status;
    e.code = code;
    e.message = std::move(message);
    e.transport = transport;
    return e;
}

Error local_error(Outcome outcome, std::string message) {
    Error e;
    e.outcome = outcome;
    e.message = std::move(message);
    e.transport = Transport::not_sent;
    return e;
}

std::string_view outcome_name(Outcome outcome) {
    switch (outcome) {
        case Outcome::ok:
            return "ok";
        case Outcome::auth:
            return "auth";
        case Outcome::permission_or_ip:
            return "permission_or_ip";
        case Outcome::insufficient_margin:
            return "insufficient_margin";
        case Outcome::filter_violation:
            return "filter_violation";
        case Outcome::rate_limited:
            return "rate_limited";
        case Outcome::ip_banned:
            return "ip_banned";
        case Outcome::timestamp:
            return "timestamp";
        case Outcome::unknown_order:
            return "unknown_order";
        case Outcome::duplicate_client_id:
            return "duplicate_client_id";
        case Outcome::conditional_on_wrong_endpoint:
            return "conditional_on_wrong_endpoint";
        case Outcome::unavailable:
            return "unavailable";
        case Outcome::rejected:
            return "rejected";
        case Outcome::unknown_status:
            return "unknown_status";
    }
    return "unknown_status";
}

std::string_view explain(Outcome outcome) {
    switch (outcome) {
        case Outcome::ok:
            return "Binance accepted the request, or the setting was already what was asked.";
        case Outcome::auth:
            return "Binance rejected the API key or the signature: the key or secret is wrong. Re-enter "
                   "both; "
                   "retrying will not help.";
        case Outcome::permission_or_ip:
            return "Binance refused this API key for the action: either the key lacks futures permission or "
                   "this server's IP is not on the key's whitelist. Run the key check to see which.";
        case Outcome::insufficient_margin:
            return "Not enough available margin for this order. Reduce the size or add funds.";
        case Outcome::filter_violation:
            return "The order breaks the symbol's trading rules (price tick, quantity step, minimum or "
                   "maximum "
                   "size or value, or price band). The same order will be refused again.";
        case Outcome::rate_limited:
            return "Binance is rate limiting this server. Wait for the limit window to reset before sending "
                   "more; continuing gets the IP banned.";
        case Outcome::ip_banned:
            return "Binance has banned this server's IP for exceeding rate limits. Send nothing until the "
                   "ban "
                   "ends.";
        case Outcome::timestamp:
            return "The request's timestamp fell outside Binance's receive window. Resync the clock offset "
                   "with the server time and send again.";
        case Outcome::unknown_order:
            return "Binance has no such order: never placed, already gone, or too old to look up.";
        case Outcome::duplicate_client_id:
            return "An open order already uses this client order id. Look that order up instead of placing "
                   "another.";
        case Outcome::conditional_on_wrong_endpoint:
            return "Stop and take-profit orders must go to Binance's algo-order endpoint; this one was sent "
                   "to "
                   "the plain order endpoint.";
        case Outcome::unavailable:
            return "Binance could not take the request right now and did not act on it. Retry with backoff.";
        case Outcome::rejected:
            return "Binance rejected the request; see the code and message. The same request will be refused "
                   "again.";
        case Outcome::unknown_status:
            return "No definite answer: the request may or may not have taken effect. Look the order up by "
                   "its "
                   "client order id before doing anything else; never resend blindly.";
    }
    return "unknown outcome";
}

bool retry_is_safe(Outcome outcome) {
    switch (outcome) {
        case Outcome::rate_limited:
        case Outcome::ip_banned:
        case Outcome::timestamp:
        case Outcome::unavailable:
            return true;
        default:
            return false;
    }
}

bool must_query_order(Outcome outcome) {
    return outcome == Outcome::unknown_status || outcome == Outcome::duplicate_client_id;
}

std::string Error::describe() const {
    std::string out(outcome_name(outcome));
    out += " (";
    switch (transport) {
        case Transport::not_sent:
            out += "not sent";
            break;
        case Transport::timed_out:
            out += "timed out after sending";
            break;
        case Transport::connection_lost:
            out += "connection lost after sending";
            break;
        case Transport::none:
            out += "HTTP " + std::to_string(http_status);
            break;
    }
    if (code) out += ", code " + std::to_string(*code);
    if (!message.empty()) out += ": " + message;
    out += ")";
    return out;
}

}  // namespace tradingd::exchange
