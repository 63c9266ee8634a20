// JWT HS256: round trip, the RFC 7515 example, and one crafted token per failure reason.
#include <catch2/catch.hpp>

#include <algorithm>

#include "crypto/hmac_internal.h"
#include "crypto/jwt.h"
#include "crypto/random.h"

using namespace tradingd::crypto;
using nlohmann::json;

namespace {

const std::string kKey = "4f1d6b0c9e2a7358f0c1d2e3b4a5968778695a4b3c2d1e0f11223344556677889";
const std::string kOtherKey = "0000000000000000000000000000000000000000000000000000000000000000";
constexpr std::int64_t kNow = 1'750'000'000;

json claims(std::int64_t exp = kNow + 900) {
    return {{"iss", "tradingd"}, {"sub", "42"}, {"role", "agent"}, {"iat", kNow}, {"exp", exp}};
}

// A token with any header and payload text, signed with HS256 under `key` (or with `signature` verbatim).
std::string craft(std::string_view header, std::string_view payload, std::string_view key) {
    std::string input = base64url_encode(header) + "." + base64url_encode(payload);
    return input + "." + base64url_encode(detail::hmac_sha256(as_bytes(key), as_bytes(input)));
}
std::string craft_with_signature(std::string_view header, std::string_view payload,
                                 std::string_view signature) {
    return base64url_encode(header) + "." + base64url_encode(payload) + "." + std::string(signature);
}

jwt::Failure failure_of(const std::string& token, std::int64_t now = kNow, std::int64_t leeway = 0) {
    const auto result = jwt::verify(token, kKey, "tradingd", now, leeway);
    REQUIRE_FALSE(result.ok());
    return result.failure;
}

constexpr std::string_view kHs256Header = R"({"alg":"HS256","typ":"JWT"})";

}  // namespace

TEST_CASE("a signed token verifies and returns its claims", "[crypto][jwt]") {
    const std::string token = jwt::sign(claims(), kKey);
    CHECK(std::count(token.begin(), token.end(), '.') == 2);
    CHECK(token.find('=') == std::string::npos);
    CHECK(token.starts_with(base64url_encode(kHs256Header) + "."));

    const auto result = jwt::verify(token, kKey, "tradingd", kNow);
    REQUIRE(result.ok());
    CHECK((*result.claims)["sub"] == "42");
    CHECK((*result.claims)["role"] == "agent");
}

TEST_CASE("verify accepts the HS256 example of RFC 7515 appendix A.1", "[crypto][jwt][kat]") {
    // Header with "typ" first and CRLFs, payload with a URI claim: a token this code did not write.
    const std::string token =
        "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9."
        "eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ."
        "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    const auto key = base64url_decode(
        "AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow");
    REQUIRE(key);
    const auto result = jwt::verify(token, *key, "joe", 1300819379);
    REQUIRE(result.ok());
    CHECK((*result.claims)["http://example.com/is_root"] == true);
    CHECK(jwt::verify(token, *key, "joe", 1300819380).failure == jwt::Failure::expired);
}

TEST_CASE("alg none, other algorithms and case variants are refused", "[crypto][jwt]") {
    const std::string payload = claims().dump();
    // The classic attack: alg none with an empty signature.
    CHECK(failure_of(craft_with_signature(R"({"alg":"none","typ":"JWT"})", payload, "")) ==
          jwt::Failure::alg_not_allowed);
    CHECK(failure_of(craft_with_signature(R"({"alg":"None"})", payload, "")) ==
          jwt::Failure::alg_not_allowed);
    // Correctly HMAC-signed with our key, but claiming another algorithm: still refused on the header alone.
    for (const char* alg : {"HS512", "HS384", "RS256", "ES256", "hs256", "Hs256", "HS256 ", "none", ""}) {
        INFO(alg);
        CHECK(failure_of(craft(json{{"alg", alg}, {"typ", "JWT"}}.dump(), payload, kKey)) ==
              jwt::Failure::alg_not_allowed);
    }
    CHECK(failure_of(craft(R"({"typ":"JWT"})", payload, kKey)) == jwt::Failure::alg_not_allowed);
    CHECK(failure_of(craft(R"({"alg":["HS256"]})", payload, kKey)) == jwt::Failure::alg_not_allowed);
}

TEST_CASE("a token signed with another key has a bad signature", "[crypto][jwt]") {
    CHECK(failure_of(jwt::sign(claims(), kOtherKey)) == jwt::Failure::bad_signature);
    CHECK(failure_of(craft(kHs256Header, claims().dump(), kKey + "x")) == jwt::Failure::bad_signature);
}

TEST_CASE("a token whose payload or header was modified has a bad signature", "[crypto][jwt]") {
    const std::string token = jwt::sign(claims(), kKey);
    const auto dot1 = token.find('.');
    const auto dot2 = token.find('.', dot1 + 1);
    const std::string signature = token.substr(dot2 + 1);

    json admin = claims();
    admin["role"] = "admin";
    CHECK(failure_of(craft_with_signature(kHs256Header, admin.dump(), signature)) ==
          jwt::Failure::bad_signature);
    // Same claims, different spelling (whitespace): the signature covers the bytes, not the meaning.
    CHECK(failure_of(craft_with_signature(kHs256Header, claims().dump(1), signature)) ==
          jwt::Failure::bad_signature);
    CHECK(failure_of(craft_with_signature(R"({"typ":"JWT","alg":"HS256"})", claims().dump(), signature)) ==
          jwt::Failure::bad_signature);
    // Signature altered, truncated or missing.
    std::string flipped = token;
    flipped.back() = flipped.back() == 'A' ? 'Q' : 'A';
    CHECK(failure_of(flipped) == jwt::Failure::bad_signature);
    CHECK(failure_of(token.substr(0, token.size() - 3)) == jwt::Failure::bad_signature);
    CHECK(failure_of(token.substr(0, dot2 + 1)) == jwt::Failure::bad_signature);
}

TEST_CASE("expiry is enforced with and without leeway", "[crypto][jwt]") {
    const std::string token = jwt::sign(claims(kNow - 10), kKey);
    CHECK(failure_of(token) == jwt::Failure::expired);
    CHECK(failure_of(token, kNow, 5) == jwt::Failure::expired);
    CHECK(jwt::verify(token, kKey, "tradingd", kNow, 30).ok());
    // Leeway boundary, as PyJWT draws it: expired once now - leeway reaches exp.
    CHECK(failure_of(token, kNow, 10) == jwt::Failure::expired);
    CHECK(jwt::verify(token, kKey, "tradingd", kNow, 11).ok());
    // The boundary: valid strictly before exp (RFC 7519 §4.1.4).
    const std::string at = jwt::sign(claims(kNow), kKey);
    CHECK(failure_of(at) == jwt::Failure::expired);
    CHECK(jwt::verify(at, kKey, "tradingd", kNow - 1).ok());
}

TEST_CASE("nbf in the future is not yet valid, within leeway it is", "[crypto][jwt]") {
    json c = claims();
    c["nbf"] = kNow + 60;
    const std::string token = jwt::sign(c, kKey);
    CHECK(failure_of(token) == jwt::Failure::not_yet_valid);
    CHECK(failure_of(token, kNow, 30) == jwt::Failure::not_yet_valid);
    CHECK(jwt::verify(token, kKey, "tradingd", kNow, 60).ok());
    CHECK(jwt::verify(token, kKey, "tradingd", kNow + 60).ok());
}

TEST_CASE("the issuer must match exactly", "[crypto][jwt]") {
    json c = claims();
    c["iss"] = "someone-else";
    CHECK(failure_of(jwt::sign(c, kKey)) == jwt::Failure::wrong_issuer);
    c["iss"] = "Tradingd";
    CHECK(failure_of(jwt::sign(c, kKey)) == jwt::Failure::wrong_issuer);
    c["iss"] = 7;
    CHECK(failure_of(jwt::sign(c, kKey)) == jwt::Failure::wrong_issuer);
    CHECK(jwt::verify(jwt::sign(claims(), kKey), kKey, "other-issuer", kNow).failure ==
          jwt::Failure::wrong_issuer);
}

TEST_CASE("exp and iss are required", "[crypto][jwt]") {
    json no_exp = claims();
    no_exp.erase("exp");
    CHECK(failure_of(jwt::sign(no_exp, kKey)) == jwt::Failure::missing_claim);
    json no_iss = claims();
    no_iss.erase("iss");
    CHECK(failure_of(jwt::sign(no_iss, kKey)) == jwt::Failure::missing_claim);
}

TEST_CASE("tokens that are not three unpadded base64url JSON parts are malformed", "[crypto][jwt]") {
    const std::string token = jwt::sign(claims(), kKey);
    for (const std::string& bad : {
             std::string(""),
             std::string("abc"),
             std::string("a.b"),
             token + ".extra",
             "." + token,
             token + "=",  // padding on the signature
             craft(kHs256Header, claims().dump(), kKey) + "\n",
             craft(kHs256Header, "not json", kKey),  // signed, but the payload is not JSON
             craft(kHs256Header, "[1,2]", kKey),     // JSON, not an object
             craft_with_signature("not json", claims().dump(), "sig"),
             std::string(jwt::kMaxTokenBytes + 1, 'a'),
         }) {
        INFO(bad.substr(0, 80));
        CHECK(failure_of(bad) == jwt::Failure::malformed);
    }
    json c = claims();
    c["exp"] = "tomorrow";
    CHECK(failure_of(jwt::sign(c, kKey)) == jwt::Failure::malformed);
    CHECK(failure_of(craft(R"({"alg":"HS256","crit":["b64"]})", claims().dump(), kKey)) ==
          jwt::Failure::malformed);
}

TEST_CASE("a fractional exp is honoured", "[crypto][jwt]") {
    json c = claims();
    c["exp"] = static_cast<double>(kNow) + 0.5;
    CHECK(jwt::verify(jwt::sign(c, kKey), kKey, "tradingd", kNow - 1).ok());
    CHECK(failure_of(jwt::sign(c, kKey), kNow + 1) == jwt::Failure::expired);
}

TEST_CASE("short keys and non-object claims are programming errors", "[crypto][jwt]") {
    CHECK_THROWS_AS(jwt::sign(claims(), std::string_view("short-key")), std::invalid_argument);
    CHECK_THROWS_AS(jwt::verify("a.b.c", std::string_view("short-key"), "tradingd", kNow),
                    std::invalid_argument);
    CHECK_THROWS_AS(jwt::sign(json::array({1, 2}), kKey), std::invalid_argument);
}

TEST_CASE("failure reasons have stable names", "[crypto][jwt]") {
    CHECK(jwt::to_string(jwt::Failure::alg_not_allowed) == "alg_not_allowed");
    CHECK(jwt::to_string(jwt::Failure::bad_signature) == "bad_signature");
    CHECK(jwt::to_string(jwt::Failure::expired) == "expired");
}
