// Deterministic client order ids: the same (agent, position, leg, attempt) always gives the same id, so a
// retry after a timeout finds the first order instead of placing a second, and reconciliation can tell our
// orders ("td1-" prefix) from ones the user placed by hand.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace tradingd::exchange {

enum class Leg { entry, stop_loss, take_profit, exit };

// `attempt` counts new orders for the same leg, e.g. a stop re-armed after the first was cancelled. A retry
// of a request whose outcome is unknown keeps the attempt number: that is what makes the lookup work.
struct ClientOrderIdParts {
    std::uint64_t agent_id = 0;
    std::uint64_t position_id = 0;
    Leg leg = Leg::entry;
    std::uint32_t attempt = 0;

    bool operator==(const ClientOrderIdParts&) const = default;
};

// Layout: "td1-" <agent> "-" <position> "-" <leg letter e|s|t|x> <attempt>, numbers in lowercase base 36
// without leading zeros. Lowercase only, because MySQL's default collations compare case-insensitively.
// The largest ids (both ids at 2^64-1, attempt 46655) are exactly 36 characters, Binance's limit.
inline constexpr std::string_view kClientOrderIdPrefix = "td1-";
inline constexpr std::uint32_t kMaxAttempt = 36 * 36 * 36 - 1;

// Throws std::out_of_range when attempt exceeds kMaxAttempt.
std::string make_client_order_id(const ClientOrderIdParts& parts);
// The fields of one of our ids; nullopt for anything else, including non-canonical spellings, so that each
// id string belongs to exactly one set of parts.
std::optional<ClientOrderIdParts> parse_client_order_id(std::string_view id);
inline bool is_our_client_order_id(std::string_view id) {
    return parse_client_order_id(id).has_value();
}

// Binance's rule for newClientOrderId / clientAlgoId: ^[\.A-Z\:/a-z0-9_-]{1,36}$ (else -4015).
bool is_valid_client_order_id(std::string_view id);

}  // namespace tradingd::exchange
