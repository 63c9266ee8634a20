// tradingd.yaml and env-file loading: defaults, line-numbered errors, environment precedence, the example
// file.
#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "config/config.h"
#include "config/env.h"

using namespace tradingd;
namespace fs = std::filesystem;

namespace {

struct TempDir {
    fs::path path = fs::temp_directory_path() / ("tradingd_cfg_" + std::to_string(::getpid()) + "_" +
                                                 std::to_string(reinterpret_cast<std::uintptr_t>(this)));
    TempDir() { fs::create_directories(path); }
    ~TempDir() { fs::remove_all(path); }
    std::string write(const std::string& name, const std::string& text) {
        std::ofstream(path / name) << text;
        return (path / name).string();
    }
};

config::Config load(const std::string& yaml, const std::string& env = "") {
    static TempDir dir;
    config::LoadOptions o;
    o.config_path = dir.write("t.yaml", yaml);
    if (!env.empty()) o.env_file_path = dir.write("t.env", env);
    o.use_process_environment = false;
    return config::load(o);
}

std::vector<std::string> problems(const std::string& yaml, const std::string& env = "") {
    try {
        load(yaml, env);
    } catch (const config::ConfigError& e) {
        return e.problems();
    }
    return {};
}

std::string first_problem(const std::string& yaml, const std::string& env = "") {
    auto p = problems(yaml, env);
    REQUIRE_FALSE(p.empty());
    return p[0];
}

}  // namespace

TEST_CASE("an empty config gives every declared default", "[config]") {
    auto c = load("");
    CHECK(c.settings.control_socket == "/run/tradingd/control.sock");
    CHECK(c.settings.control_max_line_bytes == 1048576);
    CHECK(c.settings.log_level == "info");
    CHECK(c.db.backend == store::Backend::sqlite);
    CHECK(c.db.sqlite.path == "/var/lib/tradingd/tradingd.db");
    for (const auto& k : config::declared_keys()) {
        CHECK_FALSE(k.help.empty());
        CHECK_FALSE(k.type.empty());
    }
}

TEST_CASE("values are parsed and relative paths resolved against the config file", "[config]") {
    auto c = load("control:\n  socket: run/ctl.sock\n  idle_timeout_ms: 250\nlog:\n  level: debug\n");
    CHECK(c.settings.control_idle_timeout_ms == 250);
    CHECK(c.settings.log_level == "debug");
    CHECK(fs::path(c.settings.control_socket).is_absolute());
    CHECK(c.settings.control_socket.ends_with("/run/ctl.sock"));
}

TEST_CASE("unknown keys, bad types and out-of-range values name the YAML line", "[config]") {
    auto p = problems("control:\n  socket: /x\n  sockt: /y\nstore:\n  sqlite_busy_timeout_ms: soon\n");
    REQUIRE(p.size() == 2);
    CHECK_THAT(p[0], Catch::Contains("t.yaml:3:") && Catch::Contains("unknown key 'control.sockt'") &&
                         Catch::Contains("did you mean 'control.socket'"));
    CHECK_THAT(p[1], Catch::Contains("t.yaml:5:") && Catch::Contains("expected an integer"));

    CHECK_THAT(first_problem("control:\n  max_clients: 0\n"),
               Catch::Contains(":2:") && Catch::Contains("out of range"));
    CHECK_THAT(first_problem("log:\n  level: loud\n"), Catch::Contains("not one of"));
    CHECK_THAT(first_problem("bogus: 1\n"), Catch::Contains(":1:") && Catch::Contains("unknown key 'bogus'"));
    CHECK_THAT(first_problem("control: [1, 2]\n"), Catch::Contains("expected a section"));
    CHECK_THAT(first_problem("control:\n  socket: [a]\n"), Catch::Contains("expected a single value"));
    CHECK_THAT(first_problem("- a\n- b\n"), Catch::Contains("expected a mapping"));
    CHECK_THAT(first_problem("control:\n  socket_group: no-such-group-xyz\n"),
               Catch::Contains("no such group"));
    CHECK_THAT(first_problem("control:\n  socket: /" + std::string(120, 'a') + "\n"),
               Catch::Contains("longer than a Unix socket path"));
    CHECK_THAT(first_problem("control:\n  socket: [unclosed\n"), Catch::Contains("t.yaml:"));
}

TEST_CASE("MYSQL_HOST selects MySQL; its companions are validated", "[config]") {
    auto c = load("",
                  "MYSQL_HOST=db.internal\nMYSQL_PORT=3307\nMYSQL_USER=saas_user\nMYSQL_PASSWORD='p#ss w'\n"
                  "MYSQL_DB=trading_saas\n");
    CHECK(c.db.backend == store::Backend::mysql);
    CHECK(c.db.mysql.host == "db.internal");
    CHECK(c.db.mysql.port == 3307);
    CHECK(c.db.mysql.password == "p#ss w");
    CHECK(c.db.mysql.database == "trading_saas");
    CHECK_THAT(config::describe(c), !Catch::Contains("p#ss w"));

    auto p = problems("", "MYSQL_HOST=db\nMYSQL_PORT=99999\n");
    REQUIRE(p.size() == 3);
    CHECK_THAT(p[0], Catch::Contains("MYSQL_PORT"));
    CHECK_THAT(p[1], Catch::Contains("MYSQL_USER"));
    CHECK_THAT(p[2], Catch::Contains("MYSQL_DB"));
}

TEST_CASE("CORS_ORIGINS is an allowlist: '*' and non-origins are refused", "[config]") {
    auto c = load("", "CORS_ORIGINS=https://app.example.com, http://localhost:5173\n");
    CHECK(c.secrets.cors_origins ==
          std::vector<std::string>{"https://app.example.com", "http://localhost:5173"});
    CHECK_THAT(first_problem("", "CORS_ORIGINS=*\n"), Catch::Contains("'*' is not allowed"));
    CHECK_THAT(first_problem("", "CORS_ORIGINS=example.com\n"), Catch::Contains("not an origin"));
}

TEST_CASE("env files: comments, export, quotes; malformed lines are reported with their line", "[config]") {
    std::vector<std::string> p;
    auto env = config::parse_env_text(
        "# c\nexport A=1\nB = \"two words\" \nC=x # trailing\nbad line\n1X=2\nD='q\n", "f.env", p);
    CHECK(env.at("A") == "1");
    CHECK(env.at("B") == "two words");
    CHECK(env.at("C") == "x");
    REQUIRE(p.size() == 3);
    CHECK_THAT(p[0], Catch::Contains("f.env:5:"));
    CHECK_THAT(p[1], Catch::Contains("f.env:6:"));
    CHECK_THAT(p[2], Catch::Contains("f.env:7:") && Catch::Contains("unterminated"));
}

TEST_CASE("the process environment overrides the env file", "[config]") {
    TempDir dir;
    config::LoadOptions o;
    o.env_file_path = dir.write("e.env", "MYSQL_HOST=from-file\nMYSQL_USER=u\nMYSQL_DB=d\n");
    ::setenv("MYSQL_HOST", "from-env", 1);
    auto c = config::load(o);
    ::unsetenv("MYSQL_HOST");
    CHECK(c.db.mysql.host == "from-env");
}

TEST_CASE("a missing env file is an error, not silence", "[config]") {
    config::LoadOptions o;
    o.env_file_path = "/nonexistent/tradingd.env";
    o.use_process_environment = false;
    CHECK_THROWS_WITH(config::load(o), Catch::Contains("cannot read env file"));
}

TEST_CASE("written env files are private and read back the same", "[config]") {
    TempDir dir;
    auto path = (dir.path / "secrets.env").string();
    config::write_env_file(path, {{"JWT_SECRET_KEY", "abc"}, {"MYSQL_PASSWORD", "x y"}}, "# header\n");
    CHECK((fs::status(path).permissions() & fs::perms::all) ==
          (fs::perms::owner_read | fs::perms::owner_write));
    std::vector<std::string> p;
    auto env = config::read_env_file(path, p);
    CHECK(p.empty());
    CHECK(env.at("JWT_SECRET_KEY") == "abc");
}

TEST_CASE("the shipped example config and --print-defaults output load cleanly", "[config]") {
    config::LoadOptions o;
    o.config_path = std::string(TRADINGD_SOURCE_DIR) + "/etc/tradingd.yaml";
    o.use_process_environment = false;
    CHECK_NOTHROW(config::load(o));

    TempDir dir;
    o.config_path = dir.write("defaults.yaml", config::defaults_yaml());
    auto c = config::load(o);
    CHECK(c.settings.control_socket == "/run/tradingd/control.sock");
}

TEST_CASE("every declared key is documented in tradingd.yaml(5)", "[config]") {
    std::ifstream f(std::string(TRADINGD_SOURCE_DIR) + "/man/tradingd.yaml.5");
    REQUIRE(f);
    std::stringstream ss;
    ss << f.rdbuf();
    for (const auto& k : config::declared_keys()) {
        auto dot = k.path.find('.');
        INFO(k.path);
        CHECK_THAT(ss.str(), Catch::Contains(k.path.substr(dot + 1)));
    }
}
