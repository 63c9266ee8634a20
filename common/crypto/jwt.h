// JSON Web Tokens (RFC 7519), HS256 only: the REST API's access tokens. Any other algorithm, "none" included,
// is refused before the key is touched.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "crypto/bytes.h"

namespace tradingd::crypto::jwt {

// Keys shorter than this are refused (RFC 7518 §3.2: the HS256 key must be at least the hash size).
inline constexpr std::size_t kMinKeyBytes = 32;
// Tokens longer than this are malformed without parsing: they arrive in a request header.
inline constexpr std::size_t kMaxTokenBytes = 8192;

enum class Failure {
    malformed,        // not three unpadded base64url parts, or a header/payload that is not a JSON object
    alg_not_allowed,  // header "alg" is anything but exactly "HS256"
    bad_signature,    // wrong key, or header/payload altered
    missing_claim,    // no "exp" or no "iss"
    wrong_issuer,     // "iss" is not the expected issuer
    expired,          // now >= exp + leeway
    not_yet_valid,    // now < nbf - leeway
};
// The stable word for logs and error codes, e.g. "bad_signature".
std::string_view to_string(Failure failure);

struct Verified {
    std::optional<nlohmann::json> claims;  // set on success
    Failure failure = Failure::malformed;  // meaningful only when claims is empty

    bool ok() const { return claims.has_value(); }
    explicit operator bool() const { return ok(); }
};

// A compact token with header {"alg":"HS256","typ":"JWT"} and `claims` as payload. The caller puts in iss,
// sub, exp (and iat/nbf/jti as wanted). Throws std::invalid_argument if `claims` is not a JSON object or the
// key is shorter than kMinKeyBytes.
std::string sign(const nlohmann::json& claims, ByteView key);
inline std::string sign(const nlohmann::json& claims, std::string_view key) {
    return sign(claims, as_bytes(key));
}

// Checks, in this order: shape, alg, signature (constant-time), then the claims: exp and iss present, iss
// equal to `expected_issuer`, exp and nbf against `now_unix` (seconds) with `leeway_s` of clock skew allowed.
// Throws std::invalid_argument only for a key shorter than kMinKeyBytes; every bad token is a Failure.
Verified verify(std::string_view token, ByteView key, std::string_view expected_issuer, std::int64_t now_unix,
                std::int64_t leeway_s = 0);
inline Verified verify(std::string_view token, std::string_view key, std::string_view expected_issuer,
                       std::int64_t now_unix, std::int64_t leeway_s = 0) {
    return verify(token, as_bytes(key), expected_issuer, now_unix, leeway_s);
}

}  // namespace tradingd::crypto::jwt
