// Interop with a standard JWT library: PyJWT (Debian's python3-jwt) decodes our tokens with its own HS256,
// issuer and expiry checks, and we verify tokens PyJWT signed. A missing python3-jwt fails the test: CI
// installs it, so a skip would only hide a broken setup.
#include <catch2/catch.hpp>

#include <array>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <string>

#include "crypto/jwt.h"
#include "crypto/random.h"

using namespace tradingd::crypto;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

// Debian's interpreter (chosen in CMake): python3-jwt is installed for it, not for a pyenv or venv python.
constexpr const char* kPython = TRADINGD_TEST_PYTHON;

// Reads files named on the command line rather than taking the key in argv, as production code must.
constexpr std::string_view kScript = R"PY(
import sys, time
import jwt

mode, key_file = sys.argv[1], sys.argv[2]
key = open(key_file).read()
if mode == "decode":
    token = open(sys.argv[3]).read().strip()
    try:
        claims = jwt.decode(token, key, algorithms=["HS256"], issuer="tradingd",
                            options={"require": ["exp", "iss", "sub"]})
    except jwt.ExpiredSignatureError:
        print("expired"); sys.exit(0)
    except jwt.InvalidIssuerError:
        print("wrong_issuer"); sys.exit(0)
    except jwt.InvalidSignatureError:
        print("bad_signature"); sys.exit(0)
    header = jwt.get_unverified_header(token)
    print("ok", claims["sub"], claims["role"], header["alg"], header["typ"])
else:
    alg = sys.argv[3]
    now = int(time.time())
    print(jwt.encode({"iss": "tradingd", "sub": "7", "role": "admin", "iat": now, "nbf": now - 5,
                      "exp": now + 300}, key, algorithm=alg))
)PY";

// A scratch directory removed on scope exit.
struct TempDir {
    fs::path path = fs::temp_directory_path() / ("tradingd-crypto-" + random_hex(8));
    TempDir() { fs::create_directories(path); }
    ~TempDir() {
        std::error_code ec;
        fs::remove_all(path, ec);
    }
    fs::path write(const std::string& name, std::string_view content) const {
        const fs::path file = path / name;
        std::ofstream(file, std::ios::binary) << content;
        return file;
    }
};

struct Run {
    int status;
    std::string output;  // stdout and stderr
};

Run run(const std::string& command) {
    std::string output;
    FILE* pipe = ::popen((command + " 2>&1").c_str(), "r");
    REQUIRE(pipe != nullptr);
    std::array<char, 4096> buf{};
    while (std::size_t n = std::fread(buf.data(), 1, buf.size(), pipe)) output.append(buf.data(), n);
    return {::pclose(pipe), output};
}

std::string quoted(const fs::path& p) {
    return "'" + p.string() + "'";
}

void require_pyjwt() {
    const Run probe = run(std::string(kPython) + " -c 'import jwt'");
    if (probe.status != 0) {
        FAIL("python3-jwt is not importable by " << kPython
                                                 << ": install the Debian package python3-jwt "
                                                    "(apt-get install -y python3-jwt). Output: "
                                                 << probe.output);
    }
}

std::string trim(std::string s) {
    while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
    return s;
}

const std::string kKey = random_hex(64);  // the shape of JWT_SECRET_KEY: 128 hex characters, used as text

std::int64_t unix_now() {
    return static_cast<std::int64_t>(std::time(nullptr));
}

json our_claims(std::int64_t exp) {
    return {{"iss", "tradingd"}, {"sub", "42"}, {"role", "agent"}, {"iat", unix_now()}, {"exp", exp}};
}

std::string pyjwt_decode(const TempDir& dir, const std::string& token) {
    const Run r = run(std::string(kPython) + " " + quoted(dir.write("interop.py", kScript)) + " decode " +
                      quoted(dir.write("key", kKey)) + " " + quoted(dir.write("token", token)));
    INFO(r.output);
    REQUIRE(r.status == 0);
    return trim(r.output);
}

std::string pyjwt_encode(const TempDir& dir, const std::string& key, const std::string& alg) {
    const Run r = run(std::string(kPython) + " " + quoted(dir.write("interop.py", kScript)) + " encode " +
                      quoted(dir.write("key", key)) + " " + alg);
    INFO(r.output);
    REQUIRE(r.status == 0);
    return trim(r.output);
}

}  // namespace

TEST_CASE("PyJWT decodes our tokens with its HS256, issuer and expiry checks", "[crypto][jwt][interop]") {
    require_pyjwt();
    const TempDir dir;
    CHECK(pyjwt_decode(dir, jwt::sign(our_claims(unix_now() + 900), kKey)) == "ok 42 agent HS256 JWT");
    // PyJWT's own checks run on our tokens too: these prove the ones above were not skipped.
    CHECK(pyjwt_decode(dir, jwt::sign(our_claims(unix_now() - 100), kKey)) == "expired");
    json other_issuer = our_claims(unix_now() + 900);
    other_issuer["iss"] = "someone-else";
    CHECK(pyjwt_decode(dir, jwt::sign(other_issuer, kKey)) == "wrong_issuer");
    CHECK(pyjwt_decode(dir, jwt::sign(our_claims(unix_now() + 900), random_hex(64))) == "bad_signature");
}

TEST_CASE("we verify tokens PyJWT signed, and refuse its non-HS256 ones", "[crypto][jwt][interop]") {
    require_pyjwt();
    const TempDir dir;
    const std::string token = pyjwt_encode(dir, kKey, "HS256");
    const auto result = jwt::verify(token, kKey, "tradingd", unix_now(), 5);
    INFO(token);
    REQUIRE(result.ok());
    CHECK((*result.claims)["sub"] == "7");
    CHECK((*result.claims)["role"] == "admin");

    CHECK(jwt::verify(token, random_hex(64), "tradingd", unix_now(), 5).failure ==
          jwt::Failure::bad_signature);
    CHECK(jwt::verify(token, kKey, "tradingd", unix_now() + 3600).failure == jwt::Failure::expired);
    CHECK(jwt::verify(pyjwt_encode(dir, kKey, "HS512"), kKey, "tradingd", unix_now(), 5).failure ==
          jwt::Failure::alg_not_allowed);
}
