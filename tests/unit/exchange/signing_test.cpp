// Request signing: the reference's two Binance test vectors byte for byte, and the query text they sign.
#include <catch2/catch.hpp>

#include "exchange/signing.h"

using namespace tradingd::exchange;

namespace {

// Both vectors from reference/binance-usdm.md §1 (recomputed and confirmed there).
constexpr std::string_view kSpotSecret = "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j";
constexpr std::string_view kSpotPayload =
    "symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000&timestamp="
    "1499827319559";
constexpr std::string_view kSpotSignature =
    "c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71";

constexpr std::string_view kFuturesSecret =
    "2b5eb11e18796d12d88f13dc27dbbd02c2cc51ff7059765ed9821957d82bb4d9";
constexpr std::string_view kFuturesPayload =
    "symbol=BTCUSDT&side=BUY&type=LIMIT&quantity=1&price=9000&timeInForce=GTC&recvWindow=5000&timestamp="
    "1591702613943";
constexpr std::string_view kFuturesSignature =
    "3c661234138461fcc7a7d8746c6558c9842d4e10870d2ecbedf7777cad694af9";

}  // namespace

TEST_CASE("HMAC-SHA256 matches Binance's documented signatures exactly", "[exchange][signing]") {
    CHECK(hmac_sha256_hex(kSpotSecret, kSpotPayload) == kSpotSignature);
    CHECK(hmac_sha256_hex(kFuturesSecret, kFuturesPayload) == kFuturesSignature);
    // RFC 4231 test case 2: a short key and a payload with spaces, independent of Binance's vectors.
    CHECK(hmac_sha256_hex("Jefe", "what do ya want for nothing?") ==
          "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST_CASE("signing ordered parameters reproduces the futures docs request with signature last",
          "[exchange][signing]") {
    const QueryParams params = {{"symbol", "BTCUSDT"},  {"side", "BUY"},
                                {"type", "LIMIT"},      {"quantity", "1"},
                                {"price", "9000"},      {"timeInForce", "GTC"},
                                {"recvWindow", "5000"}, {"timestamp", "1591702613943"}};
    CHECK(build_query(params) == kFuturesPayload);
    CHECK(sign(params, kFuturesSecret) ==
          std::string(kFuturesPayload) + "&signature=" + std::string(kFuturesSignature));
}

TEST_CASE("signing the spot example in its own parameter order gives its signature", "[exchange][signing]") {
    const QueryParams params = {
        {"symbol", "LTCBTC"}, {"side", "BUY"},  {"type", "LIMIT"},      {"timeInForce", "GTC"},
        {"quantity", "1"},    {"price", "0.1"}, {"recvWindow", "5000"}, {"timestamp", "1499827319559"}};
    const std::string signed_query = sign(params, kSpotSecret);
    CHECK(signed_query == std::string(kSpotPayload) + "&signature=" + std::string(kSpotSignature));
    // Reordering the same parameters is a different text and must give a different signature.
    QueryParams swapped = params;
    std::swap(swapped[0], swapped[1]);
    CHECK(sign(swapped, kSpotSecret) != signed_query);
}

TEST_CASE("a query split between URL and body is signed as the two texts joined directly",
          "[exchange][signing]") {
    const std::string_view query = "symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC";
    const std::string_view body = "quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559";
    CHECK(signature_for(query, body, kSpotSecret) ==
          hmac_sha256_hex(kSpotSecret, std::string(query) + std::string(body)));
    CHECK(signature_for(query, body, kSpotSecret) != kSpotSignature);  // the '&' between them is not added
    CHECK(signature_for(std::string(query) + "&", body, kSpotSecret) == kSpotSignature);
}

TEST_CASE("values are percent-encoded per RFC 3986 and the daemon's own values pass unchanged",
          "[exchange][signing]") {
    CHECK(url_encode("BTCUSDT") == "BTCUSDT");
    CHECK(url_encode("0.001") == "0.001");
    CHECK(url_encode("-12.5") == "-12.5");
    CHECK(url_encode("td1-3-z1-e0") == "td1-3-z1-e0");
    CHECK(url_encode("a_b.c~d") == "a_b.c~d");
    CHECK(url_encode("a b") == "a%20b");
    CHECK(url_encode("x:y/z") == "x%3Ay%2Fz");
    CHECK(url_encode("1+1=2&") == "1%2B1%3D2%26");
    CHECK(url_encode("%") == "%25");
    CHECK(url_encode("\xC3\xA9") == "%C3%A9");  // UTF-8 é, byte by byte
    CHECK(url_encode("") == "");
    CHECK(build_query({{"newClientOrderId", "my order:1"}, {"symbol", "BTCUSDT"}}) ==
          "newClientOrderId=my%20order%3A1&symbol=BTCUSDT");
    CHECK(build_query({}) == "");
}

TEST_CASE("signing refuses an empty secret and a second signature", "[exchange][signing]") {
    CHECK_THROWS_AS(hmac_sha256_hex("", "payload"), std::invalid_argument);
    CHECK_THROWS_AS(sign({{"signature", "abc"}}, kSpotSecret), std::invalid_argument);
    CHECK(sign({}, kSpotSecret) == "signature=" + hmac_sha256_hex(kSpotSecret, ""));
}
