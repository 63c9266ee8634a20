// Typed outcomes of an exchange call: every way a Binance request can end, mapped from (HTTP status, Binance
// code, message, transport failure), with what it means for the user and whether resending is safe.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace tradingd::exchange {

enum class Outcome {
    ok,                             // also "already set" answers (-4046, -4059): the state is what was asked
    auth,                           // bad key format (-2014) or bad signature (-1022)
    permission_or_ip,               // -2015 / HTTP 401: see below
    insufficient_margin,            // -2019, -2018
    filter_violation,               // tick, step, min/max qty, notional, price band: -1111 -1013 -4003 ...
    rate_limited,                   // HTTP 429, -1003, -1015
    ip_banned,                      // HTTP 418
    timestamp,                      // -1021, -5028: the clock offset is stale
    unknown_order,                  // -2011 (cancel), -2013 (query)
    duplicate_client_id,            // -4116: an open order already has this client id
    conditional_on_wrong_endpoint,  // -4120: stop/take-profit sent to /fapi/v1/order
    unavailable,                    // certainly not executed, try later: 503 "Service Unavailable.", -1008,
                                    // or the connection failed before the request was sent
    rejected,                       // any other refusal: a bug or a state conflict; resending will not help
    unknown_status,                 // 5xx, 408, -1000/-1001/-1006/-1007, timeout or connection lost after
                                    // sending: the order may exist; query it by client order id first
};
// -2015 is one kind on purpose: a key without futures permission and a call from an IP missing from the
// key's whitelist both return HTTP 401 / -2015 with the same message, so the error alone cannot tell them
// apart. The key check (apiRestrictions endpoint) is what says which one it is.

// How the HTTP exchange itself failed, if it did. The split matters for orders: a request that never left
// cannot have been executed; one that left and got no answer may have been.
enum class Transport {
    none,             // a complete reply arrived
    not_sent,         // DNS, connect or TLS failed before any byte of the request was written
    timed_out,        // sent; no complete reply in time
    connection_lost,  // sent; the connection dropped before the reply was complete
};

// Stable snake_case words (logs, events, the control protocol): never rename one.
std::string_view outcome_name(Outcome outcome);
// One or two plain sentences for a user or operator: what happened and what to do.
std::string_view explain(Outcome outcome);
// True when nothing happened on the exchange and the same request may succeed if sent again later (after
// the wait, backoff or clock resync that explain() names). False for unknown_status: query first.
bool retry_is_safe(Outcome outcome);
// True when the caller must look the order up by its client order id before deciding anything.
bool must_query_order(Outcome outcome);

struct Error {
    Outcome outcome = Outcome::unknown_status;
    int http_status = 0;      // 0 when no reply arrived
    std::optional<int> code;  // Binance's "code", when the body had one
    std::string message;      // Binance's "msg", or the transport's description
    Transport transport = Transport::none;
    // How long to wait before sending again, when known: Retry-After on 429/418, or the local weight budget's
    // own estimate. Zero when nobody said.
    std::chrono::milliseconds retry_after{0};

    // "insufficient_margin (HTTP 400, code -2019: Margin is insufficient.)"
    std::string describe() const;
};

// The mapping. Precedence: transport failure, then HTTP 418/429, then 5xx (only -1008 and "Service
// Unavailable." count as certain failures), then the Binance code, then the HTTP status class.
Outcome classify(int http_status, std::optional<int> code, std::string_view message, Transport transport);
Error make_error(int http_status, std::optional<int> code, std::string message,
                 Transport transport = Transport::none);
// A refusal decided in this process before anything was sent (a local filter check, a bad argument, a full
// weight budget): the request never reached the exchange.
Error local_error(Outcome outcome, std::string message);

}  // namespace tradingd::exchange
