// The REST edge in maintenance mode, in-process on the backend under test: changes are refused with 503
// `maintenance` and Retry-After before any handler runs, reads go on, and a write that reaches a read-only
// store anyway (a handler that writes on GET) answers the same 503 instead of a 500, writing nothing.
#include <httplib.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "daemon_context.h"
#include "http/http_server.h"
#include "store/migrations.h"
#include "store/migrator.h"
#include "store/repository.h"
#include "store_fixture.h"

using namespace tradingd;
using daemon::Maintenance;
using daemon::http::Access;
using daemon::http::ApiReply;
using daemon::http::ApiRequest;

namespace {

std::int64_t users(store::Connection& conn) {
    auto st = conn.prepare("SELECT COUNT(*) FROM users");
    REQUIRE(st->step());
    return st->get_int(0);
}

// A daemon context and its HTTP server with three test routes: one that writes on POST, one that writes on
// GET (what no real route should do), one that reads.
struct Served {
    Served() {
        store::migrate(store.conn(), store::latest_schema_version());
        config::Config cfg;
        cfg.settings.http_listen = "127.0.0.1:0";
        cfg.settings.http_threads = 2;
        cfg.settings.http_max_body_bytes = 65536;
        cfg.settings.http_timeout_s = 5;
        cfg.settings.log_level = "warn";
        cfg.db = store.settings();
        ctx = std::make_unique<daemon::DaemonContext>(config::LoadOptions{}, cfg, store.open());
        auto write = [this](const ApiRequest&, daemon::DaemonContext& c) {
            ++handled;
            c.with_store([&](store::Repository& repo) {
                repo.create_user("u" + std::to_string(handled.load()) + "@example.com", "h", "agent",
                                 "active");
            });
            return ApiReply::ok({{"written", true}});
        };
        auto read = [](const ApiRequest&, daemon::DaemonContext& c) {
            return ApiReply::ok(
                {{"users", c.with_store([](store::Repository& repo) { return users(repo.connection()); })}});
        };
        std::vector<daemon::http::Route> routes = {{"POST", "/t/write", Access::open, "", write},
                                                   {"GET", "/t/sneaky-write", Access::open, "", write},
                                                   {"GET", "/t/read", Access::open, "", read}};
        server = std::make_unique<daemon::http::HttpServer>(
            *ctx, std::move(routes), [](const std::string&, std::string&) { return std::nullopt; });
        port = server->start();
    }

    httplib::Result call(const std::string& method, const std::string& path) {
        httplib::Client client("127.0.0.1", port);
        return method == "POST" ? client.Post(path, "{}", "application/json") : client.Get(path);
    }

    test::ScratchStore store;
    std::unique_ptr<daemon::DaemonContext> ctx;
    std::unique_ptr<daemon::http::HttpServer> server;
    std::atomic<int> handled{0};
    int port = 0;
};

void check_maintenance_reply(const httplib::Result& r) {
    REQUIRE(r);
    CHECK(r->status == 503);
    CHECK(r->get_header_value("Retry-After") == "60");
    const auto body = nlohmann::json::parse(r->body);
    CHECK(body["error"]["code"] == "maintenance");
    CHECK(body["error"]["message"].get<std::string>().find("maintenance mode") != std::string::npos);
}

}  // namespace

TEST_CASE("in maintenance mode REST changes are refused before any handler runs, reads go on",
          "[maintenance][http]") {
    Served s;
    for (auto phase : {Maintenance::entering, Maintenance::on}) {
        s.ctx->set_maintenance(phase);
        check_maintenance_reply(s.call("POST", "/t/write"));
        CHECK(s.handled == 0);
        auto read = s.call("GET", "/t/read");
        REQUIRE(read);
        CHECK(read->status == 200);
        CHECK(s.call("POST", "/t/nowhere")->status == 404);  // unknown paths stay 404
    }
    s.ctx->set_maintenance(Maintenance::off);
    auto r = s.call("POST", "/t/write");
    REQUIRE(r);
    CHECK(r->status == 200);
    CHECK(users(*s.store.open()) == 1);
}

TEST_CASE("a write that reaches the read-only store answers 503 maintenance and writes nothing",
          "[maintenance][http]") {
    Served s;
    s.ctx->set_store_read_only(true);
    CHECK(s.ctx->store_read_only());
    check_maintenance_reply(s.call("GET", "/t/sneaky-write"));
    CHECK(s.handled == 1);  // the handler ran: the store itself refused
    CHECK(users(*s.store.open()) == 0);
    s.ctx->set_store_read_only(false);
    auto r = s.call("GET", "/t/sneaky-write");
    REQUIRE(r);
    CHECK(r->status == 200);
    CHECK(users(*s.store.open()) == 1);
}
