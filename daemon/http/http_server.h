// The embedded HTTP server (cpp-httplib): REST API and, later, the dashboard's static pages. Owns transport
// concerns only — limits, timeouts, CORS, security headers, JSON errors, authentication — and hands each
// request to its route's handler.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "http/api.h"

namespace tradingd::daemon::http {

// Turns a bearer token into a principal, or explains in `why` (for the 401 message) why not.
using Authenticator = std::function<std::optional<Principal>(const std::string& token, std::string& why)>;

class HttpServer {
  public:
    // `routes` is the full route table (see build_routes), sorted by pattern then method.
    HttpServer(DaemonContext& ctx, std::vector<Route> routes, Authenticator authenticate);
    ~HttpServer();
    HttpServer(const HttpServer&) = delete;
    HttpServer& operator=(const HttpServer&) = delete;

    // Binds http.listen and starts serving on background threads. Returns the bound port.
    // Throws std::runtime_error when the address cannot be bound.
    int start();
    // Stops accepting, finishes in-flight requests, joins the threads.
    void stop();

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// The client's address: the peer, or — only when the peer is a trusted proxy — the last address in
// X-Forwarded-For that is not itself a trusted proxy.
std::string client_address(const std::string& peer, const std::string& forwarded_for,
                           const std::vector<std::string>& trusted_proxies);

}  // namespace tradingd::daemon::http
