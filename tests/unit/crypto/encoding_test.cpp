// CSPRNG output, hex and base64url codecs, constant-time comparison, and known answers for the HMAC-SHA256
// under JWT HS256.
#include <catch2/catch.hpp>

#include <set>

#include "crypto/hmac_internal.h"
#include "crypto/random.h"

using namespace tradingd::crypto;

namespace {

std::string hmac_hex(ByteView key, ByteView data) {
    return hex_encode(detail::hmac_sha256(key, data));
}
std::string hmac_hex(std::string_view key, std::string_view data) {
    return hmac_hex(as_bytes(key), as_bytes(data));
}

}  // namespace

TEST_CASE("random_bytes returns the requested length and does not repeat", "[crypto][random]") {
    CHECK(random_bytes(0).empty());
    CHECK(random_bytes(1).size() == 1);
    std::set<Bytes> seen;
    for (int i = 0; i < 100; ++i) seen.insert(random_bytes(16));
    CHECK(seen.size() == 100);
}

TEST_CASE("random_hex gives 2n lowercase hex digits, like openssl rand -hex", "[crypto][random]") {
    const std::string hex = random_hex(64);
    REQUIRE(hex.size() == 128);
    CHECK(hex.find_first_not_of("0123456789abcdef") == std::string::npos);
    CHECK(hex != random_hex(64));
}

TEST_CASE("hex round-trips and rejects what is not hex", "[crypto][hex]") {
    const Bytes all = [] {
        Bytes b;
        for (int i = 0; i < 256; ++i) b.push_back(static_cast<std::uint8_t>(i));
        return b;
    }();
    CHECK(hex_decode(hex_encode(all)) == all);
    CHECK(hex_encode(as_bytes("\x01\xab\xff")) == "01abff");
    CHECK(hex_decode("01ABff") == Bytes{0x01, 0xab, 0xff});
    CHECK(hex_decode("") == Bytes{});
    CHECK_FALSE(hex_decode("abc"));   // odd length
    CHECK_FALSE(hex_decode("zz"));    // not hex
    CHECK_FALSE(hex_decode("0x12"));  // prefix
    CHECK_FALSE(hex_decode("12 34"));
}

TEST_CASE("base64url matches RFC 4648 §10 vectors without padding", "[crypto][base64url]") {
    const std::pair<std::string_view, std::string_view> vectors[] = {
        {"", ""},           {"f", "Zg"},          {"fo", "Zm8"},          {"foo", "Zm9v"},
        {"foob", "Zm9vYg"}, {"fooba", "Zm9vYmE"}, {"foobar", "Zm9vYmFy"},
    };
    for (const auto& [plain, encoded] : vectors) {
        CHECK(base64url_encode(plain) == encoded);
        const auto decoded = base64url_decode(encoded);
        REQUIRE(decoded);
        CHECK(as_chars(*decoded) == plain);
    }
    // The URL-safe alphabet: standard base64 would write "+/8=" for these bytes.
    CHECK(base64url_encode(Bytes{0xfb, 0xff}) == "-_8");
    CHECK(base64url_decode("-_8") == Bytes{0xfb, 0xff});
}

TEST_CASE("base64url decoding is strict so each value has one encoding", "[crypto][base64url]") {
    CHECK_FALSE(base64url_decode("Zg=="));    // padding
    CHECK_FALSE(base64url_decode("+/8"));     // standard alphabet
    CHECK_FALSE(base64url_decode("Zm9v\n"));  // whitespace
    CHECK_FALSE(base64url_decode("Z"));       // 4k+1 characters cannot encode whole bytes
    CHECK_FALSE(base64url_decode("Zh"));      // non-zero trailing bits: would also decode to "f"
    const Bytes random = random_bytes(1000);
    CHECK(base64url_decode(base64url_encode(random)) == random);
}

TEST_CASE("constant_time_equal compares contents and lengths", "[crypto][compare]") {
    CHECK(constant_time_equal("abc", "abc"));
    CHECK(constant_time_equal("", ""));
    CHECK_FALSE(constant_time_equal("abc", "abd"));
    CHECK_FALSE(constant_time_equal("abc", "ab"));
    CHECK_FALSE(constant_time_equal("ab", "abc"));
    CHECK_FALSE(constant_time_equal("", "a"));
    CHECK_FALSE(constant_time_equal("a", ""));
    CHECK(constant_time_equal(Bytes{1, 2, 3}, Bytes{1, 2, 3}));
    CHECK_FALSE(constant_time_equal(Bytes{1, 2, 3}, Bytes{1, 2, 4}));
}

TEST_CASE("hmac_sha256 matches RFC 4231 test cases 1, 2 and 6", "[crypto][hmac][kat]") {
    // RFC 4231 §4.2, test case 1.
    CHECK(hmac_hex(Bytes(20, 0x0b), as_bytes("Hi There")) ==
          "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
    // §4.3, test case 2: a key shorter than the block.
    CHECK(hmac_hex("Jefe", "what do ya want for nothing?") ==
          "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    // §4.7, test case 6: a key longer than the block is hashed first.
    CHECK(hmac_hex(Bytes(131, 0xaa), as_bytes("Test Using Larger Than Block-Size Key - Hash Key First")) ==
          "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}

TEST_CASE("hmac_sha256 accepts an empty key and empty data", "[crypto][hmac]") {
    // Well-known value of HMAC-SHA256 with empty key and empty message.
    CHECK(hmac_hex("", "") == "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad");
}
