// Argon2id password hashing: verification, per-hash salts, tamper evidence, input limits, rehash decisions
// and the dummy path that hides whether an account exists.
#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <vector>

#include "crypto/password.h"

using namespace tradingd::crypto;

namespace {

// Cheap parameters so the suite stays fast; the defaults are tested separately below.
const Argon2Params kTestParams{.memory_kib = 64, .iterations = 1, .parallelism = 1};

const PasswordHasher& test_hasher() {
    static const PasswordHasher hasher(kTestParams);
    return hasher;
}

}  // namespace

TEST_CASE("defaults are OWASP's Argon2id minimum", "[crypto][password]") {
    CHECK(kOwaspArgon2idMinimum.memory_kib == 19456);
    CHECK(kOwaspArgon2idMinimum.iterations == 2);
    CHECK(kOwaspArgon2idMinimum.parallelism == 1);
    CHECK(PasswordHasher().params() == kOwaspArgon2idMinimum);
}

TEST_CASE("a hash verifies its password and no other", "[crypto][password]") {
    const auto& hasher = test_hasher();
    const auto phc = hasher.hash("correct horse battery staple");
    REQUIRE(phc);
    CHECK(phc->starts_with("$argon2id$v=19$m=64,t=1,p=1$"));
    CHECK(hasher.verify("correct horse battery staple", *phc));
    CHECK_FALSE(hasher.verify("correct horse battery stapl", *phc));
    CHECK_FALSE(hasher.verify("Correct horse battery staple", *phc));
    CHECK_FALSE(hasher.verify("correct horse battery staple ", *phc));
}

TEST_CASE("each hash of the same password has its own salt", "[crypto][password]") {
    const auto& hasher = test_hasher();
    const auto a = hasher.hash("same password");
    const auto b = hasher.hash("same password");
    REQUIRE(a);
    REQUIRE(b);
    CHECK(*a != *b);
    CHECK(hasher.verify("same password", *a));
    CHECK(hasher.verify("same password", *b));
}

TEST_CASE("a tampered hash never verifies", "[crypto][password]") {
    const auto& hasher = test_hasher();
    const std::string phc = *hasher.hash("hunter2-but-longer");
    // Change each character of the salt and hash fields in turn.
    const std::size_t salt_start = phc.find('$', phc.find("p=")) + 1;
    int verified = 0;
    for (std::size_t i = salt_start; i < phc.size(); ++i) {
        if (phc[i] == '$') continue;
        std::string tampered = phc;
        tampered[i] = tampered[i] == 'A' ? 'B' : 'A';
        if (hasher.verify("hunter2-but-longer", tampered)) ++verified;
    }
    CHECK(verified == 0);
    // Parameters rewritten, truncated, other variants, garbage.
    std::string other_cost = phc;
    other_cost.replace(other_cost.find("t=1"), 3, "t=2");
    CHECK_FALSE(hasher.verify("hunter2-but-longer", other_cost));
    CHECK_FALSE(hasher.verify("hunter2-but-longer", phc.substr(0, phc.size() - 4)));
    std::string argon2i = phc;
    argon2i.replace(0, 10, "$argon2i$");
    CHECK_FALSE(hasher.verify("hunter2-but-longer", argon2i));
    CHECK_FALSE(hasher.verify("hunter2-but-longer", ""));
    CHECK_FALSE(hasher.verify("hunter2-but-longer", "plaintext-password"));
}

TEST_CASE("empty and overlong passwords are refused", "[crypto][password]") {
    const auto& hasher = test_hasher();
    CHECK(check_password("") == PasswordProblem::empty);
    CHECK(check_password(std::string(kMaxPasswordBytes, 'a')) == PasswordProblem::none);
    CHECK(check_password(std::string(kMaxPasswordBytes + 1, 'a')) == PasswordProblem::too_long);
    CHECK_FALSE(hasher.hash(""));
    CHECK_FALSE(hasher.hash(std::string(kMaxPasswordBytes + 1, 'a')));
    const auto max_len = hasher.hash(std::string(kMaxPasswordBytes, 'a'));
    REQUIRE(max_len);
    CHECK(hasher.verify(std::string(kMaxPasswordBytes, 'a'), *max_len));
    CHECK_FALSE(hasher.verify("", *max_len));
}

TEST_CASE("hashes below the current parameters need a rehash", "[crypto][password]") {
    const auto& weak = test_hasher();
    const PasswordHasher stronger({.memory_kib = 128, .iterations = 2, .parallelism = 1});
    const std::string weak_phc = *weak.hash("password-one");
    CHECK_FALSE(weak.needs_rehash(weak_phc));
    CHECK(stronger.needs_rehash(weak_phc));
    CHECK_FALSE(stronger.needs_rehash(*stronger.hash("password-one")));
    CHECK(stronger.needs_rehash(
        "$argon2i$v=19$m=128,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g"));
    CHECK(stronger.needs_rehash("not a hash"));
    // A hash made with higher costs than today's is left alone.
    CHECK_FALSE(weak.needs_rehash(*stronger.hash("password-one")));
}

TEST_CASE("parse_argon2id_phc reads parameters and refuses absurd costs", "[crypto][password]") {
    const auto p = parse_argon2id_phc(*test_hasher().hash("pw-for-parse"));
    REQUIRE(p);
    CHECK(*p == kTestParams);
    const std::string tail = "$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g";
    CHECK(parse_argon2id_phc("$argon2id$v=19$m=19456,t=2,p=1" + tail));
    CHECK_FALSE(parse_argon2id_phc("$argon2id$v=19$m=4294967295,t=2,p=1" + tail));  // 4 TiB
    CHECK_FALSE(parse_argon2id_phc("$argon2id$v=19$m=19456,t=100000,p=1" + tail));
    CHECK_FALSE(parse_argon2id_phc("$argon2id$v=16$m=19456,t=2,p=1" + tail));
    CHECK_FALSE(parse_argon2id_phc("$argon2id$v=19$m=019456,t=2,p=1" + tail));
    CHECK_FALSE(parse_argon2id_phc("$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA"));  // short salt and hash
}

TEST_CASE("out-of-range parameters are refused at construction", "[crypto][password]") {
    CHECK_THROWS_AS(PasswordHasher({.memory_kib = 4, .iterations = 1, .parallelism = 1}),
                    std::invalid_argument);
    CHECK_THROWS_AS(PasswordHasher({.memory_kib = 64, .iterations = 0, .parallelism = 1}),
                    std::invalid_argument);
    CHECK_THROWS_AS(PasswordHasher({.memory_kib = 64, .iterations = 1, .parallelism = 0}),
                    std::invalid_argument);
}

TEST_CASE("dummy_verify uses a hash with the hasher's own parameters and never succeeds",
          "[crypto][password]") {
    const auto& hasher = test_hasher();
    CHECK(parse_argon2id_phc(hasher.dummy_hash()) == kTestParams);
    CHECK_FALSE(hasher.dummy_verify("any password"));
    CHECK_FALSE(hasher.dummy_verify(""));
}

TEST_CASE("with default parameters an unknown user costs about as much as a wrong password",
          "[crypto][password][timing]") {
    // The login-timing property itself, at real cost (19 MiB per hash). Interleaved medians and a wide band
    // keep it stable on a shared machine; the failure it exists to catch is a dummy path that does no work
    // (~1000x).
    const PasswordHasher hasher;
    const std::string phc = *hasher.hash("the real password");
    using Clock = std::chrono::steady_clock;
    std::vector<double> real_ms, dummy_ms;
    for (int i = 0; i < 5; ++i) {
        auto t0 = Clock::now();
        CHECK_FALSE(hasher.verify("a wrong password", phc));
        auto t1 = Clock::now();
        CHECK_FALSE(hasher.dummy_verify("a wrong password"));
        auto t2 = Clock::now();
        real_ms.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
        dummy_ms.push_back(std::chrono::duration<double, std::milli>(t2 - t1).count());
    }
    std::sort(real_ms.begin(), real_ms.end());
    std::sort(dummy_ms.begin(), dummy_ms.end());
    const double ratio = dummy_ms[2] / real_ms[2];
    INFO("median verify " << real_ms[2] << " ms, median dummy_verify " << dummy_ms[2] << " ms");
    CHECK(ratio > 0.33);
    CHECK(ratio < 3.0);
}
