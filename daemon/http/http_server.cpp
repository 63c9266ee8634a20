// HTTP transport: cpp-httplib configured with bounded threads, bodies and timeouts; every response gets the
// security headers and, for errors, the one JSON error shape.
#include "http/http_server.h"

#include <httplib.h>
#include <sys/socket.h>

#include <algorithm>
#include <sstream>
#include <thread>

#include "daemon_context.h"
#include "http/cors.h"
#include "store/sql.h"
#include "util/log.h"
#include "util/text.h"

namespace tradingd::daemon::http {
namespace {

const char* kCsp =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

std::string_view code_for_status(int status) {
    switch (status) {
        case 400:
            return "bad_request";
        case 401:
            return "unauthorized";
        case 403:
            return "forbidden";
        case 404:
            return "not_found";
        case 405:
            return "method_not_allowed";
        case 408:
            return "timeout";
        case 413:
            return "payload_too_large";
        case 414:
            return "uri_too_long";
        case 415:
            return "unsupported_media_type";
        case 429:
            return "rate_limited";
        case 503:
            return "unavailable";
        default:
            return status >= 500 ? "internal" : "error";
    }
}

std::string_view message_for_status(int status) {
    switch (status) {
        case 400:
            return "the request could not be read";
        case 404:
            return "no such endpoint";
        case 408:
            return "the request took too long to arrive";
        case 413:
            return "the request body is larger than this server accepts";
        case 414:
            return "the request line is too long";
        default:
            return "the request failed";
    }
}

void write_reply(httplib::Response& res, const ApiReply& reply) {
    res.status = reply.status;
    for (const auto& [k, v] : reply.headers) res.set_header(k, v);
    if (reply.status != 204)
        res.set_content(reply.body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace),
                        "application/json; charset=utf-8");
}

// Maintenance mode (daemon/maintenance.h): the database is being copied, so nothing may change it. Logins
// are refused as well: a session is a refresh-token row, which the copy would not carry over.
ApiReply maintenance_reply() {
    auto reply =
        ApiReply::error(503, "maintenance",
                        "the service is being migrated (maintenance mode): reading works, changes and "
                        "sign-ins are refused; try again later");
    reply.headers["Retry-After"] = "60";
    return reply;
}

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
    return s;
}

}  // namespace

ApiReply ApiReply::error(int status, std::string_view code, std::string_view message) {
    return {status, {{"error", {{"code", code}, {"message", message}}}}, {}};
}

std::string client_address(const std::string& peer, const std::string& forwarded_for,
                           const std::vector<std::string>& trusted) {
    auto is_trusted = [&](const std::string& ip) {
        return std::find(trusted.begin(), trusted.end(), ip) != trusted.end();
    };
    if (forwarded_for.empty() || !is_trusted(peer)) return peer;
    const auto hops = split_list(forwarded_for);
    for (auto it = hops.rbegin(); it != hops.rend(); ++it)
        if (!is_trusted(*it)) return *it;
    return hops.empty() ? peer : hops.front();
}

struct HttpServer::Impl {
    Impl(DaemonContext& c, std::vector<Route> r, Authenticator a)
        : ctx(c), routes(std::move(r)), authenticate(std::move(a)) {}

    DaemonContext& ctx;
    std::vector<Route> routes;
    Authenticator authenticate;
    httplib::Server server;
    std::thread thread;
    std::shared_ptr<spdlog::logger> logger = log::get("api");

    ApiReply route(const httplib::Request& req) {
        const std::string& path = req.path;
        std::vector<std::string_view> allowed_methods;
        const Route* found = nullptr;
        ApiRequest api;
        for (const auto& r : routes) {
            std::map<std::string, std::string> params;
            if (!match_route(r.pattern, path, params)) continue;
            allowed_methods.push_back(r.method);
            if (r.method == req.method) {
                found = &r;
                api.params = std::move(params);
            }
        }
        if (!found && allowed_methods.empty())
            return ApiReply::error(404, "not_found", "no such endpoint: " + path);
        if (!found) {
            std::string allow;
            for (auto m : allowed_methods) allow += (allow.empty() ? "" : ", ") + std::string(m);
            auto reply =
                ApiReply::error(405, "method_not_allowed", req.method + " is not allowed on " + path);
            reply.headers["Allow"] = allow;
            return reply;
        }

        if (req.method != "GET" && req.method != "HEAD" && ctx.maintenance() != Maintenance::off)
            return maintenance_reply();

        auto cfg = ctx.config();
        api.method = req.method;
        api.path = path;
        for (const auto& [k, v] : req.params) api.query[k] = v;
        api.header = [&req](const std::string& name) { return req.get_header_value(name.c_str()); };
        api.client_ip = client_address(req.remote_addr, req.get_header_value("X-Forwarded-For"),
                                       cfg->settings.http_trusted_proxies);

        if (found->access != Access::open) {
            auto auth = req.get_header_value("Authorization");
            if (auth.rfind("Bearer ", 0) != 0) {
                auto reply = ApiReply::error(401, "unauthorized", "sign in first (missing bearer token)");
                reply.headers["WWW-Authenticate"] = "Bearer";
                return reply;
            }
            std::string why;
            api.principal = authenticate(auth.substr(7), why);
            if (!api.principal) {
                auto reply = ApiReply::error(401, "unauthorized", why);
                reply.headers["WWW-Authenticate"] = "Bearer error=\"invalid_token\"";
                return reply;
            }
            bool ok = found->access == Access::admin
                          ? api.principal->role == "admin"
                          : api.principal->role == "agent" && api.principal->agent_id;
            if (!ok) return ApiReply::error(403, "forbidden", "your account may not use this endpoint");
        }
        // Authentication first: a caller without a valid token learns nothing about what the body should be.
        if (req.method == "POST" || req.method == "PUT" || req.method == "PATCH") {
            if (req.body.empty()) {
                api.body = nlohmann::json::object();  // actions without fields need no body
            } else {
                if (lower(req.get_header_value("Content-Type")).rfind("application/json", 0) != 0)
                    return ApiReply::error(415, "unsupported_media_type",
                                           "send the body as application/json");
                api.body = nlohmann::json::parse(req.body, nullptr, false);
                if (api.body.is_discarded())
                    return ApiReply::error(400, "bad_json", "the body is not valid JSON");
                if (!api.body.is_object())
                    return ApiReply::error(400, "bad_json", "the body must be a JSON object");
            }
        }
        return found->handler(api, ctx);
    }

    void handle(const httplib::Request& req, httplib::Response& res) {
        ApiReply reply;
        try {
            reply = route(req);
        } catch (const store::Error& e) {
            logger->error("{} {}: store: {}", req.method, req.path, e.what());
            if (e.kind() == store::ErrorKind::read_only) {  // a write that is no method's business
                write_reply(res, maintenance_reply());
                return;
            }
            reply =
                e.kind() == store::ErrorKind::connection
                    ? ApiReply::error(503, "unavailable", "the database is unavailable; try again shortly")
                    : ApiReply::error(500, "internal", "internal error");
        } catch (const std::exception& e) {
            logger->error("{} {}: {}", req.method, req.path, e.what());
            reply = ApiReply::error(500, "internal", "internal error");
        }
        write_reply(res, reply);
    }

    void configure() {
        auto cfg = ctx.config();
        const auto& s = cfg->settings;
        const auto threads = static_cast<std::size_t>(s.http_threads);
        server.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
        server.set_tcp_nodelay(true);
        // httplib's default also sets SO_REUSEPORT, which would let a second daemon share our port silently.
        server.set_socket_options([](int sock) {
            int yes = 1;
            ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
        });
        server.set_payload_max_length(static_cast<std::size_t>(s.http_max_body_bytes));
        server.set_read_timeout(std::chrono::seconds(s.http_timeout_s));
        server.set_write_timeout(std::chrono::seconds(s.http_timeout_s));
        server.set_keep_alive_timeout(s.http_timeout_s);
        server.set_keep_alive_max_count(100);

        server.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
            auto cors =
                decide_cors(ctx.config()->secrets.cors_origins, req.method, req.get_header_value("Origin"),
                            req.get_header_value("Access-Control-Request-Method"));
            for (const auto& [k, v] : cors.headers) res.set_header(k, v);
            if (!cors.preflight) return httplib::Server::HandlerResponse::Unhandled;
            if (cors.allowed)
                res.status = 204;
            else
                write_reply(res, ApiReply::error(403, "cors_forbidden", "this origin may not call the API"));
            return httplib::Server::HandlerResponse::Handled;
        });
        auto dispatch = [this](const httplib::Request& req, httplib::Response& res) { handle(req, res); };
        server.Get(".*", dispatch);
        server.Post(".*", dispatch);
        server.Put(".*", dispatch);
        server.Patch(".*", dispatch);
        server.Delete(".*", dispatch);
        server.Options(".*", [](const httplib::Request&, httplib::Response& res) {
            res.status = 204;
            res.set_header("Allow", "GET, POST, PUT, PATCH, DELETE, OPTIONS");
        });
        server.set_error_handler([](const httplib::Request&, httplib::Response& res) {
            if (res.body.empty())
                write_reply(res, ApiReply::error(res.status, code_for_status(res.status),
                                                 message_for_status(res.status)));
        });
        server.set_exception_handler(
            [this](const httplib::Request& req, httplib::Response& res, std::exception_ptr) {
                logger->error("{} {}: unhandled exception", req.method, req.path);
                write_reply(res, ApiReply::error(500, "internal", "internal error"));
            });
        server.set_post_routing_handler([](const httplib::Request& req, httplib::Response& res) {
            res.set_header("X-Content-Type-Options", "nosniff");
            res.set_header("Referrer-Policy", "no-referrer");
            res.set_header("X-Frame-Options", "DENY");
            if (req.path.rfind("/api/", 0) == 0 || req.path == "/healthz" || req.path == "/metrics")
                res.set_header("Cache-Control", "no-store");
            else
                res.set_header("Content-Security-Policy", kCsp);
        });
    }
};

HttpServer::HttpServer(DaemonContext& ctx, std::vector<Route> routes, Authenticator authenticate)
    : impl_(std::make_unique<Impl>(ctx, std::move(routes), std::move(authenticate))) {}

HttpServer::~HttpServer() {
    stop();
}

int HttpServer::start() {
    impl_->configure();
    const std::string listen = impl_->ctx.config()->settings.http_listen;
    auto colon = listen.rfind(':');
    std::string host = listen.substr(0, colon);
    if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
    int port = std::stoi(listen.substr(colon + 1));
    if (port == 0)
        port = impl_->server.bind_to_any_port(host);
    else if (!impl_->server.bind_to_port(host, port))
        port = -1;
    if (port < 0) throw std::runtime_error("cannot listen for HTTP on " + listen + " (address in use?)");
    impl_->thread = std::thread([this] { impl_->server.listen_after_bind(); });
    impl_->logger->info("http listening on {}:{}", host, port);
    return port;
}

void HttpServer::stop() {
    if (!impl_->thread.joinable()) return;
    impl_->server.stop();
    impl_->thread.join();
}

}  // namespace tradingd::daemon::http
