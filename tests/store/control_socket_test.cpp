// The control socket under good and bad clients: a real Unix socket served by the daemon's own server.
#include <sys/stat.h>

#include <boost/asio.hpp>
#include <catch2/catch.hpp>
#include <thread>

#include "commands/registry.h"
#include "control/client.h"
#include "control_server.h"
#include "daemon_context.h"
#include "store/migrations.h"
#include "store/migrator.h"
#include "store_fixture.h"

using namespace tradingd;

namespace {

// A control server on a temp socket, run on its own thread like the daemon's event loop.
struct RunningServer {
    explicit RunningServer(int idle_ms = 2000, int max_clients = 64) {
        store::migrate(store.conn());
        config::Config cfg;
        cfg.settings.control_socket = socket_path;
        cfg.settings.control_idle_timeout_ms = idle_ms;
        cfg.settings.control_max_line_bytes = 4096;
        cfg.settings.control_max_clients = max_clients;
        cfg.settings.log_level = "warn";
        cfg.db = store.settings();
        cfg.db.sqlite.create_if_missing = false;  // as the daemon opens it
        ctx = std::make_unique<daemon::DaemonContext>(config::LoadOptions{}, cfg, store.open());
        server = std::make_unique<daemon::ControlServer>(io, *ctx);
        server->listen();
        thread = std::thread([this] { io.run(); });
    }
    ~RunningServer() {
        boost::asio::post(io, [this] { server->close(); });
        io.stop();
        thread.join();
    }
    control::Client client(int timeout_ms = 5000) { return control::Client(socket_path, timeout_ms); }

    test::ScratchStore store;
    std::string socket_path =
        (std::filesystem::temp_directory_path() / ("tradingd_ctl_" + std::to_string(::getpid()) + ".sock"))
            .string();
    boost::asio::io_context io;
    std::unique_ptr<daemon::DaemonContext> ctx;
    std::unique_ptr<daemon::ControlServer> server;
    std::thread thread;
};

nlohmann::json raw(control::Client& c, const std::string& line) {
    return nlohmann::json::parse(c.call_raw(line));
}

}  // namespace

TEST_CASE("status answers with version, pid, uptime, backend and schema version", "[control]") {
    RunningServer srv;
    auto c = srv.client();
    auto r = c.call("status");
    REQUIRE(r.ok);
    CHECK(r.result["pid"] == ::getpid());
    CHECK(r.result["store"]["backend"] == std::string(store::backend_name(test::backend_under_test())));
    CHECK(r.result["store"]["schema_version"] == store::latest_schema_version());
    CHECK(r.result["uptime_s"].is_number_integer());
    CHECK(r.result["version"].is_string());
}

TEST_CASE("the socket is created with mode 0660", "[control]") {
    RunningServer srv;
    struct stat st {};
    REQUIRE(::stat(srv.socket_path.c_str(), &st) == 0);
    CHECK(S_ISSOCK(st.st_mode));
    CHECK((st.st_mode & 0777) == 0660);
}

TEST_CASE("help lists every registered command, sorted", "[control]") {
    RunningServer srv;
    auto c = srv.client();
    auto r = c.call("help");
    REQUIRE(r.ok);
    const auto& list = r.result["commands"];
    REQUIRE(list.size() == daemon::command_table().size());
    for (std::size_t i = 1; i < list.size(); ++i) CHECK(list[i - 1]["name"] < list[i]["name"]);
    auto one = c.call("help", {{"command", "status"}});
    REQUIRE(one.ok);
    CHECK(one.result["name"] == "status");
    CHECK(c.call("help", {{"command", "nope"}}).error_code == "not_found");
}

TEST_CASE("bad requests get the right error code and the connection stays usable", "[control]") {
    RunningServer srv;
    auto c = srv.client();
    CHECK(raw(c, "{not json")["error"]["code"] == "parse_error");
    CHECK(raw(c, "[1,2,3]")["error"]["code"] == "bad_request");
    CHECK(raw(c, R"({"id":1})")["error"]["code"] == "bad_request");
    CHECK(raw(c, R"({"id":{"x":1},"command":"status"})")["error"]["code"] == "bad_request");
    CHECK(raw(c, R"({"id":2,"command":"status","args":[1]})")["error"]["code"] == "bad_request");
    auto unknown = raw(c, R"({"id":"abc","command":"launch.rockets"})");
    CHECK(unknown["id"] == "abc");
    CHECK(unknown["ok"] == false);
    CHECK(unknown["error"]["code"] == "unknown_command");
    CHECK(raw(c, R"({"id":3,"command":"help","args":{"command":5}})")["error"]["code"] == "invalid_args");
    CHECK(raw(c, R"({"id":4,"command":"status","args":{"verbose":true}})")["error"]["code"] ==
          "invalid_args");
    CHECK(raw(c, "\xff\xfe garbage \x01")["error"]["code"] == "parse_error");
    auto ok = raw(c, "{\"id\":5,\"command\":\"status\"}\r");  // CRLF clients are fine
    CHECK(ok["ok"] == true);
    CHECK(ok["id"] == 5);
}

TEST_CASE("an oversized line is refused with too_large and the daemon keeps serving", "[control]") {
    RunningServer srv;
    {
        auto c = srv.client();
        auto reply = raw(c, std::string(10000, 'x'));
        CHECK(reply["error"]["code"] == "too_large");
    }
    auto c2 = srv.client();
    CHECK(c2.call("status").ok);
}

TEST_CASE("a client that connects and never writes gets a timeout reply", "[control]") {
    RunningServer srv(300);
    control::Client silent = srv.client(5000);
    std::string line;
    // The server speaks first: read without sending anything.
    auto start = std::chrono::steady_clock::now();
    auto reply =
        nlohmann::json::parse(silent.call_raw(""));  // an empty line is ignored, then the timer fires
    CHECK(reply["error"]["code"] == "timeout");
    CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(4));
    auto c = srv.client();
    CHECK(c.call("status").ok);
}

TEST_CASE("many clients at once are all answered", "[control]") {
    RunningServer srv;
    std::atomic<int> ok{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 32; ++t)
        threads.emplace_back([&] {
            auto c = srv.client();
            for (int i = 0; i < 25; ++i)
                if (c.call("status").ok) ++ok;
        });
    for (auto& t : threads) t.join();
    CHECK(ok == 32 * 25);
}

TEST_CASE("clients beyond control.max_clients are told the daemon is busy", "[control]") {
    RunningServer srv(2000, 2);
    auto a = srv.client();
    auto b = srv.client();
    REQUIRE(a.call("status").ok);
    REQUIRE(b.call("status").ok);
    auto c = srv.client();
    CHECK(raw(c, R"({"id":1,"command":"status"})")["error"]["code"] == "busy");
}

TEST_CASE("a second server on a live socket refuses to start", "[control]") {
    RunningServer srv;
    boost::asio::io_context io2;
    daemon::ControlServer second(io2, *srv.ctx);
    CHECK_THROWS_WITH(second.listen(), Catch::Contains("already listening"));
}
