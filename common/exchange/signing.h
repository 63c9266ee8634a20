// Request signing for Binance SIGNED endpoints: the exact query text that is sent, and its HMAC-SHA256.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tradingd::exchange {

// Parameters in the order they are sent. Binance signs the text, not a set, so order matters and is kept.
using QueryParams = std::vector<std::pair<std::string, std::string>>;

// RFC 3986 percent-encoding: A-Z a-z 0-9 - _ . ~ stay as they are, every other byte becomes %XX with
// uppercase hex (space is %20, never '+'). Binance verifies the signature over the raw text it receives, so
// any consistent encoding would verify; this one leaves every value the daemon sends (symbols, decimals,
// enum words, our client ids, timestamps) unchanged, and makes ':' '/' '+' '&' '=' and non-ASCII unambiguous.
std::string url_encode(std::string_view text);
// "k1=v1&k2=v2" with keys and values encoded.
std::string build_query(const QueryParams& params);

// Lowercase hex HMAC-SHA256 (Binance accepts either case). Throws std::invalid_argument on an empty secret
// and std::runtime_error if OpenSSL fails.
std::string hmac_sha256_hex(std::string_view secret, std::string_view payload);

// The query string to send: build_query(params) + "&signature=" + its HMAC, signature last as Binance
// requires. Throws std::invalid_argument if params already hold a "signature".
std::string sign(const QueryParams& params, std::string_view secret);

// When a POST carries parameters in both the query string and the body, Binance signs the two texts
// concatenated with nothing between them.
inline std::string signature_for(std::string_view query, std::string_view body, std::string_view secret) {
    std::string total(query);
    total += body;
    return hmac_sha256_hex(secret, total);
}

}  // namespace tradingd::exchange
