// The steps every Binance-path request goes through before its handler: key and signature checks,
// IP weight and order-rate accounting, and injected faults.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "api.h"
#include "world.h"

namespace httplib {
struct Request;
struct Response;
}  // namespace httplib

namespace fake {

enum class Security { None, ApiKey, Signed };

// Checks X-MBX-APIKEY, key restrictions (futures permission, IP whitelist) and, for SIGNED calls, the
// timestamp window and the HMAC over the raw query string followed by the raw body. Sets ctx.api_key.
void authenticate(Ctx& ctx, const httplib::Request& req, Security security);
std::string hmac_sha256_hex(std::string_view secret, std::string_view payload);

// REQUEST_WEIGHT per IP and minute: returns the weight used after this request, or throws 429 (-1003)
// over budget and 418 once the IP keeps going after repeated 429s.
int charge_weight(World& w, const std::string& ip, int weight, std::int64_t now);
int used_weight(World& w, const std::string& ip, std::int64_t now);
void check_ban(World& w, const std::string& ip, std::int64_t now);

struct OrderCounts {
    int ten_seconds = 0, minute = 0;
};
// ORDERS limits per account (10 s and 1 min); throws 429 (-1015) when over.
OrderCounts count_order(World& w, Account& acct, std::int64_t now);
OrderCounts order_counts(Account& acct, std::int64_t now);

// Takes the next matching injected fault, if any (a throttle fault skips reduce-only/close-position orders).
std::optional<Fault> take_fault(World& w, const std::string& method, const std::string& path,
                                const Params& p);
// Answers with the fault instead of the real reply: an error status, a held connection, or a dropped one.
void apply_fault(const Fault& f, const httplib::Request& req, httplib::Response& res, std::int64_t now);
// Closes the request's TCP connection without a reply (httplib has no API for it; see the .cpp).
void drop_connection(const httplib::Request& req);

}  // namespace fake
