// JWT HS256 signing and verification. The order of checks in verify() is the security argument: shape, then
// alg (before the key is used), then the signature (before the payload is parsed), then the claims.
#include "crypto/jwt.h"

#include <cmath>
#include <limits>
#include <stdexcept>

#include "crypto/hmac_internal.h"
#include "crypto/random.h"

namespace tradingd::crypto::jwt {

namespace {

using nlohmann::json;

// The only header this code writes; verify() reads whatever header arrives.
constexpr std::string_view kHeaderJson = R"({"alg":"HS256","typ":"JWT"})";

void check_key(ByteView key) {
    if (key.size() < kMinKeyBytes) throw std::invalid_argument("JWT HS256 key must be at least 32 bytes");
}

Verified fail(Failure failure) {
    return Verified{std::nullopt, failure};
}

// A base64url part holding a JSON object, or nullopt.
std::optional<json> decode_object(std::string_view part) {
    const auto bytes = base64url_decode(part);
    if (!bytes) return std::nullopt;
    // No exceptions: a bad token is an expected input. Invalid UTF-8 is a parse error too.
    json value = json::parse(bytes->begin(), bytes->end(), nullptr, /*allow_exceptions=*/false);
    if (!value.is_object()) return std::nullopt;
    return value;
}

// RFC 7519 NumericDate: seconds, possibly fractional. Truncated toward zero as PyJWT does, so both sides
// agree on the boundary second.
std::optional<std::int64_t> numeric_date(const json& value) {
    if (value.is_number_unsigned()) {
        const auto v = value.get<std::uint64_t>();
        if (v > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) return std::nullopt;
        return static_cast<std::int64_t>(v);
    }
    if (value.is_number_integer()) return value.get<std::int64_t>();
    if (value.is_number_float()) {
        const double v = value.get<double>();
        // ±2^62 s is far beyond any real date and keeps the arithmetic below from overflowing.
        if (!std::isfinite(v) || std::fabs(v) > 4.6e18) return std::nullopt;
        return static_cast<std::int64_t>(std::trunc(v));
    }
    return std::nullopt;
}

std::string signature_for(std::string_view signing_input, ByteView key) {
    const detail::Sha256Digest mac = detail::hmac_sha256(key, as_bytes(signing_input));
    return base64url_encode(mac);
}

}  // namespace

std::string_view to_string(Failure failure) {
    switch (failure) {
        case Failure::malformed:
            return "malformed";
        case Failure::alg_not_allowed:
            return "alg_not_allowed";
        case Failure::bad_signature:
            return "bad_signature";
        case Failure::missing_claim:
            return "missing_claim";
        case Failure::wrong_issuer:
            return "wrong_issuer";
        case Failure::expired:
            return "expired";
        case Failure::not_yet_valid:
            return "not_yet_valid";
    }
    return "malformed";
}

std::string sign(const nlohmann::json& claims, ByteView key) {
    check_key(key);
    if (!claims.is_object()) throw std::invalid_argument("JWT claims must be a JSON object");
    std::string token = base64url_encode(kHeaderJson);
    token += '.';
    token += base64url_encode(claims.dump());
    const std::string signature = signature_for(token, key);
    token += '.';
    token += signature;
    return token;
}

Verified verify(std::string_view token, ByteView key, std::string_view expected_issuer, std::int64_t now_unix,
                std::int64_t leeway_s) {
    check_key(key);
    if (leeway_s < 0) leeway_s = 0;

    // Shape: exactly three parts. JWE (five parts) and JSON serialisation are not accepted.
    if (token.size() > kMaxTokenBytes) return fail(Failure::malformed);
    const auto first_dot = token.find('.');
    if (first_dot == std::string_view::npos) return fail(Failure::malformed);
    const auto second_dot = token.find('.', first_dot + 1);
    if (second_dot == std::string_view::npos || token.find('.', second_dot + 1) != std::string_view::npos) {
        return fail(Failure::malformed);
    }
    const std::string_view header_part = token.substr(0, first_dot);
    const std::string_view payload_part = token.substr(first_dot + 1, second_dot - first_dot - 1);
    const std::string_view signature_part = token.substr(second_dot + 1);
    if (header_part.empty() || payload_part.empty()) return fail(Failure::malformed);

    // Algorithm, decided by the header alone and before the key is used: exact, case-sensitive "HS256"
    // (RFC 7515 §4.1.1 makes alg values case-sensitive), so "none", "hs256", "HS512", "RS256" all stop here.
    const auto header = decode_object(header_part);
    if (!header) return fail(Failure::malformed);
    const auto alg = header->find("alg");
    if (alg == header->end() || !alg->is_string() || alg->get_ref<const std::string&>() != "HS256") {
        return fail(Failure::alg_not_allowed);
    }
    // RFC 7515 §4.1.11: a "crit" extension the recipient does not implement must be rejected; this code
    // implements none.
    if (header->contains("crit")) return fail(Failure::malformed);

    // Signature over the parts exactly as received, compared in constant time.
    const auto signature = base64url_decode(signature_part);
    if (!signature) return fail(Failure::malformed);
    const std::string_view signing_input = token.substr(0, second_dot);
    const detail::Sha256Digest expected = detail::hmac_sha256(key, as_bytes(signing_input));
    if (!constant_time_equal(ByteView(expected), ByteView(*signature))) return fail(Failure::bad_signature);

    // Only now is the payload parsed: nothing unauthenticated reaches the JSON parser beyond the small
    // header.
    auto claims = decode_object(payload_part);
    if (!claims) return fail(Failure::malformed);

    const auto exp_it = claims->find("exp");
    const auto iss_it = claims->find("iss");
    if (exp_it == claims->end() || iss_it == claims->end()) return fail(Failure::missing_claim);
    if (!iss_it->is_string() || iss_it->get_ref<const std::string&>() != expected_issuer) {
        return fail(Failure::wrong_issuer);
    }
    const auto exp = numeric_date(*exp_it);
    if (!exp) return fail(Failure::malformed);
    // RFC 7519 §4.1.4: valid only while now is before exp; the leeway absorbs clock skew between servers.
    if (now_unix - leeway_s >= *exp) return fail(Failure::expired);
    if (const auto nbf_it = claims->find("nbf"); nbf_it != claims->end()) {
        const auto nbf = numeric_date(*nbf_it);
        if (!nbf) return fail(Failure::malformed);
        if (*nbf > now_unix + leeway_s) return fail(Failure::not_yet_valid);
    }
    return Verified{std::move(claims), Failure::malformed};
}

}  // namespace tradingd::crypto::jwt
