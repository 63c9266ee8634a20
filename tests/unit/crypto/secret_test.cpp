// SecretBytes / SecretString: cannot be copied or printed by accident, wiped on move and on demand, masked.
#include <catch2/catch.hpp>

#include <ostream>
#include <sstream>
#include <type_traits>

#include "crypto/secret.h"

using namespace tradingd::crypto;

namespace {

template <class T>
concept Streamable = requires(std::ostream& os, const T& t) {
    os << t;
};

}  // namespace

// The properties that keep a secret out of logs are compile-time ones; a regression here stops the build.
static_assert(!std::is_copy_constructible_v<SecretString>);
static_assert(!std::is_copy_assignable_v<SecretString>);
static_assert(std::is_nothrow_move_constructible_v<SecretString>);
static_assert(!std::is_convertible_v<SecretString, std::string>);
static_assert(!std::is_convertible_v<SecretString, std::string_view>);
static_assert(!std::is_convertible_v<std::string, SecretString>);  // construction is explicit
static_assert(!Streamable<SecretString>);
static_assert(!Streamable<SecretBytes>);
static_assert(!std::is_copy_constructible_v<SecretBytes>);

TEST_CASE("a secret string exposes its contents only through view()", "[crypto][secret]") {
    const SecretString s(std::string_view("binance-api-secret-value"));
    CHECK(s.view() == "binance-api-secret-value");
    CHECK(s.size() == 24);
    CHECK(s.bytes().size() == 24);
}

TEST_CASE("mask shows the first and last four characters of a long secret only", "[crypto][secret]") {
    const SecretString key(
        std::string_view("vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A"));
    CHECK(key.mask() ==
          "vmPU\xE2\x80\xA6"
          "Eh8A");
    CHECK(SecretString(std::string_view("short")).mask() == "****");
    CHECK(SecretString(std::string_view("elevenchars")).mask() == "****");
    CHECK(SecretString(std::string_view("twelve-chars")).mask() ==
          "twel\xE2\x80\xA6"
          "hars");
    // Raw key bytes have no public prefix, so nothing of them is shown.
    const SecretBytes raw(Bytes(32, 0xAB));
    CHECK(raw.mask() == "[32 secret bytes]");
    CHECK(raw.mask().find("ab") == std::string::npos);
}

TEST_CASE("moving a secret leaves the source empty", "[crypto][secret]") {
    SecretString a(std::string_view("top-secret-value"));
    SecretString b(std::move(a));
    CHECK(a.empty());  // NOLINT(bugprone-use-after-move): the moved-from state is what is under test
    CHECK(b.view() == "top-secret-value");

    SecretString c(std::string_view("another"));
    c = std::move(b);
    CHECK(b.empty());  // NOLINT(bugprone-use-after-move)
    CHECK(c.view() == "top-secret-value");
}

TEST_CASE("clone is the only way to copy, and copies are independent", "[crypto][secret]") {
    SecretBytes a(Bytes{1, 2, 3});
    SecretBytes b = a.clone();
    a.wipe();
    CHECK(a.empty());
    REQUIRE(b.size() == 3);
    CHECK(b.data()[2] == 3);
}

TEST_CASE("take() moves a std::string's contents in and zeroes the string's buffer", "[crypto][secret]") {
    // Short enough for the small-string buffer, which a plain std::move would leave holding the secret.
    std::string plain = "pw123456";
    const char* buffer = plain.data();
    const std::size_t capacity = plain.capacity();
    SecretString s = SecretString::take(plain);
    CHECK(s.view() == "pw123456");
    CHECK(plain.empty());
    REQUIRE(plain.data() == buffer);  // same storage, so inspecting it is meaningful
    for (std::size_t i = 0; i < capacity; ++i) CHECK(buffer[i] == '\0');
}

TEST_CASE("wipe_string zeroes the whole capacity of a long string", "[crypto][secret]") {
    std::string s(100, 'x');
    s.resize(10);
    const char* buffer = s.data();
    const std::size_t capacity = s.capacity();
    wipe_string(s);
    CHECK(s.empty());
    REQUIRE(s.data() == buffer);
    for (std::size_t i = 0; i < capacity; ++i) CHECK(buffer[i] == '\0');
}

TEST_CASE("zeroed() gives a writable buffer of the requested size", "[crypto][secret]") {
    SecretBytes b = SecretBytes::zeroed(4);
    REQUIRE(b.size() == 4);
    b.mutable_data()[0] = 7;
    CHECK(b.bytes()[0] == 7);
    CHECK(b.bytes()[3] == 0);
}
