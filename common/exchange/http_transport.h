// HttpTransport: one libcurl easy handle reused across requests (keep-alive), with per-request timeouts and a
// failure classification that says whether the request could have reached the server.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "exchange/errors.h"

namespace tradingd::exchange {

struct HttpRequest {
    std::string method = "GET";  // GET, POST, PUT or DELETE
    std::string url;             // absolute, query string included
    std::string body;            // sent as application/x-www-form-urlencoded when not empty
    std::vector<std::pair<std::string, std::string>> headers;
    std::chrono::milliseconds connect_timeout{3000};
    std::chrono::milliseconds total_timeout{10000};  // connect + send + wait + receive
    // False for requests that must not be executed twice (order placement). libcurl silently resends a
    // request when a reused keep-alive connection turns out dead before any reply byte arrives; if the server
    // had already acted on the first copy, that resend is a second order. With may_repeat false the transport
    // makes that resend impossible and reports connection_lost instead, so the caller's lookup protocol runs.
    bool may_repeat = true;
};

struct HttpResponse {
    Transport failure = Transport::none;  // none: status, headers and body are a complete reply
    std::string failure_message;          // libcurl's description when failure != none
    int status = 0;
    std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased, in arrival order
    std::string body;
    std::chrono::microseconds elapsed{0};

    // The first header with this lower-case name.
    std::optional<std::string_view> header(std::string_view lower_name) const;
};

// Not thread-safe: a transport (and so one connection) belongs to one thread or worker at a time. Threads
// that fetch in parallel each own a transport; what they share is the WeightBudget, which is thread-safe.
class HttpTransport {
  public:
    // Caps a reply body so a misbehaving server cannot exhaust memory (exchangeInfo is ~1 MB uncompressed).
    static constexpr std::size_t kMaxBodyBytes = 32u << 20;

    HttpTransport();
    ~HttpTransport();
    HttpTransport(HttpTransport&&) noexcept;
    HttpTransport& operator=(HttpTransport&&) noexcept;
    HttpTransport(const HttpTransport&) = delete;
    HttpTransport& operator=(const HttpTransport&) = delete;

    // Never throws for network failures: they come back in HttpResponse::failure.
    HttpResponse perform(const HttpRequest& request);

    // Connections opened so far (a value that stays put across requests shows keep-alive working).
    long connections_opened() const { return connections_opened_; }

  private:
    struct Handle;
    std::unique_ptr<Handle> handle_;
    long connections_opened_ = 0;
};

}  // namespace tradingd::exchange
