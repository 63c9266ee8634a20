// Encoding and decoding of our client order ids; see the layout in the header.
#include "exchange/client_order_id.h"

#include <stdexcept>

namespace tradingd::exchange {

namespace {

constexpr std::string_view kDigits = "0123456789abcdefghijklmnopqrstuvwxyz";
constexpr std::string_view kLegLetters = "estx";  // indexed by Leg

void append_base36(std::string& out, std::uint64_t value) {
    char buf[13];  // 36^13 > 2^64
    int n = 0;
    do {
        buf[n++] = kDigits[value % 36];
        value /= 36;
    } while (value != 0);
    while (n > 0) out += buf[--n];
}

// Canonical base 36 only: no empty text, no leading zero except "0" itself, no overflow.
std::optional<std::uint64_t> read_base36(std::string_view text) {
    if (text.empty() || (text.size() > 1 && text[0] == '0')) return std::nullopt;
    std::uint64_t value = 0;
    for (char c : text) {
        const auto digit = kDigits.find(c);
        if (digit == std::string_view::npos) return std::nullopt;
        if (value > (UINT64_MAX - digit) / 36) return std::nullopt;
        value = value * 36 + digit;
    }
    return value;
}

}  // namespace

std::string make_client_order_id(const ClientOrderIdParts& parts) {
    if (parts.attempt > kMaxAttempt) {
        throw std::out_of_range("client order id attempt " + std::to_string(parts.attempt) + " exceeds " +
                                std::to_string(kMaxAttempt));
    }
    std::string id(kClientOrderIdPrefix);
    append_base36(id, parts.agent_id);
    id += '-';
    append_base36(id, parts.position_id);
    id += '-';
    id += kLegLetters[static_cast<std::size_t>(parts.leg)];
    append_base36(id, parts.attempt);
    return id;
}

std::optional<ClientOrderIdParts> parse_client_order_id(std::string_view id) {
    if (id.size() > 36 || id.substr(0, kClientOrderIdPrefix.size()) != kClientOrderIdPrefix)
        return std::nullopt;
    std::string_view rest = id.substr(kClientOrderIdPrefix.size());
    const auto first_dash = rest.find('-');
    if (first_dash == std::string_view::npos) return std::nullopt;
    const auto second_dash = rest.find('-', first_dash + 1);
    if (second_dash == std::string_view::npos || rest.size() < second_dash + 3) return std::nullopt;

    const auto agent = read_base36(rest.substr(0, first_dash));
    const auto position = read_base36(rest.substr(first_dash + 1, second_dash - first_dash - 1));
    const auto leg = kLegLetters.find(rest[second_dash + 1]);
    const auto attempt = read_base36(rest.substr(second_dash + 2));
    if (!agent || !position || leg == std::string_view::npos || !attempt || *attempt > kMaxAttempt) {
        return std::nullopt;
    }
    return ClientOrderIdParts{*agent, *position, static_cast<Leg>(leg), static_cast<std::uint32_t>(*attempt)};
}

bool is_valid_client_order_id(std::string_view id) {
    if (id.empty() || id.size() > 36) return false;
    for (char c : id) {
        const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                        c == '.' || c == ':' || c == '/' || c == '_' || c == '-';
        if (!ok) return false;
    }
    return true;
}

}  // namespace tradingd::exchange
