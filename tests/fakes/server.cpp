// Request pipeline of the fake exchange on cpp-httplib, and the background matching loop.
#include "server.h"

#include <httplib.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <thread>

namespace fake {
namespace {

const char kNotFound[] = "<html><body><h2>404 Not found</h2></body></html>";

void send_json(httplib::Response& res, int status, const Json& body) {
    res.status = status;
    res.set_content(body.dump(), "application/json");
}

}  // namespace

FakeServer::FakeServer(App& app, int threads, bool log_requests)
    : app_(app), log_requests_(log_requests), http_(std::make_unique<httplib::Server>()) {
    for (auto* table : {market_routes, account_routes, order_routes, wallet_routes}) {
        for (const Route& r : table()) routes_[std::string(r.method) + " " + r.path] = r;
    }
    for (const AdminRoute& r : admin_routes()) admin_[std::string(r.method) + " " + r.path] = r;

    // Keep-alive connections hold a pool thread each, and "hang" faults hold one for their whole delay.
    http_->new_task_queue = [threads] { return new httplib::ThreadPool(static_cast<size_t>(threads)); };
    http_->set_tcp_nodelay(true);
    http_->set_keep_alive_max_count(1000);
    http_->set_keep_alive_timeout(5);
    http_->set_read_timeout(10);
    http_->set_write_timeout(10);
    http_->set_payload_max_length(1 << 20);
    auto handler = [this](const httplib::Request& req, httplib::Response& res) { dispatch(req, res); };
    http_->Get(".*", handler);
    http_->Post(".*", handler);
    http_->Put(".*", handler);
    http_->Delete(".*", handler);
    http_->set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr) {
        send_json(res, 500,
                  {{"code", -1000}, {"msg", "An unknown error occured while processing the request."}});
    });
}

FakeServer::~FakeServer() = default;

int FakeServer::bind(const std::string& host, int port) {
    if (port == 0) return http_->bind_to_any_port(host);
    return http_->bind_to_port(host, port) ? port : -1;
}

void FakeServer::run() {
    std::atomic<bool> done{false};
    std::thread matcher([&] {  // resting orders and triggers fill even when nobody is asking
        while (!done) {
            std::this_thread::sleep_for(std::chrono::milliseconds(200));
            std::int64_t now = app_.now();
            app_.world.with([&](World& w) { run_matching(app_, w, now); });
        }
    });
    http_->listen_after_bind();
    done = true;
    matcher.join();
}

void FakeServer::stop() {
    http_->stop();
}

void FakeServer::dispatch(const httplib::Request& req, httplib::Response& res) {
    if (req.path.rfind("/_fake/", 0) == 0) return admin(req, res);
    const std::string key = req.method + " " + req.path;
    std::int64_t delay = app_.world.with([&](World& w) {
        ++w.counters.requests[key];
        auto it = w.latency_path_ms.find(req.path);
        return it != w.latency_path_ms.end() ? it->second : w.latency_all_ms;
    });
    if (delay > 0) std::this_thread::sleep_for(std::chrono::milliseconds(delay));

    Ctx ctx{app_, req.method, req.path, req.remote_addr, {}, app_.now(), {}};
    auto route = routes_.find(key);
    Reply reply;
    int retry_after = 0;
    std::optional<Fault> fault;
    std::optional<OrderCounts> counts;
    try {
        if (route == routes_.end()) {
            int used = app_.world.with([&](World& w) {
                check_ban(w, ctx.ip, ctx.now);
                return used_weight(w, ctx.ip, ctx.now);
            });
            res.status = 404;
            res.set_content(kNotFound, "text/html");
            res.set_header("X-MBX-USED-WEIGHT-1M", std::to_string(used));
            return;
        }
        const Route& r = route->second;
        size_t q = req.target.find('?');
        ctx.params =
            Params::parse(q == std::string::npos ? "" : std::string_view(req.target).substr(q + 1), req.body);
        int weight = r.weight(ctx.params);
        app_.world.with([&](World& w) {
            charge_weight(w, ctx.ip, weight, ctx.now);
            fault = take_fault(w, req.method, req.path, ctx.params);
        });
        if (fault && !fault->after) return fail(*fault, req, res, ctx);
        authenticate(ctx, req, r.security);
        if (r.order_entry)
            counts = app_.world.with(
                [&](World& w) { return count_order(w, w.accounts.at(ctx.api_key), ctx.now); });
        reply = r.handler(ctx);
    } catch (const ApiError& e) {
        reply = {e.http, Json{{"code", e.code}, {"msg", e.what()}}};
        retry_after = e.retry_after;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "fake-binance: internal-error %s %s: %s\n", req.method.c_str(), req.path.c_str(),
                     e.what());
        reply = {500,
                 Json{{"code", -1000}, {"msg", "An unknown error occured while processing the request."}}};
    }
    if (fault && fault->after) return fail(*fault, req, res, ctx);  // it took effect; the client never learns
    send_json(res, reply.status, reply.body);
    int used = app_.world.with([&](World& w) { return used_weight(w, ctx.ip, ctx.now); });
    res.set_header("X-MBX-USED-WEIGHT-1M", std::to_string(used));
    if (counts) {
        res.set_header("X-MBX-ORDER-COUNT-10S", std::to_string(counts->ten_seconds));
        res.set_header("X-MBX-ORDER-COUNT-1M", std::to_string(counts->minute));
    }
    if (retry_after > 0) res.set_header("Retry-After", std::to_string(retry_after));
    if (log_requests_)
        std::fprintf(stderr, "fake-binance: request %s %s -> %d\n", req.method.c_str(), req.path.c_str(),
                     res.status);
}

void FakeServer::fail(const Fault& f, const httplib::Request& req, httplib::Response& res, const Ctx& ctx) {
    std::fprintf(stderr, "fake-binance: fault-fired action=%s status=%d after=%d %s %s\n", f.action.c_str(),
                 f.status, f.after ? 1 : 0, req.method.c_str(), req.path.c_str());
    apply_fault(f, req, res, ctx.now);
    int used = app_.world.with([&](World& w) { return used_weight(w, ctx.ip, ctx.now); });
    if (f.action == "status") res.set_header("X-MBX-USED-WEIGHT-1M", std::to_string(used));
}

void FakeServer::admin(const httplib::Request& req, httplib::Response& res) {
    auto it = admin_.find(req.method + " " + req.path);
    if (it == admin_.end())
        return send_json(res, 404, {{"error", "unknown admin command; see GET /_fake/help"}});
    try {
        Json body = req.body.empty() ? Json::object() : Json::parse(req.body);
        send_json(res, 200, it->second.handler(app_, body));
    } catch (const std::exception& e) {
        send_json(res, 400, {{"error", e.what()}});
    }
}

}  // namespace fake
